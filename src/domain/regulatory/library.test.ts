import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { deriveClocks } from '../clocks/clocks.js';
import type { IncidentEventEnvelope } from '../incident/events.js';
import { replay } from '../incident/state.js';
import { validatePlan } from '../plan/plan-parse.js';
import type { Plan } from '../plan/plan-schema.js';
import { REGULATORY_LIBRARY } from './library.js';

function basePlan(): Record<string, unknown> {
  return parse(readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function planWith(overrides: Record<string, unknown>): Plan {
  const result = validatePlan({ ...basePlan(), ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

let seq = 0;
function event(type: string, data: unknown, occurredAt: string): IncidentEventEnvelope {
  seq += 1;
  return { incidentId: 'INC-1', seq, type, data, occurredAt, recordedAt: occurredAt, actor: 'alice', prevHash: '', hash: String(seq) } as IncidentEventEnvelope;
}

function reportedAt(at: string, flags: Record<string, string> = {}) {
  seq = 0;
  const events = [event('reported', { planId: 'p', planVersion: '1', title: 't', reporter: { anonymous: true }, initialPhase: 'breathe', restricted: false }, at)];
  for (const [flag, when] of Object.entries(flags)) events.push(event('flag_set', { flag }, when));
  return replay(events)!;
}

describe('regulatory library', () => {
  it('covers GDPR, NIS2, SEC 8-K, DORA, HIPAA and CIRCIA with their deadlines', () => {
    const within = Object.fromEntries(REGULATORY_LIBRARY.map((e) => [e.id, e.deadlines.map((d) => d.within)]));
    expect(within).toEqual({
      'gdpr-art33': ['72h'],
      'nis2-art23': ['24h', '72h', '1 month'],
      'sec-8k-105': ['4 business days'],
      'dora-major-ict': ['4h', '24h', '72h', '1 month'],
      'hipaa-breach': ['60d'],
      circia: ['72h', '24h'],
    });
  });

  it('given a plan referencing library entries, when parsed, then each stage becomes a clock and explicit entries stay valid', () => {
    const plan = planWith({
      regulatory: [
        { use: 'gdpr-art33', trigger: 'flag:pii' },
        { use: 'nis2-art23' },
        { id: 'own-clock', name: 'Tell the insurer', regulation: 'Policy §4', trigger: 'declared', within: '48h' },
      ],
    });
    expect(plan.regulatory.map((r) => [r.id, r.trigger, r.within])).toEqual([
      ['gdpr-art33', 'flag:pii', '72h'],
      ['nis2-art23-early-warning', 'flag:significant-incident', '24h'],
      ['nis2-art23-notification', 'flag:significant-incident', '72h'],
      ['nis2-art23-final-report', 'flag:significant-incident', '1 month'],
      ['own-clock', 'declared', '48h'],
    ]);
  });

  it('rejects an unknown library entry and names the field', () => {
    const result = validatePlan({ ...basePlan(), regulatory: [{ use: 'made-up' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ path: 'regulatory[0].use', message: expect.stringContaining('unknown library entry "made-up"') }));
  });

  it('rejects a library entry used twice (duplicate clock ids)', () => {
    const result = validatePlan({ ...basePlan(), regulatory: [{ use: 'gdpr-art33' }, { use: 'gdpr-art33' }] });
    expect(result.ok).toBe(false);
  });

  it('SEC 8-K: 4 business days from the materiality flag skip a holiday and a weekend in the plan time zone', () => {
    const plan = planWith({ timeZone: 'America/New_York', holidays: ['2026-12-25'], regulatory: [{ use: 'sec-8k-105' }] });
    // Wednesday 23 Dec 2026, 10:00 New York: Thu 24 (1), Fri 25 holiday, weekend, Mon 28 (2), Tue 29 (3), Wed 30 (4).
    const state = reportedAt('2026-12-22T15:00:00.000Z', { material: '2026-12-23T15:00:00.000Z' });
    const clock = deriveClocks(plan, state, new Date('2026-12-23T16:00:00Z')).find((c) => c.id === 'regulatory:sec-8k-105');
    expect(clock?.dueAt).toBe('2026-12-30T15:00:00.000Z');
  });

  it('SEC 8-K: a determination on Friday runs to Thursday, same wall-clock time across the DST change', () => {
    const plan = planWith({ timeZone: 'America/New_York', regulatory: [{ use: 'sec-8k-105' }] });
    const state = reportedAt('2026-03-05T15:00:00.000Z', { material: '2026-03-06T20:00:00.000Z' });
    const clock = deriveClocks(plan, state, new Date('2026-03-06T21:00:00Z')).find((c) => c.id === 'regulatory:sec-8k-105');
    // 15:00 EST on Fri 6 March → 15:00 EDT on Thu 12 March (DST began on Sunday 8 March).
    expect(clock?.dueAt).toBe('2026-03-12T19:00:00.000Z');
  });

  it('DORA: the detection-based stage runs from the report, the others from classification', () => {
    const plan = planWith({ regulatory: [{ use: 'dora-major-ict' }] });
    const state = reportedAt('2026-03-02T09:00:00.000Z', { 'major-ict-incident': '2026-03-02T12:00:00.000Z' });
    const due = Object.fromEntries(deriveClocks(plan, state, new Date('2026-03-02T12:00:00Z')).filter((c) => c.kind === 'regulatory').map((c) => [c.id, c.dueAt]));
    expect(due).toEqual({
      'regulatory:dora-major-ict-initial': '2026-03-02T16:00:00.000Z',
      'regulatory:dora-major-ict-initial-detection': '2026-03-03T09:00:00.000Z',
      'regulatory:dora-major-ict-intermediate': '2026-03-05T12:00:00.000Z',
      'regulatory:dora-major-ict-final': '2026-04-02T12:00:00.000Z',
    });
  });

  it('CIRCIA ransom clock waits for its own flag', () => {
    const plan = planWith({ regulatory: [{ use: 'circia' }] });
    const state = reportedAt('2026-03-02T09:00:00.000Z', { 'covered-incident': '2026-03-02T10:00:00.000Z' });
    const ids = deriveClocks(plan, state, new Date('2026-03-02T10:00:00Z')).filter((c) => c.kind === 'regulatory').map((c) => c.id);
    expect(ids).toEqual(['regulatory:circia-incident']);
  });
});
