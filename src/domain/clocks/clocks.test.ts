import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import { type Clock, clocksSteadyUntil, deriveClocks } from './clocks.js';

const T = '2026-03-02T09:00:00.000Z';
const plus = (minutes: number) => new Date(new Date(T).getTime() + minutes * 60_000);
const clock = (clocks: ReturnType<typeof deriveClocks>, id: string) => clocks.find((c) => c.id === id);

describe('clocks under nist-team-procedures', () => {
  const plan = builtInPlan('nist-team-procedures');

  function highIncident() {
    const incident = new IncidentHarness(plan, undefined, T);
    incident.run({ type: 'triage', decision: 'confirm', severity: 'high' }, 'alice', T);
    return incident;
  }

  it('ack escalation is pending at T+9m and overdue at T+11m, escalating along the path', () => {
    const incident = highIncident();
    expect(clock(deriveClocks(plan, incident.state, plus(9)), 'ack')).toMatchObject({ state: 'pending', dueAt: plus(10).toISOString() });
    const ack = clock(deriveClocks(plan, incident.state, plus(11)), 'ack');
    expect(ack).toMatchObject({ state: 'overdue', window: '10m' });
    expect(ack?.escalation?.[0]).toMatchObject({ level: 1, at: plus(10).toISOString(), reached: true });
    expect(ack?.escalation?.[1]).toMatchObject({ level: 2, at: plus(20).toISOString(), reached: false });
  });

  it('an acknowledgement meets the clock and stops escalation', () => {
    const incident = highIncident();
    incident.run({ type: 'acknowledge' }, 'bob', plus(4).toISOString());
    const ack = clock(deriveClocks(plan, incident.state, plus(30)), 'ack');
    expect(ack).toMatchObject({ state: 'met', late: false });
    expect(ack?.escalation?.every((level) => !level.reached)).toBe(true);
  });

  it('the next sitrep is due one hour after the first one for high severity', () => {
    const incident = highIncident();
    expect(clock(deriveClocks(plan, incident.state, plus(1)), 'sitrep')?.dueAt).toBe(plus(60).toISOString());
    incident.run({ type: 'post_sitrep', text: 'first sitrep' }, 'alice', plus(20).toISOString());
    expect(clock(deriveClocks(plan, incident.state, plus(21)), 'sitrep')).toMatchObject({ dueAt: plus(80).toISOString(), state: 'pending' });
    expect(clock(deriveClocks(plan, incident.state, plus(81)), 'sitrep')?.state).toBe('overdue');
  });

  it('sitrep cadence follows severity: twice daily for medium, daily for low', () => {
    const incident = highIncident();
    incident.run({ type: 'change_severity', severity: 'medium', reason: 'contained' }, 'alice', T);
    expect(clock(deriveClocks(plan, incident.state, plus(1)), 'sitrep')?.dueAt).toBe(plus(12 * 60).toISOString());
    incident.run({ type: 'change_severity', severity: 'low', reason: 'no data affected' }, 'alice', T);
    expect(clock(deriveClocks(plan, incident.state, plus(1)), 'sitrep')?.dueAt).toBe(plus(24 * 60).toISOString());
  });

  it('warns when a role has been held longer than the 3-hour shift', () => {
    const incident = highIncident();
    incident.run({ type: 'assign_role', role: 'ic', to: 'alice' }, 'alice', T);
    expect(clock(deriveClocks(plan, incident.state, plus(179)), 'shift:ic')?.state).toBe('pending');
    expect(clock(deriveClocks(plan, incident.state, plus(181)), 'shift:ic')?.state).toBe('overdue');
  });

  it('the triage window is five minutes', () => {
    const incident = new IncidentHarness(plan, undefined, T);
    expect(clock(deriveClocks(plan, incident.state, plus(6)), 'triage')).toMatchObject({ state: 'overdue', dueAt: plus(5).toISOString() });
  });
});

describe('clocks under iso27001-library', () => {
  const plan = builtInPlan('iso27001-library');

  it.each([
    ['P1', 2 * 60],
    ['P2', 2 * 60],
    ['P3', 24 * 60],
    ['P4', 24 * 60],
  ])('confirm-vulnerability is due %s + %i minutes after declaration', (severity, minutes) => {
    const incident = new IncidentHarness(plan, undefined, T);
    incident.run({ type: 'triage', decision: 'confirm', severity }, 'alice', T);
    expect(clock(deriveClocks(plan, incident.state, plus(1)), 'checklist:confirm-vulnerability')?.dueAt).toBe(plus(minutes).toISOString());
  });

  it('P1/P2-only items do not appear on a P3 incident', () => {
    const incident = new IncidentHarness(plan, undefined, T);
    incident.run({ type: 'triage', decision: 'confirm', severity: 'P3' }, 'alice', T);
    const ids = deriveClocks(plan, incident.state, plus(1)).map((c) => c.id);
    expect(ids).toContain('checklist:plan-fix-release');
    expect(ids).not.toContain('checklist:temporary-mitigation');
  });
});

describe('regulatory clocks under iec62443-platform', () => {
  const plan = builtInPlan('iec62443-platform');

  it('GDPR starts when personal data is flagged and runs 72 hours until filed', () => {
    const incident = new IncidentHarness(plan, undefined, T);
    incident.run({ type: 'triage', decision: 'confirm', severity: 'P0' }, 'alice', T);
    expect(clock(deriveClocks(plan, incident.state, plus(1)), 'regulatory:gdpr-art33')).toBeUndefined();
    incident.run({ type: 'set_flag', flag: 'personal-data' }, 'alice', plus(60).toISOString());
    expect(clock(deriveClocks(plan, incident.state, plus(61)), 'regulatory:gdpr-art33')).toMatchObject({ state: 'pending', dueAt: plus(60 + 72 * 60).toISOString() });
    incident.run({ type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-2026-17' }, 'dpo', plus(600).toISOString());
    expect(clock(deriveClocks(plan, incident.state, plus(10_000)), 'regulatory:gdpr-art33')).toMatchObject({ state: 'met', late: false });
  });
});

describe('clocksSteadyUntil', () => {
  const clock = (over: Partial<Clock>): Clock => ({ id: 'x', kind: 'checklist', label: 'x', dueAt: '2026-01-01T12:00:00.000Z', state: 'pending', metAt: null, late: false, window: '1h', role: null, ...over });

  it('is the earliest time a pending clock or an unreached escalation level passes', () => {
    const at = new Date('2026-01-01T10:00:00Z');
    const clocks = [
      clock({ id: 'late', dueAt: '2026-01-01T13:00:00.000Z' }),
      clock({ id: 'ack', kind: 'ack', state: 'overdue', dueAt: '2026-01-01T09:00:00.000Z', escalation: [{ level: 1, role: 'ic', at: '2026-01-01T09:00:00.000Z', reached: true }, { level: 2, role: 'lead', at: '2026-01-01T11:30:00.000Z', reached: false }] }),
      clock({ id: 'met', state: 'met', dueAt: '2026-01-01T10:30:00.000Z', metAt: '2026-01-01T09:30:00.000Z' }),
    ];
    expect(new Date(clocksSteadyUntil(clocks, at)).toISOString()).toBe('2026-01-01T11:30:00.000Z');
  });

  it('is unbounded when every clock is met or already overdue with nothing left to reach', () => {
    expect(clocksSteadyUntil([clock({ state: 'met', metAt: '2026-01-01T11:00:00.000Z' }), clock({ state: 'overdue', dueAt: '2026-01-01T09:00:00.000Z' })], new Date('2026-01-01T10:00:00Z'))).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with deriveClocks: the states are the same up to that instant and change just after it', () => {
    const plan = builtInPlan('nist-team-procedures');
    const incident = new IncidentHarness(plan, undefined, T);
    incident.run({ type: 'triage', decision: 'confirm', severity: 'high' }, 'alice', T);
    const state = incident.state;
    const at = plus(1);
    const clocks = deriveClocks(plan, state, at);
    const until = clocksSteadyUntil(clocks, at);
    expect(Number.isFinite(until)).toBe(true);
    const statesOf = (c: readonly Clock[]) => c.map((k) => `${k.id}:${k.state}:${(k.escalation ?? []).map((l) => l.reached).join(',')}`).sort();
    expect(statesOf(deriveClocks(plan, state, new Date(until)))).toEqual(statesOf(clocks));
    expect(statesOf(deriveClocks(plan, state, new Date(until + 1)))).not.toEqual(statesOf(clocks));
  });
});
