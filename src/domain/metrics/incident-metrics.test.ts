import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import { computeMetrics, mean, percentile, sitrepPunctuality } from './incident-metrics.js';
import { containedAt, formatDuration } from './response-times.js';

const team = builtInPlan('nist-team-procedures');
const iso = builtInPlan('iso27001-library');

describe('percentiles and means', () => {
  it('uses the nearest rank: p90 of 1..10 is 9, of one value is that value, of none is null', () => {
    expect(percentile([10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 90)).toBe(9);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 90)).toBeNull();
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNull();
  });
});

describe('sitrep punctuality', () => {
  it('given hourly sitreps from declaration, counts the late one and the one owed before resolution', () => {
    const incident = new IncidentHarness(team, undefined, '2026-03-03T09:00:00.000Z');
    incident.run({ type: 'triage', decision: 'confirm', severity: 'high' }, 'pat', '2026-03-03T09:00:00.000Z');
    incident.run({ type: 'post_sitrep', text: 'one' }, 'pat', '2026-03-03T09:50:00.000Z'); // on time
    incident.run({ type: 'post_sitrep', text: 'two' }, 'pat', '2026-03-03T11:05:00.000Z'); // late (due 10:50)
    incident.run({ type: 'resolve' }, 'pat', '2026-03-03T12:30:00.000Z'); // 12:05 passed without a sitrep: one owed
    expect(sitrepPunctuality(team, incident.state, new Date('2026-03-04T00:00:00Z'))).toEqual({ owed: 3, onTime: 1 });
  });
});

describe('containment', () => {
  it('prefers the contained flag, then leaving a containment phase, then resolution', () => {
    const flagged = new IncidentHarness(team);
    flagged.run({ type: 'triage', decision: 'confirm', severity: 'low' });
    flagged.run({ type: 'set_flag', flag: 'contained' }, 'a', '2026-03-02T10:00:00.000Z');
    expect(containedAt(team, flagged.state)).toBe('2026-03-02T10:00:00.000Z');

    const phased = new IncidentHarness(iso);
    phased.run({ type: 'triage', decision: 'confirm', severity: 'P3' });
    phased.run({ type: 'enter_phase', phase: 'containment', force: { reason: 'test' } }, 'a', '2026-03-02T10:00:00.000Z');
    expect(containedAt(iso, phased.state)).toBeNull();
    phased.run({ type: 'enter_phase', phase: 'eradication', force: { reason: 'test' } }, 'a', '2026-03-02T13:00:00.000Z');
    expect(containedAt(iso, phased.state)).toBe('2026-03-02T13:00:00.000Z');
    expect(formatDuration(3 * 3_600_000)).toBe('3 h 0 min');
    expect(formatDuration(50 * 3_600_000)).toBe('2 d 2 h');
  });
});

describe('computeMetrics', () => {
  it('leaves drills and dismissed events out of every figure', () => {
    const real = new IncidentHarness(team, undefined, '2026-03-02T09:00:00.000Z', 'INC-1');
    real.run({ type: 'triage', decision: 'confirm', severity: 'high' });
    real.run({ type: 'acknowledge' }, 'a', '2026-03-02T09:08:00.000Z');
    const drill = new IncidentHarness(team, { type: 'report', title: 'tabletop', reporter: { anonymous: true }, drill: true }, '2026-03-02T09:00:00.000Z', 'INC-2');
    drill.run({ type: 'triage', decision: 'confirm', severity: 'high' });
    drill.run({ type: 'acknowledge' }, 'a', '2026-03-02T15:00:00.000Z');
    const alarm = new IncidentHarness(team, undefined, '2026-03-02T09:00:00.000Z', 'INC-3');
    alarm.run({ type: 'triage', decision: 'dismiss', reason: 'maintenance' });
    const report = computeMetrics(
      [real, drill, alarm].map((h) => ({ plan: team, state: h.state, actionItems: [] })),
      { at: '2026-03-02T12:00:00.000Z' },
    );
    expect(report.overall.count).toBe(1);
    expect(report.overall.mttaMs).toBe(8 * 60_000);
    expect(report.drillsExcluded).toBe(1);
    expect(report.falseAlarms).toBe(1);
  });
});
