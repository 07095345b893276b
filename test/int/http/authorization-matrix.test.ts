/**
 * The authorization matrix: every API route × {anonymous, reporter, viewer, responder,
 * admin, outsider (a responder who is not a member of the restricted incident)} with the
 * answer each must get. The table is checked against the server's own route table, so a
 * new route without an entry here fails this test. Runs over real loopback HTTP (the
 * event streams need a real connection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness, PRINCIPALS, type PrincipalName } from '../../support/http-harness.js';

type Expected = 'ok' | 400 | 401 | 403 | 404 | 409;
type Row = Record<PrincipalName, Expected>;

const all = (value: Expected): Row => ({ anonymous: value, reporter: value, viewer: value, responder: value, admin: value, outsider: value });
const PUBLIC = all('ok');
const SIGNED_IN: Row = { ...all('ok'), anonymous: 401 };
const ADMIN_ONLY: Row = { anonymous: 401, reporter: 403, viewer: 403, responder: 403, admin: 'ok', outsider: 403 };
const REPORTERS: Row = { anonymous: 401, reporter: 'ok', viewer: 403, responder: 'ok', admin: 'ok', outsider: 'ok' };
const NOT_REPORTER: Row = { anonymous: 401, reporter: 403, viewer: 'ok', responder: 'ok', admin: 'ok', outsider: 'ok' };
const INCIDENT_READ: Row = { anonymous: 401, reporter: 'ok', viewer: 'ok', responder: 'ok', admin: 'ok', outsider: 404 };
const INCIDENT_AUDIT: Row = { anonymous: 401, reporter: 403, viewer: 'ok', responder: 'ok', admin: 'ok', outsider: 404 };
const INCIDENT_WRITE: Row = { anonymous: 401, reporter: 403, viewer: 403, responder: 'ok', admin: 'ok', outsider: 404 };
/** Evidence or action items that do not exist, on an incident the caller may see: 404 once the policy lets them ask. */
const ITEM_MISSING_READ: Row = { anonymous: 401, reporter: 403, viewer: 404, responder: 404, admin: 404, outsider: 404 };
const EXERCISES: Row = { anonymous: 401, reporter: 403, viewer: 403, responder: 'ok', admin: 'ok', outsider: 'ok' };
const ITEM_MISSING_WRITE: Row = { anonymous: 401, reporter: 403, viewer: 403, responder: 404, admin: 404, outsider: 404 };

interface Entry {
  readonly expect: Row;
  readonly body?: (who: PrincipalName) => unknown;
  /** Values for path parameters other than the incident id. */
  readonly params?: Record<string, string>;
  /** A query string the route needs (without "?"). */
  readonly query?: string;
}

const note = { text: 'Checked the proxy logs.' };
const MATRIX: Record<string, Entry> = {
  'GET /api/openapi.json': { expect: PUBLIC },
  'GET /api/health': { expect: PUBLIC },
  'GET /api/ready': { expect: PUBLIC },
  'GET /api/v1/auth/session': { expect: PUBLIC },
  'POST /api/v1/auth/setup': { expect: all(409), body: () => ({ email: 'late@example.org', name: 'Late', handle: 'late', password: 'a-long-enough-password' }) },
  'POST /api/v1/auth/login': { expect: all(401), body: () => ({ email: 'admin@example.org', password: 'wrong' }) },
  'POST /api/v1/auth/logout': { expect: SIGNED_IN },
  'GET /api/v1/auth/oidc/start': { expect: all(404) },
  'GET /api/v1/auth/oidc/callback': { expect: all(404) },
  'GET /api/v1/tokens': { expect: SIGNED_IN },
  'POST /api/v1/tokens': { expect: SIGNED_IN, body: () => ({ name: 'matrix' }) },
  'DELETE /api/v1/tokens/:id': { expect: { ...all(404), anonymous: 401 }, params: { id: 'tok_unknown' } },
  'GET /api/v1/users': { expect: ADMIN_ONLY },
  'POST /api/v1/users': { expect: ADMIN_ONLY, body: (who) => ({ email: `new-${who}@example.org`, name: 'New', handle: `new-${who}`, role: 'viewer' }) },
  'PATCH /api/v1/users/:id': { expect: ADMIN_ONLY, body: () => ({ name: 'Renamed' }) },
  'POST /api/v1/ingest/:source': { expect: all(404), params: { source: 'no-such-source' }, body: () => ({ title: 'x' }) },
  'POST /api/v1/public/reports': { expect: PUBLIC, body: () => ({ what: 'Stored XSS in the profile page bio field.', product: 'web', anonymous: true }) },
  'GET /api/v1/public/reports/status/:token': { expect: all(404), params: { token: 'A'.repeat(43) } },
  // The matrix incident did not come from the public form: 404 once the policy lets the caller ask.
  'GET /api/v1/incidents/:id/reporter-thread': { expect: ITEM_MISSING_READ },
  'POST /api/v1/incidents/:id/reporter-thread/messages': { expect: ITEM_MISSING_WRITE, body: () => ({ text: 'Thanks, we are on it.' }) },
  'POST /api/v1/public/reports/status/:token/messages': { expect: all(404), params: { token: 'A'.repeat(43) }, body: () => ({ text: 'hello' }) },
  'GET /api/v1/plans': { expect: SIGNED_IN },
  'GET /api/v1/plans/:id': { expect: SIGNED_IN, params: { id: 'nist-800-61r3' } },
  'GET /api/v1/incidents': { expect: SIGNED_IN },
  'POST /api/v1/incidents': { expect: REPORTERS, body: () => ({ plan: 'nist-800-61r3', title: 'Phishing mail reported' }) },
  'GET /api/v1/incidents/:id': { expect: INCIDENT_READ },
  'POST /api/v1/incidents/:id/triage': { expect: INCIDENT_WRITE, body: () => ({ decision: 'confirm', severity: 'high' }) },
  'POST /api/v1/incidents/:id/ack': { expect: INCIDENT_WRITE, body: () => ({}) },
  'POST /api/v1/incidents/:id/severity': { expect: INCIDENT_WRITE, body: () => ({ severity: 'critical', reason: 'data left the network' }) },
  'POST /api/v1/incidents/:id/roles/:role/assign': { expect: INCIDENT_WRITE, params: { role: 'ic' }, body: () => ({ to: 'responder' }) },
  'POST /api/v1/incidents/:id/roles/:role/handoff': { expect: INCIDENT_WRITE, params: { role: 'ic' }, body: () => ({ to: 'admin', briefing: 'all yours' }) },
  'POST /api/v1/incidents/:id/roles/:role/handoff/confirm': { expect: INCIDENT_WRITE, params: { role: 'ic' }, body: () => ({}) },
  'POST /api/v1/incidents/:id/roles/:role/handoff/cancel': { expect: INCIDENT_WRITE, params: { role: 'ic' }, body: () => ({ reason: 'changed my mind' }) },
  'POST /api/v1/incidents/:id/phase': { expect: INCIDENT_WRITE, body: () => ({ phase: 'contain', force: { reason: 'urgent' } }) },
  'POST /api/v1/incidents/:id/checklist/:item/complete': { expect: INCIDENT_WRITE, params: { item: 'scope' }, body: () => ({}) },
  'POST /api/v1/incidents/:id/notes': { expect: INCIDENT_WRITE, body: () => note },
  'POST /api/v1/incidents/:id/sitreps': { expect: INCIDENT_WRITE, body: () => note },
  'POST /api/v1/incidents/:id/flags': { expect: INCIDENT_WRITE, body: () => ({ flag: 'personal-data' }) },
  'POST /api/v1/incidents/:id/regulatory/:clock/filed': { expect: INCIDENT_WRITE, params: { clock: 'gdpr-art33' }, body: () => ({ reference: 'DPA-1' }) },
  'POST /api/v1/incidents/:id/members': { expect: INCIDENT_WRITE, body: () => ({ user: 'newcomer' }) },
  'DELETE /api/v1/incidents/:id/members/:user': { expect: INCIDENT_WRITE, params: { user: 'bystander' } },
  'POST /api/v1/incidents/:id/restriction': { expect: INCIDENT_WRITE, body: () => ({ restricted: true, reason: 'need to know' }) },
  'POST /api/v1/incidents/:id/resolve': { expect: INCIDENT_WRITE, body: () => ({}) },
  'POST /api/v1/incidents/:id/close': { expect: INCIDENT_WRITE, body: () => ({}) },
  'POST /api/v1/incidents/:id/reopen': { expect: INCIDENT_WRITE, body: () => ({ reason: 'it came back' }) },
  'GET /api/v1/incidents/:id/timeline': { expect: INCIDENT_READ },
  'GET /api/v1/incidents/:id/clocks': { expect: INCIDENT_READ },
  'GET /api/v1/incidents/:id/sitreps/draft': { expect: INCIDENT_READ },
  'GET /api/v1/incidents/:id/verify': { expect: INCIDENT_AUDIT },
  'GET /api/v1/incidents/:id/export': { expect: INCIDENT_AUDIT },
  'GET /api/v1/verify': { expect: NOT_REPORTER },
  'GET /api/v1/checkpoints/latest': { expect: ADMIN_ONLY },
  'GET /api/v1/incidents/:id/bundle': { expect: INCIDENT_AUDIT },
  // Refused as malformed once the policy lets the caller ask: the check itself is tested in test/int/record.
  'POST /api/v1/checkpoints/verify': { expect: { ...ADMIN_ONLY, admin: 400 }, body: () => ({ checkpoint: 'not a checkpoint' }) },
  'GET /api/v1/stream': { expect: SIGNED_IN },
  'GET /api/v1/incidents/:id/stream': { expect: INCIDENT_READ },
  'GET /api/v1/incidents/:id/evidence': { expect: INCIDENT_AUDIT },
  'POST /api/v1/incidents/:id/evidence': { expect: INCIDENT_WRITE, body: () => ({ kind: 'text', text: '10:02 proxy denied 203.0.113.9', description: 'proxy log excerpt', source: 'proxy-1' }) },
  // A JSON body is not a file: refused as bad input once the policy lets the caller upload.
  'POST /api/v1/incidents/:id/evidence/file': { expect: { ...INCIDENT_WRITE, responder: 400, admin: 400 }, body: () => ({}) },
  'GET /api/v1/incidents/:id/evidence/:evidenceId': { expect: ITEM_MISSING_READ, params: { evidenceId: 'EV-0000000000' } },
  'POST /api/v1/incidents/:id/evidence/:evidenceId/view': { expect: ITEM_MISSING_WRITE, params: { evidenceId: 'EV-0000000000' }, body: () => ({}) },
  'GET /api/v1/incidents/:id/evidence/:evidenceId/content': { expect: ITEM_MISSING_WRITE, params: { evidenceId: 'EV-0000000000' } },
  'POST /api/v1/incidents/:id/evidence/:evidenceId/transfer': { expect: ITEM_MISSING_WRITE, params: { evidenceId: 'EV-0000000000' }, body: () => ({ to: 'admin', reason: 'forensics' }) },
  'GET /api/v1/incidents/:id/evidence/:evidenceId/custody': { expect: ITEM_MISSING_READ, params: { evidenceId: 'EV-0000000000' } },
  'GET /api/v1/incidents/:id/review': { expect: INCIDENT_AUDIT },
  'PATCH /api/v1/incidents/:id/review': { expect: INCIDENT_WRITE, body: () => ({ rootCause: 'An exposed token' }) },
  'POST /api/v1/incidents/:id/review/complete': { expect: INCIDENT_WRITE },
  'GET /api/v1/incidents/:id/report': { expect: INCIDENT_AUDIT },
  'GET /api/v1/incidents/:id/action-items': { expect: INCIDENT_AUDIT },
  'POST /api/v1/incidents/:id/action-items': { expect: INCIDENT_WRITE, body: () => ({ title: 'Rotate the proxy credentials' }) },
  'PATCH /api/v1/incidents/:id/action-items/:actionId': { expect: ITEM_MISSING_WRITE, params: { actionId: 'ACT-9999' }, body: () => ({ status: 'done' }) },
  'GET /api/v1/action-items/overdue': { expect: NOT_REPORTER },
  'GET /api/v1/metrics': { expect: NOT_REPORTER },
  // Without the required q parameter: refused as bad input for everyone signed in.
  'GET /api/v1/search': { expect: { ...all(400), anonymous: 401 } },
  'POST /api/v1/drills': { expect: EXERCISES, body: () => ({ scenario: 'title: Tabletop\nplan: nist-800-61r3\nseverity: high\n' }) },
  // The matrix incident is not a drill: 404 once the policy lets the caller ask.
  'POST /api/v1/incidents/:id/drill/tick': { expect: ITEM_MISSING_WRITE },
  'GET /api/v1/incidents/:id/drill/report': { expect: ITEM_MISSING_READ },
  'GET /api/v1/plans/:id/versions': { expect: SIGNED_IN, params: { id: 'nist-800-61r3' } },
  'GET /api/v1/plans/:id/diff': { expect: SIGNED_IN, params: { id: 'nist-800-61r3' } },
  'GET /api/v1/plan-upkeep': { expect: SIGNED_IN },
  'POST /api/v1/plans/:id/upkeep': { expect: EXERCISES, params: { id: 'nist-800-61r3' }, body: () => ({ kind: 'tabletop', note: 'matrix' }) },
  // Advisories live on the matrix's restricted incident: the outsider gets 404, as for the incident.
  'GET /api/v1/advisories': { expect: NOT_REPORTER },
  'POST /api/v1/incidents/:id/advisories': { expect: INCIDENT_WRITE, body: () => ({ title: 'Matrix advisory' }) },
  'GET /api/v1/advisories/:advisoryId': { expect: INCIDENT_AUDIT },
  'PATCH /api/v1/advisories/:advisoryId': { expect: INCIDENT_WRITE, body: () => ({ changes: { impact: 'Reads other tenants’ files.' } }) },
  'POST /api/v1/advisories/:advisoryId/submit': { expect: INCIDENT_WRITE, body: () => ({}) },
  'POST /api/v1/advisories/:advisoryId/approve': { expect: INCIDENT_WRITE, body: () => ({}) },
  'POST /api/v1/advisories/:advisoryId/request-changes': { expect: INCIDENT_WRITE, body: () => ({ reason: 'needs a CVSS vector' }) },
  'POST /api/v1/advisories/:advisoryId/schedule': { expect: INCIDENT_WRITE, body: () => ({ releaseAt: '2030-01-01T00:00:00Z' }) },
  'POST /api/v1/advisories/:advisoryId/publish': { expect: INCIDENT_WRITE, body: () => ({}) },
  'GET /api/v1/advisories/:advisoryId/export': { expect: INCIDENT_AUDIT, query: 'format=md&which=working' },
  'GET /api/v1/advisories/:advisoryId/revisions': { expect: INCIDENT_AUDIT },
  'GET /api/v1/advisories/:advisoryId/events': { expect: INCIDENT_AUDIT },
  'GET /api/v1/advisories/:advisoryId/verify': { expect: INCIDENT_AUDIT },
  'POST /api/v1/cvss/score': { expect: SIGNED_IN, body: () => ({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }) },
  'GET /api/v1/vex': { expect: NOT_REPORTER },
  'POST /api/v1/vex': { expect: EXERCISES, body: () => ({ product: 'matrix', version: '1.0.0', vulnerability: 'CVE-2026-1234', status: 'under_investigation' }) },
  'GET /api/v1/vex/export': { expect: NOT_REPORTER, query: 'format=openvex' },
  'GET /api/v1/dashboard': { expect: NOT_REPORTER },
  'GET /api/v1/deliveries': { expect: ADMIN_ONLY },
  // No such delivery: 404 once the policy lets the caller ask.
  'POST /api/v1/deliveries/:id/retry': { expect: { ...ADMIN_ONLY, admin: 404 }, params: { id: 'no-such-delivery' }, body: () => ({}) },
  'GET /api/v1/contacts': { expect: ADMIN_ONLY },
  'POST /api/v1/contacts': { expect: ADMIN_ONLY, body: (who) => ({ user: `matrix-${who}`, kind: 'email', target: `${who}@example.org` }) },
  'DELETE /api/v1/contacts/:user': { expect: { ...ADMIN_ONLY, admin: 404 }, params: { user: 'nobody-here' } },
  'GET /api/v1/channels': { expect: ADMIN_ONLY },
  'PUT /api/v1/channels/:id': { expect: ADMIN_ONLY, params: { id: 'ir-team' }, body: () => ({ kind: 'webhook', target: 'http://127.0.0.1:9/hook' }) },
};

/** Routes that are not part of the API proper: the documentation page and its assets. */
const isDocsAsset = (url: string) => url === '/api/docs' || url.startsWith('/api/docs/');

describe('authorization matrix', () => {
  let h: HttpHarness;
  let base: string;

  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
  });
  afterAll(async () => h.close());

  it('has an entry for every API route, and every entry is a route', () => {
    const routes = new Set(h.server.routeTable.filter((r) => r.url.startsWith('/api') && !isDocsAsset(r.url)).map((r) => `${r.method} ${r.url}`));
    expect([...routes].filter((r) => !(r in MATRIX)), 'routes without a matrix entry').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.has(k)), 'matrix entries without a route').toEqual([]);
  });

  /** A restricted incident reported (by name) by `reporter`, with viewer and responder as members. */
  async function restrictedIncident(): Promise<string> {
    const id = await h.report('admin', { reporter: 'reporter', restricted: true });
    for (const user of ['viewer', 'responder', 'bystander']) {
      expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/members`, { user })).statusCode).toBe(200);
    }
    return id;
  }

  async function send(who: PrincipalName, method: string, path: string, body: unknown): Promise<{ status: number; code?: string }> {
    const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${h.tokens[who]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const response = await fetch(`${base}${path}`, { method, headers, redirect: 'manual', signal: controller.signal, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status };
    }
    const text = await response.text();
    const code = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as { code?: string }).code : undefined;
    return { status: response.status, ...(code ? { code } : {}) };
  }

  function classify(result: { status: number; code?: string }): Expected | number {
    if (result.status >= 200 && result.status < 400) return 'ok';
    if (result.status === 400 && result.code !== 'FB_ERR_INPUT_INVALID') return 'ok'; // refused by the plan's rules, not by the policy
    if (result.status === 409) return 'ok';
    return result.status;
  }

  for (const [key, entry] of Object.entries(MATRIX)) {
    it(key, async () => {
      const [method, url] = key.split(' ') as [string, string];
      let id = '';
      if ((url.includes(':id') && url.startsWith('/api/v1/incidents')) || url.includes(':advisoryId')) id = await restrictedIncident();
      const params: Record<string, string> = { ...(entry.params ?? {}) };
      if (url.includes(':advisoryId')) params['advisoryId'] = (await h.app.advisories.draft(id, { title: 'Path traversal in the export endpoint' }, { actor: 'admin' })).state.id;
      if (url.startsWith('/api/v1/users/')) params['id'] = h.users.outsider.id;
      if (id) params['id'] = id;
      const path = url.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`)) + (entry.query ? `?${entry.query}` : '');
      const got: Partial<Record<PrincipalName, Expected | number>> = {};
      for (const who of PRINCIPALS) {
        const result = await send(who, method, path, entry.body?.(who));
        const expected = entry.expect[who];
        // 409 rows (setup after setup) compare statuses exactly.
        got[who] = expected === 409 ? result.status : classify(result);
      }
      expect(got).toEqual(entry.expect);
    });
  }
});
