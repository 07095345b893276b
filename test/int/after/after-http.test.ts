/**
 * The after-incident API over real loopback HTTP: a file streamed up as evidence, viewed,
 * downloaded and transferred (each a custody event), an oversized upload refused with 413
 * and nothing stored, the review and Markdown report, action items, metrics and search
 * limited to the incidents the caller may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness, type SignedIn } from '../../support/http-harness.js';

let h: HttpHarness;
let base: string;
let id: string;
let secret: string;

beforeAll(async () => {
  h = await createHttpHarness();
  base = await h.listen();
  id = await h.report('responder', { title: 'Deploy key used from an unknown host' });
  secret = await h.report('admin', { title: 'Insider copying the customer table', restricted: true });
});
afterAll(async () => h.close());

async function api(who: SignedIn, method: string, path: string, body?: string | Uint8Array, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${h.tokens[who]}`, ...headers }, ...(body !== undefined ? { body } : {}) });
}

describe('after-incident API', () => {
  it('streams a file up as evidence and records view, download and transfer in the custody report', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    const up = await api('responder', 'POST', `/incidents/${id}/evidence/file?description=${encodeURIComponent('auth.log from bastion')}&source=bastion-1&filename=auth.log`, bytes, { 'content-type': 'application/octet-stream' });
    expect(up.status).toBe(201);
    const item = (await up.json()) as { id: string; sha256: string; size: number; custodian: string };
    expect(item).toMatchObject({ size: 300_000, custodian: 'responder' });

    expect((await api('responder', 'POST', `/incidents/${id}/evidence/${item.id}/view`, JSON.stringify({ purpose: 'triage' }), { 'content-type': 'application/json' })).status).toBe(200);
    const download = await api('responder', 'GET', `/incidents/${id}/evidence/${item.id}/content?purpose=forensics`);
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-sha256')).toBe(item.sha256);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    const moved = await api('responder', 'POST', `/incidents/${id}/evidence/${item.id}/transfer`, JSON.stringify({ to: 'admin', reason: 'legal hold' }), { 'content-type': 'application/json' });
    expect(((await moved.json()) as { custodian: string }).custodian).toBe('admin');

    const custody = (await (await api('viewer', 'GET', `/incidents/${id}/evidence/${item.id}/custody`)).json()) as { entries: { action: string; actor: string }[] };
    expect(custody.entries.map((e) => `${e.action}:${e.actor}`)).toEqual(['collected:responder', 'viewed:responder', 'downloaded:responder', 'transferred:responder']);
    // A viewer may read the custody report but not take a copy (that would be a custody event).
    expect((await api('viewer', 'GET', `/incidents/${id}/evidence/${item.id}/content`)).status).toBe(403);
  });

  it('refuses an upload without metadata (400, naming the field) and one over the limit (413), storing nothing', async () => {
    const missing = await api('responder', 'POST', `/incidents/${id}/evidence/file?source=x`, new Uint8Array(10), { 'content-type': 'application/octet-stream' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { fields: { path: string }[] }).fields[0]!.path).toBe('description');
    process.env['FIREBREAK_EVIDENCE_MAX_BYTES'] = '1000';
    const limited = await createHttpHarness();
    delete process.env['FIREBREAK_EVIDENCE_MAX_BYTES'];
    try {
      const url = await limited.listen();
      const incident = await limited.report('responder');
      const big = await fetch(`${url}/api/v1/incidents/${incident}/evidence/file?description=dump&source=db`, {
        method: 'POST',
        headers: { authorization: `Bearer ${limited.tokens.responder}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(5000),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { code: string }).code).toBe('FB_ERR_EVIDENCE_TOO_LARGE');
      const list = await fetch(`${url}/api/v1/incidents/${incident}/evidence`, { headers: { authorization: `Bearer ${limited.tokens.responder}` } });
      expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await limited.close();
    }
  });

  it('hides restricted incidents: their evidence is 404 and search and metrics leave them out', async () => {
    expect((await api('outsider', 'GET', `/incidents/${secret}/evidence`)).status).toBe(404);
    const hits = (await (await api('outsider', 'GET', `/search?q=customer`)).json()) as { items: unknown[] };
    expect(hits.items).toEqual([]);
    const adminHits = (await (await api('admin', 'GET', `/search?q=customer`)).json()) as { items: { incidentId: string }[] };
    expect(adminHits.items.map((i) => i.incidentId)).toEqual([secret]);
    const outsiderMetrics = (await (await api('outsider', 'GET', '/metrics')).json()) as { overall: { count: number } };
    const adminMetrics = (await (await api('admin', 'GET', '/metrics')).json()) as { overall: { count: number } };
    expect([outsiderMetrics.overall.count, adminMetrics.overall.count]).toEqual([0, 0]); // both still events awaiting triage
    const csv = await api('admin', 'GET', '/metrics?format=csv&from=2026-01-01');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toMatch(/^group,key,count,/);
    expect((await api('admin', 'GET', '/metrics?from=yesterday')).status).toBe(400);
  });

  it('edits the review, adds and defers action items, and renders the Markdown report', async () => {
    const patch = await api('responder', 'PATCH', `/incidents/${id}/review`, JSON.stringify({ rootCause: 'The deploy key was never rotated', whys: ['Why was it valid? Never rotated.'] }), { 'content-type': 'application/json' });
    expect(patch.status).toBe(200);
    const bad = await api('responder', 'PATCH', `/incidents/${id}/review`, JSON.stringify({ whys: 'not a list' }), { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    const added = await api('responder', 'POST', `/incidents/${id}/action-items`, JSON.stringify({ title: 'Rotate deploy keys quarterly', owner: 'responder', dueDate: '2026-02-30' }), { 'content-type': 'application/json' });
    expect(added.status).toBe(400);
    const ok = await api('responder', 'POST', `/incidents/${id}/action-items`, JSON.stringify({ title: 'Rotate deploy keys quarterly', owner: 'responder', dueDate: '2026-03-30', trackerUrl: 'https://tracker.example.org/SEC-1' }), { 'content-type': 'application/json' });
    const item = (await ok.json()) as { id: string };
    const noReason = await api('responder', 'PATCH', `/incidents/${id}/action-items/${item.id}`, JSON.stringify({ status: 'deferred' }), { 'content-type': 'application/json' });
    expect(noReason.status).toBe(400);
    const deferred = await api('responder', 'PATCH', `/incidents/${id}/action-items/${item.id}`, JSON.stringify({ status: 'deferred', reason: 'after the migration' }), { 'content-type': 'application/json' });
    expect(((await deferred.json()) as { status: string }).status).toBe('deferred');
    const report = await api('viewer', 'GET', `/incidents/${id}/report`);
    expect(report.headers.get('content-type')).toContain('text/markdown');
    const md = await report.text();
    expect(md).toContain('The deploy key was never rotated');
  });

  it('starts a drill from a scenario, scores it, and keeps plan upkeep', async () => {
    const json = { 'content-type': 'application/json' };
    const bad = await api('responder', 'POST', '/drills', JSON.stringify({ scenario: 'title: x\nplan: nist-800-61r3\nseverity: nope\n' }), json);
    expect(bad.status).toBe(400);
    const started = await api('responder', 'POST', '/drills', JSON.stringify({ scenario: 'title: Tabletop phishing\nplan: nist-800-61r3\nseverity: high\ninjects: [{ at: 0m, text: "Mail gateway alert" }]\nexpectedActions: [{ action: acknowledge, within: 15m }]\n' }), json);
    expect(started.status).toBe(201);
    const { incidentId, delivered } = (await started.json()) as { incidentId: string; delivered: number };
    expect(delivered).toBe(1);
    expect(((await (await api('responder', 'POST', `/incidents/${incidentId}/drill/tick`)).json()) as { delivered: number }).delivered).toBe(0);
    const report = (await (await api('viewer', 'GET', `/incidents/${incidentId}/drill/report`)).json()) as { expected: { action: string; outcome: string }[] };
    expect(report.expected).toEqual([expect.objectContaining({ action: 'acknowledge' })]);
    const incident = (await (await api('viewer', 'GET', `/incidents/${incidentId}`)).json()) as { incident: { drill: boolean } };
    expect(incident.incident.drill).toBe(true);

    const diff = (await (await api('viewer', 'GET', '/plans/nist-800-61r3/diff')).json()) as { changes: unknown[] };
    expect(diff.changes).toEqual([]);
    expect((await api('responder', 'POST', '/plans/nist-800-61r3/upkeep', JSON.stringify({ kind: 'contactVerification', note: 'all answered' }), json)).status).toBe(201);
    expect((await api('responder', 'POST', '/plans/nist-800-61r3/upkeep', JSON.stringify({ kind: 'party' }), json)).status).toBe(400);
    const upkeep = (await (await api('viewer', 'GET', '/plan-upkeep')).json()) as { items: { planId: string; kind: string; lastDoneAt: string | null }[] };
    const verification = upkeep.items.find((i) => i.planId === 'nist-800-61r3' && i.kind === 'contactVerification');
    expect(verification?.lastDoneAt).not.toBeNull();
    const tabletop = upkeep.items.find((i) => i.planId === 'nist-800-61r3' && i.kind === 'tabletop');
    expect(tabletop?.lastDoneAt).not.toBeNull(); // the drill counts as a tabletop
  });
});
