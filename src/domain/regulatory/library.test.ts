/**
 * Known answers from the regulations' texts: one test (at least) per stage per regime,
 * each naming the provision it encodes; early and late filings moving the next deadline,
 * a weekend, and DST in the plan's (deciding) zone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IncidentHarness, refusal } from '../../../test/support/incident-builders.js';
import { deriveClocks } from '../clocks/clocks.js';
import { validatePlan } from '../plan/plan-parse.js';
import type { Plan } from '../plan/plan-schema.js';
import { REGULATORY_LIBRARY } from './library.js';
import { regulatoryStages } from './regulatory-stage.js';

function basePlan(): Record<string, unknown> {
  return parse(readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
}

function planWith(overrides: Record<string, unknown>): Plan {
  const result = validatePlan({ ...basePlan(), ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.plan;
}

const HOUR = 3_600_000;
const T = '2026-03-02T09:00:00.000Z';
const at = (hours: number, from = T) => new Date(Date.parse(from) + hours * HOUR).toISOString();

function incident(plan: Plan, reported = T): IncidentHarness {
  return new IncidentHarness(plan, undefined, reported);
}

function stage(h: IncidentHarness, id: string, now: string) {
  const found = regulatoryStages(h.plan, h.state, new Date(now)).find((s) => s.id === id);
  if (!found) throw new Error(`no stage ${id}`);
  return found;
}

describe('regulatory library entries', () => {
  it('every entry has a version, a date checked, a citation per stage and content per stage', () => {
    for (const entry of REGULATORY_LIBRARY) {
      expect(entry.version, entry.id).toMatch(/^\d+$/);
      expect(entry.checkedOn, entry.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const s of entry.stages) {
        expect(s.citation, `${entry.id}/${s.stage}`).not.toBe('');
        expect(s.content.length, `${entry.id}/${s.stage}`).toBeGreaterThan(0);
      }
    }
    expect(REGULATORY_LIBRARY.find((e) => e.id === 'circia')).toMatchObject({ inForce: false });
    expect(REGULATORY_LIBRARY.find((e) => e.id === 'circia')?.notes[0]).toMatch(/^Rule not yet in force/);
  });

  it('a plan pins the version it uses; a different version fails the plan naming the field', () => {
    expect(planWith({ regulatory: [{ use: 'gdpr-art33', version: '2' }] }).regulatory[0]?.library).toMatchObject({ entry: 'gdpr-art33', version: '2' });
    const result = validatePlan({ ...basePlan(), regulatory: [{ use: 'gdpr-art33', version: '1' }] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ path: 'regulatory[0].version', message: expect.stringContaining('holds version 2') }));
  });

  it('rejects an unknown library entry, a duplicate, and a stage starting from an unknown filing', () => {
    const unknown = validatePlan({ ...basePlan(), regulatory: [{ use: 'made-up' }] });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.problems).toContainEqual(expect.objectContaining({ path: 'regulatory[0].use' }));
    expect(validatePlan({ ...basePlan(), regulatory: [{ use: 'gdpr-art33' }, { use: 'gdpr-art33' }] }).ok).toBe(false);
    const dangling = validatePlan({ ...basePlan(), regulatory: [{ id: 'b', name: 'B', regulation: 'X', trigger: 'filed:a', within: '1d' }] });
    expect(dangling.ok).toBe(false);
    if (!dangling.ok) expect(dangling.problems).toContainEqual(expect.objectContaining({ path: 'regulatory[0].trigger' }));
  });
});

describe('GDPR', () => {
  const plan = planWith({ regulatory: [{ use: 'gdpr-art33' }, { use: 'gdpr-art34' }] });

  it('Art. 33(1): the authority is notified within 72 hours of awareness', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'personal-data' }, 'alice', at(2));
    expect(stage(h, 'gdpr-art33', at(3))).toMatchObject({ state: 'open', startedAt: at(2), dueAt: at(74) });
    expect(stage(h, 'gdpr-art33', at(75)).state).toBe('overdue');
  });

  it('Art. 33(1): a notification after 72 hours is refused without reasons for the delay, and records them when given', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'personal-data' }, 'alice', at(0));
    const err = refusal(() => h.run({ type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-1' }, 'dpo', at(80)));
    expect(err.code).toBe('FB_ERR_REGULATORY_REASON_REQUIRED');
    expect(err.fields[0]?.path).toBe('reason');
    h.run({ type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-1', reason: 'Scope unclear until the log review finished' }, 'dpo', at(80));
    expect(stage(h, 'gdpr-art33', at(81))).toMatchObject({ state: 'filed-late', filedBy: 'dpo', reference: 'DPA-1', lateReason: 'Scope unclear until the log review finished' });
  });

  it('Art. 33(4): information may follow in phases — the stage takes further filings', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'personal-data' }, 'alice', at(0));
    h.run({ type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-1' }, 'dpo', at(10));
    h.run({ type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-1', reason: 'Phase 2: number of records' }, 'dpo', at(100));
    const s = stage(h, 'gdpr-art33', at(101));
    expect(s).toMatchObject({ state: 'filed', filedAt: at(10) });
    expect(s.filings.map((f) => f.reason)).toEqual([null, 'Phase 2: number of records']);
  });

  it('Art. 34(1): data subjects are told without undue delay — listed, with no countdown invented', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'high-risk-to-data-subjects' }, 'alice', at(1));
    expect(stage(h, 'gdpr-art34', at(500))).toMatchObject({ state: 'open', dueAt: null, startedAt: at(1) });
    expect(deriveClocks(plan, h.state, new Date(at(2))).some((c) => c.id === 'regulatory:gdpr-art34')).toBe(false);
  });
});

describe('NIS2 Art. 23', () => {
  const plan = planWith({ timeZone: 'Europe/Berlin', regulatory: [{ use: 'nis2-art23' }] });
  const flagged = (aware = T) => {
    const h = incident(plan, aware);
    h.run({ type: 'set_flag', flag: 'significant-incident' }, 'alice', aware);
    return h;
  };

  it('Art. 23(4)(a): early warning within 24 hours of becoming aware', () => {
    expect(stage(flagged(), 'nis2-art23-early-warning', at(1))).toMatchObject({ state: 'open', dueAt: at(24) });
  });

  it('Art. 23(4)(b): incident notification within 72 hours of becoming aware, and not before the early warning', () => {
    const h = flagged();
    expect(stage(h, 'nis2-art23-notification', at(1)).dueAt).toBe(at(72));
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: 'nis2-art23-notification' }, 'ciso', at(2))).code).toBe('FB_ERR_REGULATORY_OUT_OF_ORDER');
  });

  it('Art. 23(4)(c): the intermediate report waits for the request and may be filed more than once', () => {
    const h = flagged();
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-early-warning' }, 'ciso', at(5));
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-notification' }, 'ciso', at(30));
    expect(stage(h, 'nis2-art23-intermediate', at(31)).state).toBe('waiting');
    h.run({ type: 'set_flag', flag: 'intermediate-report-requested' }, 'ciso', at(40));
    expect(stage(h, 'nis2-art23-intermediate', at(41))).toMatchObject({ state: 'open', dueAt: null });
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-intermediate' }, 'ciso', at(50));
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-intermediate' }, 'ciso', at(60));
    expect(stage(h, 'nis2-art23-intermediate', at(61)).filings).toHaveLength(2);
  });

  it('Art. 23(4)(d): the final report is due one month after the notification was submitted — an early notification moves it earlier', () => {
    const h = flagged();
    expect(stage(h, 'nis2-art23-final-report', at(1))).toMatchObject({ state: 'waiting', dueAt: null });
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-early-warning' }, 'ciso', at(3));
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-notification' }, 'ciso', at(10)); // Mon 2 March 19:00 UTC
    expect(stage(h, 'nis2-art23-final-report', at(11)).dueAt).toBe('2026-04-02T18:00:00.000Z'); // 20:00 CEST, same wall time as 20:00 CET
  });

  it('Art. 23(4)(d): a late notification (with its reason) moves the final report later', () => {
    const h = flagged();
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-early-warning' }, 'ciso', at(3));
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-notification', reason: 'Waiting on the hosting provider' }, 'ciso', at(96)); // Fri 6 March 09:00 UTC
    expect(stage(h, 'nis2-art23-notification', at(97)).state).toBe('filed-late');
    expect(stage(h, 'nis2-art23-final-report', at(97)).dueAt).toBe('2026-04-06T08:00:00.000Z');
  });

  it('Art. 23(4)(d) across DST in the deciding zone (Europe/Berlin, 29 March 2026): one month keeps the local time', () => {
    const h = flagged('2026-03-20T10:00:00.000Z');
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-early-warning' }, 'ciso', '2026-03-20T12:00:00.000Z');
    h.run({ type: 'file_regulatory', clock: 'nis2-art23-notification' }, 'ciso', '2026-03-21T10:00:00.000Z'); // 11:00 CET
    expect(stage(h, 'nis2-art23-final-report', '2026-03-21T11:00:00.000Z').dueAt).toBe('2026-04-21T09:00:00.000Z'); // 11:00 CEST
  });
});

describe('DORA Art. 19 with RTS (EU) 2025/301', () => {
  const plan = planWith({ regulatory: [{ use: 'dora-major-ict' }] });

  it('Art. 19(4)(a), RTS Art. 5(1): initial notification 4 hours from classification', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'major-ict-incident' }, 'alice', at(3));
    expect(stage(h, 'dora-major-ict-initial', at(4))).toMatchObject({ dueAt: at(7), state: 'open' });
  });

  it('RTS Art. 5(1): and no later than 24 hours from awareness — a late classification does not buy 4 more hours', () => {
    const h = incident(plan);
    expect(stage(h, 'dora-major-ict-initial', at(1)).dueAt).toBe(at(24));
    h.run({ type: 'set_flag', flag: 'major-ict-incident' }, 'alice', at(22));
    expect(stage(h, 'dora-major-ict-initial', at(22)).dueAt).toBe(at(24));
  });

  it('Art. 19(4)(b), RTS Art. 5(2): intermediate report 72 hours from the initial notification as submitted', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'major-ict-incident' }, 'alice', at(1));
    h.run({ type: 'file_regulatory', clock: 'dora-major-ict-initial' }, 'ciso', at(2)); // early
    expect(stage(h, 'dora-major-ict-intermediate', at(3)).dueAt).toBe(at(74));
  });

  it('Art. 19(4)(c), RTS Art. 5(3): final report one month from the latest intermediate report', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'major-ict-incident' }, 'alice', at(1));
    h.run({ type: 'file_regulatory', clock: 'dora-major-ict-initial' }, 'ciso', at(2));
    h.run({ type: 'file_regulatory', clock: 'dora-major-ict-intermediate' }, 'ciso', at(50));
    expect(stage(h, 'dora-major-ict-final', at(51)).dueAt).toBe('2026-04-04T11:00:00.000Z');
    h.run({ type: 'file_regulatory', clock: 'dora-major-ict-intermediate' }, 'ciso', at(100)); // an updated intermediate report
    expect(stage(h, 'dora-major-ict-final', at(101)).dueAt).toBe('2026-04-06T13:00:00.000Z');
  });
});

describe('Cyber Resilience Act Art. 14', () => {
  const plan = planWith({ regulatory: [{ use: 'cra-art14-vulnerability' }, { use: 'cra-art14-incident' }] });

  it('Art. 14(2)(a): early warning of an actively exploited vulnerability within 24 hours, naming the product and Member States', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    expect(stage(h, 'cra-art14-vulnerability-early-warning', at(2)).dueAt).toBe(at(25));
    expect(plan.regulatory.find((r) => r.id === 'cra-art14-vulnerability-early-warning')?.content.map((c) => c.id)).toEqual(['product', 'member-states']);
  });

  it('Art. 14(2)(b): vulnerability notification within 72 hours of awareness', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    expect(stage(h, 'cra-art14-vulnerability-notification', at(2)).dueAt).toBe(at(73));
  });

  it('Art. 14(2)(c): final report 14 days after a corrective or mitigating measure is available', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    expect(stage(h, 'cra-art14-vulnerability-final-report', at(2)).state).toBe('waiting');
    h.run({ type: 'set_flag', flag: 'fix-available' }, 'alice', at(200));
    expect(stage(h, 'cra-art14-vulnerability-final-report', at(201)).dueAt).toBe(at(200 + 14 * 24));
  });

  it('Art. 14(4)(a)-(b): severe incident early warning 24 h and notification 72 h from awareness', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'severe-incident' }, 'alice', at(0));
    expect(stage(h, 'cra-art14-incident-early-warning', at(1)).dueAt).toBe(at(24));
    expect(stage(h, 'cra-art14-incident-notification', at(1)).dueAt).toBe(at(72));
  });

  it('Art. 14(4)(c): severe incident final report one month after the notification was submitted', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'severe-incident' }, 'alice', at(0));
    h.run({ type: 'file_regulatory', clock: 'cra-art14-incident-early-warning' }, 'psirt', at(20));
    h.run({ type: 'file_regulatory', clock: 'cra-art14-incident-notification' }, 'psirt', at(60));
    expect(stage(h, 'cra-art14-incident-final-report', at(61)).dueAt).toBe('2026-04-04T21:00:00.000Z');
  });
});

describe('SEC Form 8-K Item 1.05', () => {
  it('General Instruction B.1: four business days from the materiality determination, over a weekend and a holiday', () => {
    const plan = planWith({ timeZone: 'America/New_York', holidays: ['2026-12-25'], regulatory: [{ use: 'sec-8k-105' }] });
    const h = incident(plan, '2026-12-22T15:00:00.000Z');
    // Wed 23 Dec 10:00 New York: Thu 24 (1), Fri 25 holiday, weekend, Mon 28 (2), Tue 29 (3), Wed 30 (4).
    h.run({ type: 'set_flag', flag: 'material' }, 'cfo', '2026-12-23T15:00:00.000Z');
    expect(stage(h, 'sec-8k-105', '2026-12-23T16:00:00.000Z').dueAt).toBe('2026-12-30T15:00:00.000Z');
  });

  it('B.1 across DST (America/New_York, 8 March 2026): a Friday determination is due Thursday at the same local time', () => {
    const plan = planWith({ timeZone: 'America/New_York', regulatory: [{ use: 'sec-8k-105' }] });
    const h = incident(plan, '2026-03-05T15:00:00.000Z');
    h.run({ type: 'set_flag', flag: 'material' }, 'cfo', '2026-03-06T20:00:00.000Z');
    expect(stage(h, 'sec-8k-105', '2026-03-06T21:00:00.000Z').dueAt).toBe('2026-03-12T19:00:00.000Z');
  });

  it('Item 1.05 Instruction 2: an amendment four business days after the information becomes available, only after the filing', () => {
    const plan = planWith({ timeZone: 'America/New_York', regulatory: [{ use: 'sec-8k-105' }] });
    const h = incident(plan, '2026-06-01T14:00:00.000Z');
    h.run({ type: 'set_flag', flag: 'material' }, 'cfo', '2026-06-01T14:00:00.000Z');
    h.run({ type: 'set_flag', flag: '8k-information-available' }, 'cfo', '2026-06-04T14:00:00.000Z'); // Thursday
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: 'sec-8k-105-amendment' }, 'cfo', '2026-06-04T15:00:00.000Z')).code).toBe('FB_ERR_REGULATORY_OUT_OF_ORDER');
    expect(stage(h, 'sec-8k-105-amendment', '2026-06-04T15:00:00.000Z').dueAt).toBe('2026-06-10T14:00:00.000Z'); // Wed
  });
});

describe('HIPAA and CIRCIA', () => {
  it('45 CFR 164.404(b) and 164.408(b): no later than 60 calendar days after discovery', () => {
    const plan = planWith({ regulatory: [{ use: 'hipaa-breach' }] });
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'phi-breach' }, 'alice', at(0));
    h.run({ type: 'set_flag', flag: 'phi-breach-500' }, 'alice', at(24));
    expect(stage(h, 'hipaa-breach', at(1)).dueAt).toBe('2026-05-01T09:00:00.000Z');
    expect(stage(h, 'hipaa-breach-hhs', at(25)).dueAt).toBe('2026-05-02T09:00:00.000Z');
  });

  it('6 U.S.C. 681b(a)(1)(A), (a)(2)(A): 72 h after a covered incident, 24 h after a ransom payment (rule not yet in force)', () => {
    const plan = planWith({ regulatory: [{ use: 'circia' }] });
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'covered-incident' }, 'alice', at(1));
    expect(stage(h, 'circia-incident', at(2)).dueAt).toBe(at(73));
    expect(stage(h, 'circia-ransom', at(2)).state).toBe('waiting');
    h.run({ type: 'set_flag', flag: 'ransom-paid' }, 'alice', at(10));
    expect(stage(h, 'circia-ransom', at(11))).toMatchObject({ dueAt: at(34), library: { inForce: false } });
  });
});

describe('filing refusals change nothing', () => {
  const plan = planWith({ regulatory: [{ use: 'cra-art14-vulnerability' }] });

  it('filing a stage twice, a later stage first, or a reference with control characters is refused', () => {
    const h = incident(plan);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: 'cra-art14-vulnerability-notification' }, 'psirt', at(2))).code).toBe('FB_ERR_REGULATORY_OUT_OF_ORDER');
    const control = refusal(() => h.run({ type: 'file_regulatory', clock: 'cra-art14-vulnerability-early-warning', reference: 'ENISA-1\u0007' }, 'psirt', at(2)));
    expect(control).toMatchObject({ code: 'FB_ERR_INPUT_INVALID' });
    expect(control.fields[0]?.path).toBe('reference');
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: 'cra-art14-vulnerability-early-warning', reportSha256: 'abc' }, 'psirt', at(2))).fields[0]?.path).toBe('reportSha256');
    const before = h.events.length;
    h.run({ type: 'file_regulatory', clock: 'cra-art14-vulnerability-early-warning', reference: 'ENISA-1' }, 'psirt', at(2));
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: 'cra-art14-vulnerability-early-warning' }, 'psirt', at(3))).code).toBe('FB_ERR_REGULATORY_ALREADY_FILED');
    expect(h.events.length).toBe(before + 1);
  });
});
