/**
 * Escalation policies, given/when/then: the schedule of steps over passes, falling
 * through levels that reach nobody (a vacant role, a schedule gap), a plan role path read
 * as a policy, and the schema's refusals named by field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EscalationPolicy, EscalationPolicySchema, type EscalationTarget, escalationSteps, resolveLevel, rolePathPolicy, type TargetAnswer } from './escalation-policy.js';

const policy = (overrides: Partial<EscalationPolicy> = {}): EscalationPolicy => ({
  id: 'security-oncall',
  name: 'Security on call',
  levels: [
    { targets: [{ role: 'ic' }], wait: '5m' },
    { targets: [{ schedule: 'primary', mode: 'on-call' }], wait: '10m' },
    { targets: [{ user: 'jon' }], wait: '15m' },
  ],
  repeat: 0,
  ...overrides,
});

/** Who holds what, as the pager would answer at an instant. */
function world(facts: { roles?: Record<string, string>; onCall?: Record<string, string[]>; users?: string[] }) {
  return (target: EscalationTarget): TargetAnswer => {
    if ('role' in target) return facts.roles?.[target.role] ? { people: [facts.roles[target.role]!] } : { nobody: `role ${target.role} is vacant` };
    if ('schedule' in target) {
      const people = facts.onCall?.[target.schedule] ?? [];
      return people.length > 0 ? { people } : { nobody: `schedule ${target.schedule} has nobody on call (a gap)` };
    }
    return (facts.users ?? []).includes(target.user) ? { people: [target.user] } : { nobody: `${target.user} has no contact point` };
  };
}

describe('escalationSteps', () => {
  it('given a policy of three levels repeated once, when laid out from the report, then level 1 is at the report and each next level after the previous wait', () => {
    const steps = escalationSteps(policy({ repeat: 1 }), new Date('2026-03-02T09:00:00Z'));
    expect(steps.map((s) => [s.step, s.pass, s.level, s.at.slice(11, 16)])).toEqual([
      [1, 1, 1, '09:00'],
      [2, 1, 2, '09:05'],
      [3, 1, 3, '09:15'],
      [4, 2, 1, '09:30'],
      [5, 2, 2, '09:35'],
      [6, 2, 3, '09:45'],
    ]);
  });
});

describe('resolveLevel', () => {
  it('given the IC role is held, when level 1 is resolved, then its holder is paged and nothing falls through', () => {
    expect(resolveLevel(policy().levels, 1, world({ roles: { ic: 'ivy' } }))).toEqual({ level: 1, people: ['ivy'], fellThrough: [] });
  });

  it('given the IC role is vacant, when level 1 is resolved, then it falls through at once to the on-call person of level 2', () => {
    expect(resolveLevel(policy().levels, 1, world({ onCall: { primary: ['kim'] } }))).toEqual({
      level: 2,
      people: ['kim'],
      fellThrough: [{ level: 1, reason: 'role ic is vacant' }],
    });
  });

  it('given a vacant role and a schedule gap, when level 1 is resolved, then both fall through to the named user', () => {
    expect(resolveLevel(policy().levels, 1, world({ users: ['jon'] }))).toEqual({
      level: 3,
      people: ['jon'],
      fellThrough: [
        { level: 1, reason: 'role ic is vacant' },
        { level: 2, reason: 'schedule primary has nobody on call (a gap)' },
      ],
    });
  });

  it('given nobody anywhere, when level 1 is resolved, then nobody is returned (the pager tells the plan audiences instead)', () => {
    expect(resolveLevel(policy().levels, 1, world({}))).toBeUndefined();
  });

  it('given a level with several targets, when some reach nobody, then the rest are paged, each person once', () => {
    const levels = [{ targets: [{ role: 'ic' }, { schedule: 'primary', mode: 'everyone' as const }, { user: 'kim' }], wait: '5m' }];
    expect(resolveLevel(levels, 1, world({ onCall: { primary: ['kim', 'ivy'] }, users: ['kim'] }))).toEqual({ level: 1, people: ['kim', 'ivy'], fellThrough: [] });
  });

  it('falls through to exactly the first level that reaches somebody, whatever is vacant (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 8 }), (held, start) => {
        const levels = held.map((_, i) => ({ targets: [{ role: `r${i}` }], wait: '5m' }));
        const roles = Object.fromEntries(held.flatMap((h, i) => (h ? [[`r${i}`, `p${i}`]] : [])));
        const from = Math.min(start, levels.length);
        const got = resolveLevel(levels, from, world({ roles }));
        const expected = held.findIndex((h, i) => h && i >= from - 1);
        if (expected === -1) return got === undefined;
        return got?.level === expected + 1 && got.people[0] === `p${expected}` && got.fellThrough.length === expected - (from - 1);
      }),
    );
  });
});

describe('rolePathPolicy', () => {
  it("given a plan's role path, when read as a policy, then each role is one level waiting the plan's `after`", () => {
    expect(rolePathPolicy(['ic', 'tech-lead'], '15m')).toEqual({ levels: [{ targets: [{ role: 'ic' }], wait: '15m' }, { targets: [{ role: 'tech-lead' }], wait: '15m' }], repeat: 0 });
  });
});

describe('EscalationPolicySchema', () => {
  it('given a level without targets and an unreadable wait, when parsed, then each problem names its field', () => {
    const result = EscalationPolicySchema.safeParse({ id: 'p', name: 'P', levels: [{ targets: [], wait: 'soon' }] });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['levels.0.targets', 'levels.0.wait']));
  });

  it('given a schedule target without a mode, when parsed, then it means the current on-call person', () => {
    const parsed = EscalationPolicySchema.parse({ id: 'p', name: 'P', levels: [{ targets: [{ schedule: 'primary' }], wait: '10m' }] });
    expect(parsed.levels[0]!.targets[0]).toEqual({ schedule: 'primary', mode: 'on-call' });
    expect(parsed.repeat).toBe(0);
  });
});
