import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import { deriveClocks } from './clocks.js';

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
