/**
 * `policy.canSeeIncidentFromColumns` (used by the incident list to avoid parsing every
 * state) never disagrees with `policy.canSeeIncident`: whenever it decides, it decides
 * the same; otherwise it says the state is needed.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../app/auth/user.js';
import type { IncidentState } from '../domain/incident/state.js';
import { policy } from './policy.js';

const roles: User['role'][] = ['admin', 'responder', 'viewer', 'reporter'];
const users = roles.flatMap((role) => [false, true].map((disabled): User => ({ id: `usr_${role}`, email: `${role}@example.org`, name: role, handle: `h-${role}`, role, disabled })));

const states: IncidentState[] = [false, true].flatMap((restricted) =>
  [
    { members: [], reporter: { anonymous: true } },
    { members: ['h-responder', 'h-viewer'], reporter: { anonymous: false, name: 'someone' } },
    { members: [], reporter: { anonymous: false, name: 'h-reporter' } },
    { members: [], reporter: { anonymous: false, name: 'x' }, roles: { ic: { holder: 'h-responder' } } },
  ].map((s) => ({ roles: {}, ...s, restricted }) as unknown as IncidentState),
);

describe('policy.canSeeIncidentFromColumns', () => {
  it('given every role (enabled or disabled) and every kind of incident, when it decides, then it agrees with canSeeIncident', () => {
    let decided = 0;
    for (const user of users) {
      for (const state of states) {
        const fromColumns = policy.canSeeIncidentFromColumns(user, { restricted: state.restricted });
        if (fromColumns === undefined) continue;
        decided += 1;
        expect(fromColumns, `${user.role} disabled=${user.disabled} restricted=${state.restricted}`).toBe(policy.canSeeIncident(user, state));
      }
    }
    expect(decided).toBeGreaterThan(0);
  });

  it('given a reporter or a restricted incident seen by a non-admin, then the state is needed', () => {
    const [responder, reporter] = [users.find((u) => u.role === 'responder' && !u.disabled)!, users.find((u) => u.role === 'reporter' && !u.disabled)!];
    expect(policy.canSeeIncidentFromColumns(reporter, { restricted: false })).toBeUndefined();
    expect(policy.canSeeIncidentFromColumns(responder, { restricted: true })).toBeUndefined();
    expect(policy.canSeeIncidentFromColumns(responder, { restricted: false })).toBe(true);
  });
});
