import { describe, expect, it } from 'vitest';
import type { User } from '../app/auth/user.js';
import type { IncidentState } from '../domain/incident/state.js';
import { isMember, policy } from './policy.js';

const user = (handle: string, role: User['role'], disabled = false): User => ({ id: `usr_${handle}`, email: `${handle}@example.org`, name: handle, handle, role, disabled });

function incident(overrides: Partial<IncidentState> = {}): IncidentState {
  return {
    restricted: false,
    members: [],
    reporter: { anonymous: false, name: 'rita' },
    roles: {},
    ...overrides,
  } as IncidentState;
}

describe('policy', () => {
  const admin = user('ada', 'admin');
  const responder = user('rob', 'responder');
  const viewer = user('vic', 'viewer');
  const reporter = user('rita', 'reporter');
  const otherReporter = user('ron', 'reporter');

  it('given an open incident, everyone but other reporters sees it; only responders and admins act', () => {
    const open = incident();
    expect([admin, responder, viewer, reporter, otherReporter].map((u) => policy.canSeeIncident(u, open))).toEqual([true, true, true, true, false]);
    expect([admin, responder, viewer, reporter].map((u) => policy.canRunCommand(u, open, 'add_note'))).toEqual([true, true, false, false]);
  });

  it('given a restricted incident, only admins and members see it', () => {
    const restricted = incident({ restricted: true, members: ['vic'] });
    expect([admin, responder, viewer, reporter].map((u) => policy.canSeeIncident(u, restricted))).toEqual([true, false, true, true]);
    expect(policy.canRunCommand(responder, restricted, 'add_note')).toBe(false);
  });

  it('counts the reporter, role holders and incoming handoffs as members', () => {
    const state = incident({
      restricted: true,
      roles: { ic: { holder: 'rob', since: '2026-03-02T09:00:00Z', pendingHandoff: { to: 'sam', briefing: 'b', initiatedAt: '2026-03-02T10:00:00Z' } } },
    });
    expect(isMember(user('rob', 'responder'), state)).toBe(true);
    expect(isMember(user('sam', 'responder'), state)).toBe(true);
    expect(isMember(user('rita', 'reporter'), state)).toBe(true);
    expect(isMember(user('zed', 'responder'), state)).toBe(false);
    expect(isMember(user('rita', 'responder'), incident({ reporter: { anonymous: true } }))).toBe(false);
  });

  it('shuts out disabled users, and keeps user management and verification to the right roles', () => {
    expect(policy.canSeeIncident(user('ada', 'admin', true), incident())).toBe(false);
    expect([admin, responder, viewer, reporter].map((u) => policy.canManageUsers(u))).toEqual([true, false, false, false]);
    expect([admin, responder, viewer, reporter].map((u) => policy.canVerify(u))).toEqual([true, true, true, false]);
    expect([admin, responder, viewer, reporter].map((u) => policy.canReportIncident(u))).toEqual([true, true, false, true]);
  });

  it('given an advisory of an open incident, everyone but reporters reads it; responders and admins change it', () => {
    const open = incident();
    expect([admin, responder, viewer, reporter, otherReporter].map((u) => policy.canReadAdvisory(u, open))).toEqual([true, true, true, false, false]);
    expect([admin, responder, viewer, reporter, otherReporter].map((u) => policy.canWriteAdvisory(u, open))).toEqual([true, true, false, false, false]);
  });

  it('given an advisory of a restricted incident, only members and admins read or change it (need-to-know)', () => {
    const restricted = incident({ restricted: true, members: ['vic', 'sam'] });
    const member = user('sam', 'responder');
    expect([admin, member, responder, viewer].map((u) => policy.canReadAdvisory(u, restricted))).toEqual([true, true, false, true]);
    expect([admin, member, responder, viewer].map((u) => policy.canWriteAdvisory(u, restricted))).toEqual([true, true, false, false]);
    expect(policy.canReadAdvisory(user('ada', 'admin', true), restricted)).toBe(false);
  });

  it('keeps the VEX register to the team and lets anyone signed in score a CVSS vector', () => {
    expect([admin, responder, viewer, reporter].map((u) => policy.canReadVex(u))).toEqual([true, true, true, false]);
    expect([admin, responder, viewer, reporter].map((u) => policy.canWriteVex(u))).toEqual([true, true, false, false]);
    expect([admin, responder, viewer, reporter, user('x', 'viewer', true)].map((u) => policy.canScoreCvss(u))).toEqual([true, true, true, true, false]);
  });
});
