/**
 * A CRA Art. 14 vulnerability through the API on the real store (both legs): flagged
 * actively exploited, early warning filed with its report's hash, the notification due
 * 72 h from awareness (Art. 14(2)(b)), fix available, final report due 14 days later
 * (Art. 14(2)(c)); `verify` passes and the filing records hold the hashes. Bad filings are
 * 4xx naming the problem, with the incident at the same version afterwards.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

const HOUR = 3_600_000;

describe('regulatory filings over HTTP (CRA Art. 14)', () => {
  let h: HttpHarness;
  let id: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder', { plan: 'iso27001-library', title: 'RCE in the parser, exploited in the wild' });
  });
  afterAll(async () => h.close());

  const url = (path: string) => `/api/v1/incidents/${id}${path}`;
  const view = async () => (await h.call('admin', 'GET', url(''))).json();
  const stage = async (stageId: string) => (await view()).regulatory.find((s: { id: string }) => s.id === stageId);

  it('early warning filed with its report hash; notification and final report deadlines follow the text', async () => {
    const aware = h.app.time.now().toISOString();
    expect((await h.call('responder', 'POST', url('/flags'), { flag: 'actively-exploited' })).statusCode).toBe(200);
    const ew = await stage('cra-art14-vulnerability-early-warning');
    expect(ew).toMatchObject({ state: 'open', startedAt: aware, dueAt: new Date(Date.parse(aware) + 24 * HOUR).toISOString() });

    const report = JSON.stringify({ product: 'libparse 2.4', memberStates: ['DE', 'FR'] });
    const hash = createHash('sha256').update(report).digest('hex');
    const filed = await h.call('responder', 'POST', url('/regulatory/cra-art14-vulnerability-early-warning/filed'), { reference: 'ENISA-SRP-2026-0042', reportSha256: hash });
    expect(filed.statusCode).toBe(200);
    expect(await stage('cra-art14-vulnerability-early-warning')).toMatchObject({ state: 'filed', reference: 'ENISA-SRP-2026-0042', reportSha256: hash, filedBy: h.users.responder.handle });
    expect((await stage('cra-art14-vulnerability-notification')).dueAt).toBe(new Date(Date.parse(aware) + 72 * HOUR).toISOString());

    expect((await stage('cra-art14-vulnerability-final-report')).state).toBe('waiting');
    h.app.time.advance(30 * HOUR);
    const fixAt = h.app.time.now().toISOString();
    await h.call('responder', 'POST', url('/flags'), { flag: 'fix-available' });
    expect((await stage('cra-art14-vulnerability-final-report')).dueAt).toBe(new Date(Date.parse(fixAt) + 14 * 24 * HOUR).toISOString());

    const verify = (await h.call('admin', 'GET', url('/verify'))).json();
    expect(verify.items[0].ok).toBe(true);
    const timeline = (await h.call('admin', 'GET', url('/timeline'))).json();
    const filing = (timeline.items ?? timeline).find((e: { type: string }) => e.type === 'regulatory_filed');
    expect(filing.data).toMatchObject({ clock: 'cra-art14-vulnerability-early-warning', reportSha256: hash, late: false });
  });

  const bad: [string, string, Record<string, unknown>, number, string][] = [
    ['filing a stage twice', 'cra-art14-vulnerability-early-warning', {}, 409, 'FB_ERR_REGULATORY_ALREADY_FILED'],
    ['filing the final report before the notification', 'cra-art14-vulnerability-final-report', {}, 409, 'FB_ERR_REGULATORY_OUT_OF_ORDER'],
    ['a reference with control characters', 'cra-art14-vulnerability-notification', { reference: 'ENISA-1\u001b[31m' }, 400, 'FB_ERR_INPUT_INVALID'],
    ['a report hash that is not a SHA-256', 'cra-art14-vulnerability-notification', { reportSha256: 'not-a-hash' }, 400, 'FB_ERR_INPUT_INVALID'],
    ['a stage the plan lacks', 'made-up', {}, 400, 'FB_ERR_INCIDENT_UNKNOWN_CLOCK'],
  ];
  for (const [what, clock, body, status, code] of bad) {
    it(`${what} → ${status} ${code}, nothing stored`, async () => {
      const before = (await view()).incident.version;
      const response = await h.call('responder', 'POST', url(`/regulatory/${clock}/filed`), body);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ code, status });
      expect((await view()).incident.version).toBe(before);
    });
  }
});
