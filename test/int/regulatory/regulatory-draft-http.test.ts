/**
 * The end-to-end path on the real store (both legs): a vulnerability flagged
 * actively exploited → the CRA Art. 14(2)(a) early warning drafted from the log, the product
 * and Member States filled in, reviewed by a second person, exported (JSON and PDF), filed
 * without a hash (the filing takes the approved export's) → notification due 72 h from
 * awareness → fix available → final report due 14 days later (Art. 14(2)(c)); `verify`
 * passes and the filing record holds the SHA-256 of the exported JSON's bytes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

const HOUR = 3_600_000;
const EW = 'cra-art14-vulnerability-early-warning';

describe('regulatory report drafts over HTTP (CRA Art. 14)', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder', { plan: 'iso27001-library', title: 'RCE in the parser, exploited in the wild' });
  });
  afterAll(async () => h.close());

  const url = (path: string) => `/api/v1/incidents/${id}${path}`;
  const draft = (clock = EW) => url(`/regulatory/${clock}/draft`);
  const version = async () => (await h.call('admin', 'GET', url(''))).json().incident.version;
  const stage = async (stageId: string) => (await h.call('admin', 'GET', url(''))).json().regulatory.find((s: { id: string }) => s.id === stageId);

  it('drafted, completed, reviewed by a second person, exported and filed by its hash; later deadlines follow', async () => {
    const aware = h.app.time.now().toISOString();
    expect((await h.call('responder', 'POST', url('/flags'), { flag: 'actively-exploited' })).statusCode).toBe(200);

    const first = (await h.call('responder', 'GET', draft())).json();
    expect(first.items.map((i: { id: string }) => i.id)).toEqual(['product', 'member-states']);
    expect(first.missing).toEqual(['product', 'member-states']);
    expect(first.dueAt).toBe(new Date(Date.parse(aware) + 24 * HOUR).toISOString());
    // Nothing to approve yet, and an export needs an approved report.
    expect((await h.call('admin', 'POST', `${draft()}/review`, { decision: 'approve' })).json().code).toBe('FB_ERR_REGULATORY_DRAFT_NOT_READY');
    expect((await h.call('admin', 'GET', `${draft()}/export`)).statusCode).toBe(409);

    const partly = (await h.call('responder', 'PATCH', draft(), { fields: { product: 'libparse 2.4.0 (pkg:npm/libparse@2.4.0)' } })).json();
    expect(partly.missing).toEqual(['member-states']);
    expect(partly.items[0]).toMatchObject({ value: 'libparse 2.4.0 (pkg:npm/libparse@2.4.0)', source: expect.stringContaining('entered by responder') });
    const incomplete = await h.call('admin', 'POST', `${draft()}/review`, { decision: 'approve' });
    expect(incomplete.statusCode).toBe(409);
    expect(incomplete.json().detail).toContain('member-states');

    const complete = (await h.call('responder', 'PATCH', draft(), { fields: { 'member-states': 'DE, FR, NL' } })).json();
    expect(complete).toMatchObject({ missing: [], revision: 2, lastEditedBy: 'responder', reportSha256: null });

    const same = await h.call('responder', 'POST', `${draft()}/review`, { decision: 'approve' });
    expect(same.statusCode).toBe(409);
    expect(same.json().code).toBe('FB_ERR_REGULATORY_SAME_REVIEWER');
    expect((await h.call('admin', 'GET', draft())).json().review).toBeNull();

    const approved = (await h.call('admin', 'POST', `${draft()}/review`, { decision: 'approve' })).json();
    expect(approved.review).toMatchObject({ decision: 'approved', by: 'admin', revision: 2 });
    expect(approved.reportSha256).toMatch(/^[0-9a-f]{64}$/);

    const json = await h.call('responder', 'GET', `${draft()}/export?format=json`);
    expect(json.statusCode).toBe(200);
    const sha = createHash('sha256').update(json.rawPayload).digest('hex');
    expect(sha).toBe(approved.reportSha256);
    expect(json.headers['x-report-sha256']).toBe(sha);
    const report = JSON.parse(json.rawPayload.toString('utf8'));
    expect(report).toMatchObject({ incident: { id }, stage: { id: EW, citation: 'CRA Art. 14(2)(a)' }, approvedBy: 'admin', editedBy: 'responder' });
    expect(report.content.map((c: { value: string }) => c.value)).toEqual(['libparse 2.4.0 (pkg:npm/libparse@2.4.0)', 'DE, FR, NL']);

    const pdf = await h.call('responder', 'GET', `${draft()}/export?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // A hash that is not the approved export's is refused, naming the field; nothing stored.
    const before = await version();
    const wrong = await h.call('responder', 'POST', url(`/regulatory/${EW}/filed`), { reference: 'ENISA-SRP-2026-0042', reportSha256: 'a'.repeat(64) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'FB_ERR_REGULATORY_REPORT_MISMATCH', fields: [{ path: 'reportSha256' }] });
    expect(await version()).toBe(before);

    h.app.time.advance(3 * HOUR);
    expect((await h.call('responder', 'POST', url(`/regulatory/${EW}/filed`), { reference: 'ENISA-SRP-2026-0042' })).statusCode).toBe(200);
    expect(await stage(EW)).toMatchObject({ state: 'filed', reportSha256: sha, reference: 'ENISA-SRP-2026-0042' });
    expect((await stage('cra-art14-vulnerability-notification')).dueAt).toBe(new Date(Date.parse(aware) + 72 * HOUR).toISOString());
    // A filed stage's report is final.
    expect((await h.call('responder', 'PATCH', draft(), { fields: { product: 'x' } })).json().code).toBe('FB_ERR_REGULATORY_ALREADY_FILED');

    h.app.time.advance(27 * HOUR);
    const fixAt = h.app.time.now().toISOString();
    await h.call('responder', 'POST', url('/flags'), { flag: 'fix-available' });
    expect((await stage('cra-art14-vulnerability-final-report')).dueAt).toBe(new Date(Date.parse(fixAt) + 14 * 24 * HOUR).toISOString());
    // The final report's "security update" item is drafted from the fix-available fact.
    const finalDraft = (await h.call('responder', 'GET', draft('cra-art14-vulnerability-final-report'))).json();
    expect(finalDraft.items.find((i: { id: string }) => i.id === 'update')).toMatchObject({ source: `flag fix-available, set ${fixAt}` });
    expect(finalDraft.missing).toContain('actor');

    expect((await h.call('admin', 'GET', url('/verify'))).json().items[0].ok).toBe(true);
    const timeline = (await h.call('admin', 'GET', url('/timeline'))).json();
    const types = timeline.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['regulatory_draft_edited', 'regulatory_draft_reviewed', 'regulatory_filed']));
    const filing = timeline.items.find((e: { type: string }) => e.type === 'regulatory_filed');
    expect(filing.data).toMatchObject({ clock: EW, reportSha256: sha, late: false });
  });

  const bad: [string, string, string, unknown, number, string, string][] = [
    ['an item the stage does not require', 'PATCH', '', { fields: { colour: 'red' } }, 400, 'FB_ERR_INPUT_INVALID', 'fields.colour'],
    ['no items at all', 'PATCH', '', { fields: {} }, 400, 'FB_ERR_INPUT_INVALID', 'fields'],
    ['an item that is not text', 'PATCH', '', { fields: { nature: 7 } }, 400, 'FB_ERR_INPUT_INVALID', 'fields.nature'],
    ['a stage the plan lacks', 'PATCH', 'made-up', { fields: { nature: 'x' } }, 400, 'FB_ERR_INCIDENT_UNKNOWN_CLOCK', 'clock'],
    ['a rejection without a note', 'POST', '/review', { decision: 'reject' }, 400, 'FB_ERR_INPUT_INVALID', 'note'],
    ['a decision that is neither', 'POST', '/review', { decision: 'maybe' }, 400, 'FB_ERR_INPUT_INVALID', 'decision'],
  ];
  for (const [what, method, suffix, body, status, code, field] of bad) {
    it(`${what} → ${status} ${code} naming ${field}, nothing stored`, async () => {
      // The notification stage: open, with a draft once the first case below has run.
      const clock = suffix === 'made-up' ? 'made-up' : 'cra-art14-vulnerability-notification';
      await h.call('responder', 'PATCH', draft('cra-art14-vulnerability-notification'), { fields: { nature: 'Heap overflow in the parser' } });
      const before = await version();
      const response = await h.call('admin', method, `${draft(clock)}${suffix === 'made-up' ? '' : suffix}`, body);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ code, status });
      expect(response.json().fields.map((f: { path: string }) => f.path)).toContain(field);
      expect(await version()).toBe(before);
    });
  }
});
