/**
 * Report drafts per stage (CRA Art. 14): pre-filled from the log with sources, missing
 * items listed, an edit voids an approval, the last editor cannot approve, and the approved
 * hash is the SHA-256 of the exported JSON's bytes, which the filing takes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IncidentHarness, refusal } from '../../../test/support/incident-builders.js';
import { validatePlan } from '../plan/plan-parse.js';
import { regulatoryDraftView, regulatoryReportJson } from './regulatory-draft.js';

const base = parse(readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const validated = validatePlan({ ...base, regulatory: [{ use: 'cra-art14-vulnerability' }] });
if (!validated.ok) throw new Error(JSON.stringify(validated.problems));
const plan = validated.plan;
const T = '2026-03-02T09:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T) + hours * 3_600_000).toISOString();
const EW = 'cra-art14-vulnerability-early-warning';
const FINAL = 'cra-art14-vulnerability-final-report';

describe('regulatory report drafts', () => {
  it('pre-fills what the log knows, with its source, and lists what is missing (CRA Art. 14(2)(c))', () => {
    const h = new IncidentHarness(plan, undefined, T);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    h.run({ type: 'set_flag', flag: 'fix-available' }, 'alice', at(5));
    const view = regulatoryDraftView(plan, h.state, FINAL);
    expect(view.items.find((i) => i.id === 'description')).toMatchObject({ source: expect.stringContaining('incident title') });
    expect(view.items.find((i) => i.id === 'update')).toMatchObject({ source: `flag fix-available, set ${at(5)}` });
    expect(view.missing).toEqual(['actor']);
  });

  it('the last editor cannot approve; an edit voids the approval; the filing takes the approved hash', () => {
    const h = new IncidentHarness(plan, undefined, T);
    h.run({ type: 'set_flag', flag: 'actively-exploited' }, 'alice', at(1));
    h.run({ type: 'edit_regulatory_draft', clock: EW, fields: { product: 'libparse 2.4', 'member-states': 'DE, FR' } }, 'alice', at(2));
    expect(refusal(() => h.run({ type: 'review_regulatory_draft', clock: EW, decision: 'approve' }, 'alice', at(3))).code).toBe('FB_ERR_REGULATORY_SAME_REVIEWER');
    h.run({ type: 'review_regulatory_draft', clock: EW, decision: 'approve' }, 'bob', at(3));
    const approved = h.state.regulatoryDrafts[EW]!.approved!;
    expect(createHash('sha256').update(regulatoryReportJson(approved.report)).digest('hex')).toBe(approved.reportSha256);

    h.run({ type: 'edit_regulatory_draft', clock: EW, fields: { 'member-states': 'DE, FR, NL' } }, 'bob', at(4));
    expect(h.state.regulatoryDrafts[EW]!.approved).toBeNull();
    expect(refusal(() => h.run({ type: 'file_regulatory', clock: EW, reportSha256: approved.reportSha256 }, 'alice', at(5))).fields[0]?.path).toBe('reportSha256');
    h.run({ type: 'review_regulatory_draft', clock: EW, decision: 'approve' }, 'alice', at(5));
    const second = h.state.regulatoryDrafts[EW]!.approved!.reportSha256;
    expect(second).not.toBe(approved.reportSha256);
    h.run({ type: 'file_regulatory', clock: EW, reference: 'ENISA-1' }, 'alice', at(6));
    expect(h.state.regulatoryFiled[EW]?.reportSha256).toBe(second);
  });
});
