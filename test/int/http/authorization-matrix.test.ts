/**
 * The authorization matrix, generated: every API route in the server's own route table ×
 * every principal (anonymous, reporter, viewer, responder, admin, and outsider — a
 * responder who is a member of nothing) × an open, a restricted and an own incident (a
 * restricted one reported by `reporter`) for routes on an incident. What each must get
 * comes from the route's rule in `ROUTE_POLICY` (src/http/policy.ts), evaluated with the
 * policy's own functions on the incident as it is at the moment of the call: 401 for
 * anonymous on a signed-in route, 404 for whoever may not see the incident, 403 for
 * whoever the rule refuses, and otherwise the request passes the policy (it may still be
 * refused by the plan's or the resource's own rules: 400, 404 of a missing item, 409).
 * A route the policy does not declare fails here, naming it. Runs over real loopback
 * HTTP (the event streams need a real connection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../src/app/auth/user.js';
import type { IncidentState } from '../../../src/domain/incident/state.js';
import { policy, ROUTE_POLICY, type RouteRule } from '../../../src/http/policy.js';
import { createHttpHarness, type HttpHarness, PRINCIPALS, type PrincipalName, type SignedIn } from '../../support/http-harness.js';

/** How an answer relates to the policy. */
type Outcome = 'passes' | 'unauthenticated' | 'forbidden' | 'hidden';

interface Fixture {
  readonly body?: (who: PrincipalName) => unknown;
  /** Values for path parameters other than the incident or advisory id. */
  readonly params?: Record<string, string>;
  /** A query string the route needs (without "?"). */
  readonly query?: string;
  /** The fixture's input is refused as invalid after the policy check: such a 400 counts as passing the policy. */
  readonly refusedInput?: true;
  /** The call revokes the caller's own credentials: the test gives them a new token after it. */
  readonly revokesCaller?: true;
}

const note = { text: 'Checked the proxy logs.' };
const EVIDENCE = { params: { evidenceId: 'EV-0000000000' } };
const NO_SCHEDULE = { params: { id: 'no-such-schedule' } };
const LAYER = { name: 'l', users: ['admin'], shift: { days: 1 }, start: '2026-03-01', handover: '09:00', timeZone: 'UTC' };
/** Request details per route; a route that needs none has no entry. */
const FIXTURES: Record<string, Fixture> = {
  'POST /api/v1/auth/setup': { body: () => ({ email: 'late@example.org', name: 'Late', handle: 'late', password: 'a-long-enough-password' }) },
  'POST /api/v1/auth/login': { body: () => ({ email: 'admin@example.org', password: 'wrong' }) },
  'DELETE /api/v1/auth/sessions/:id': { params: { id: 'no-such-session' } },
  'POST /api/v1/auth/sign-out-everywhere': { revokesCaller: true },
  'POST /api/v1/auth/password': { body: () => ({ currentPassword: 'not-the-password', password: 'violet-anchor-thimble-42' }), refusedInput: true },
  'POST /api/v1/tokens': { body: () => ({ name: 'matrix' }) },
  'DELETE /api/v1/tokens/:id': { params: { id: 'tok_unknown' } },
  'POST /api/v1/users': { body: (who) => ({ email: `new-${who}@example.org`, name: 'New', handle: `new-${who}`, role: 'viewer' }) },
  'PATCH /api/v1/users/:id': { body: () => ({ name: 'Renamed' }) },
  'POST /api/v1/ingest/:source': { params: { source: 'no-such-source' }, body: () => ({ title: 'x' }) },
  'POST /api/v1/public/reports': { body: () => ({ what: 'Stored XSS in the profile page bio field.', product: 'web', anonymous: true }) },
  'GET /api/v1/public/reports/status/:token': { params: { token: 'A'.repeat(43) } },
  'POST /api/v1/public/reports/status/:token/messages': { params: { token: 'A'.repeat(43) }, body: () => ({ text: 'hello' }) },
  'POST /api/v1/incidents/:id/reporter-thread/messages': { body: () => ({ text: 'Thanks, we are on it.' }) },
  'GET /api/v1/plans/:id': { params: { id: 'nist-800-61r3' } },
  'GET /api/v1/plans/:id/versions': { params: { id: 'nist-800-61r3' } },
  'GET /api/v1/plans/:id/diff': { params: { id: 'nist-800-61r3' } },
  'POST /api/v1/plans/:id/upkeep': { params: { id: 'nist-800-61r3' }, body: () => ({ kind: 'tabletop', note: 'matrix' }) },
  'POST /api/v1/incidents': { body: () => ({ plan: 'nist-800-61r3', title: 'Phishing mail reported' }) },
  'POST /api/v1/incidents/:id/triage': { body: () => ({ decision: 'confirm', severity: 'high' }) },
  'POST /api/v1/incidents/:id/ack': { body: () => ({}) },
  'POST /api/v1/incidents/:id/severity': { body: () => ({ severity: 'critical', reason: 'data left the network' }) },
  'POST /api/v1/incidents/:id/roles/:role/assign': { params: { role: 'ic' }, body: () => ({ to: 'responder' }) },
  'POST /api/v1/incidents/:id/roles/:role/handoff': { params: { role: 'ic' }, body: () => ({ to: 'admin', briefing: 'all yours' }) },
  'POST /api/v1/incidents/:id/roles/:role/handoff/confirm': { params: { role: 'ic' }, body: () => ({}) },
  'POST /api/v1/incidents/:id/roles/:role/handoff/cancel': { params: { role: 'ic' }, body: () => ({ reason: 'changed my mind' }) },
  'POST /api/v1/incidents/:id/phase': { body: () => ({ phase: 'contain', force: { reason: 'urgent' } }) },
  'POST /api/v1/incidents/:id/checklist/:item/complete': { params: { item: 'scope' }, body: () => ({}) },
  'POST /api/v1/incidents/:id/notes': { body: () => note },
  'POST /api/v1/incidents/:id/sitreps': { body: () => note },
  'POST /api/v1/incidents/:id/flags': { body: () => ({ flag: 'personal-data' }) },
  'POST /api/v1/incidents/:id/regulatory/:clock/filed': { params: { clock: 'gdpr-art33' }, body: () => ({ reference: 'DPA-1' }) },
  'GET /api/v1/incidents/:id/regulatory/:clock/draft': { params: { clock: 'gdpr-art33' } },
  // A plan's own clock may list no content; an item it lacks is refused after the policy check.
  'PATCH /api/v1/incidents/:id/regulatory/:clock/draft': { params: { clock: 'gdpr-art33' }, body: (who) => ({ fields: { contact: `dpo reached by ${who}` } }), refusedInput: true },
  'POST /api/v1/incidents/:id/regulatory/:clock/draft/review': { params: { clock: 'gdpr-art33' }, body: () => ({ decision: 'reject', note: 'Add the record count' }) },
  'GET /api/v1/incidents/:id/regulatory/:clock/draft/export': { params: { clock: 'gdpr-art33' }, query: 'format=json' },
  'POST /api/v1/incidents/:id/members': { body: () => ({ user: 'newcomer' }) },
  'DELETE /api/v1/incidents/:id/members/:user': { params: { user: 'bystander' } },
  'POST /api/v1/incidents/:id/restriction': { body: () => ({ restricted: true, reason: 'need to know' }) },
  'POST /api/v1/incidents/:id/resolve': { body: () => ({}) },
  'POST /api/v1/incidents/:id/close': { body: () => ({}) },
  'POST /api/v1/incidents/:id/reopen': { body: () => ({ reason: 'it came back' }) },
  'POST /api/v1/incidents/:id/evidence': { body: () => ({ kind: 'text', text: '10:02 proxy denied 203.0.113.9', description: 'proxy log excerpt', source: 'proxy-1' }) },
  // A JSON body is not a file.
  'POST /api/v1/incidents/:id/evidence/file': { body: () => ({}), refusedInput: true },
  'GET /api/v1/incidents/:id/evidence/:evidenceId': EVIDENCE,
  'POST /api/v1/incidents/:id/evidence/:evidenceId/view': { ...EVIDENCE, body: () => ({}) },
  'GET /api/v1/incidents/:id/evidence/:evidenceId/content': EVIDENCE,
  'POST /api/v1/incidents/:id/evidence/:evidenceId/transfer': { ...EVIDENCE, body: () => ({ to: 'admin', reason: 'forensics' }) },
  'GET /api/v1/incidents/:id/evidence/:evidenceId/custody': EVIDENCE,
  'PATCH /api/v1/incidents/:id/review': { body: () => ({ rootCause: 'An exposed token' }) },
  'POST /api/v1/incidents/:id/action-items': { body: () => ({ title: 'Rotate the proxy credentials' }) },
  'PATCH /api/v1/incidents/:id/action-items/:actionId': { params: { actionId: 'ACT-9999' }, body: () => ({ status: 'done' }) },
  'GET /api/v1/search': { query: 'q=proxy' },
  'POST /api/v1/drills': { body: () => ({ scenario: 'title: Tabletop\nplan: nist-800-61r3\nseverity: high\n' }) },
  'POST /api/v1/incidents/:id/advisories': { body: () => ({ title: 'Matrix advisory' }) },
  'PATCH /api/v1/advisories/:advisoryId': { body: () => ({ changes: { impact: 'Reads other tenants’ files.' } }) },
  'POST /api/v1/advisories/:advisoryId/submit': { body: () => ({}) },
  'POST /api/v1/advisories/:advisoryId/approve': { body: () => ({}) },
  'POST /api/v1/advisories/:advisoryId/request-changes': { body: () => ({ reason: 'needs a CVSS vector' }) },
  'POST /api/v1/advisories/:advisoryId/schedule': { body: () => ({ releaseAt: '2030-01-01T00:00:00Z' }) },
  'POST /api/v1/advisories/:advisoryId/publish': { body: () => ({}) },
  'GET /api/v1/advisories/:advisoryId/export': { query: 'format=md&which=working' },
  'POST /api/v1/cvss/score': { body: () => ({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }) },
  'POST /api/v1/vex': { body: () => ({ product: 'matrix', version: '1.0.0', vulnerability: 'CVE-2026-1234', status: 'under_investigation' }) },
  'GET /api/v1/vex/export': { query: 'format=openvex' },
  'POST /api/v1/deliveries/:id/retry': { params: { id: 'no-such-delivery' }, body: () => ({}) },
  'POST /api/v1/contacts': { body: (who) => ({ user: `matrix-${who}`, kind: 'email', target: `${who}@example.org` }) },
  'DELETE /api/v1/contacts/:user': { params: { user: 'nobody-here' } },
  'POST /api/v1/schedules': { body: (who) => ({ id: `matrix-${who}`, name: 'M', timeZone: 'UTC', layers: [LAYER] }) },
  'GET /api/v1/schedules/:id': NO_SCHEDULE,
  'PUT /api/v1/schedules/:id': { ...NO_SCHEDULE, body: () => ({ name: 'M', timeZone: 'UTC', layers: [LAYER] }) },
  'DELETE /api/v1/schedules/:id': NO_SCHEDULE,
  'POST /api/v1/schedules/:id/overrides': { ...NO_SCHEDULE, body: () => ({ user: 'admin', start: '2026-03-02T00:00:00Z', end: '2026-03-03T00:00:00Z' }) },
  'DELETE /api/v1/schedules/:id/overrides/:overrideId': { params: { id: 'no-such-schedule', overrideId: 'x' } },
  'GET /api/v1/schedules/:id/history': NO_SCHEDULE,
  'PUT /api/v1/policies/:id': { params: { id: 'matrix' }, body: () => ({ name: 'Matrix', levels: [{ targets: [{ user: 'admin' }], wait: '10m' }] }) },
  'GET /api/v1/policies/:id': { params: { id: 'no-such-policy' } },
  'DELETE /api/v1/policies/:id': { params: { id: 'no-such-policy' } },
  'POST /api/v1/incidents/:id/messages/preview': { body: () => ({ template: 'broadcast' }), refusedInput: true },
  // The broadcast's text still needs the plan's fields filled in: refused after the policy check.
  'POST /api/v1/incidents/:id/messages': { body: () => ({ template: 'broadcast', body: 'All clear.' }), refusedInput: true },
  'POST /api/v1/messages/:messageId/approve': { params: { messageId: 'no-such-message' }, body: () => ({}) },
  'POST /api/v1/messages/:messageId/reject': { params: { messageId: 'no-such-message' }, body: () => ({ reason: 'Wrong audience' }) },
  // Not a checkpoint: refused as malformed once the policy lets the caller ask (the check itself is tested in test/int/record).
  'POST /api/v1/checkpoints/verify': { body: () => ({ checkpoint: 'not a checkpoint' }), refusedInput: true },
  'PUT /api/v1/channels/:id': { params: { id: 'ir-team' }, body: () => ({ kind: 'webhook', target: 'https://hooks.example.org/matrix' }) },
};

/** The incidents a route on an incident is tried against. */
const VARIANTS = ['open', 'restricted', 'own'] as const;
type Variant = (typeof VARIANTS)[number];

/** Routes that are not part of the API proper: the documentation page and its assets. */
const isDocsAsset = (url: string) => url === '/api' || url === '/api/docs' || url.startsWith('/api/docs/');
const onAnIncident = (url: string) => (url.includes(':id') && url.startsWith('/api/v1/incidents')) || url.includes(':advisoryId');

/** What the policy says `user` (null: anonymous) must get under `rule`. */
function expectedOutcome(rule: RouteRule, user: User | null, incident: IncidentState | undefined): Outcome {
  if (rule.kind === 'public') return 'passes';
  if (user === null) return 'unauthenticated';
  if (rule.kind === 'signed-in') return rule.may(user) ? 'passes' : 'forbidden';
  if (!incident) throw new Error('an incident rule needs an incident');
  if (!policy.canSeeIncident(user, incident)) return 'hidden';
  return rule.may(user, incident) ? 'passes' : 'forbidden';
}

const HIDDEN_CODES = new Set(['FB_ERR_INCIDENT_NOT_FOUND', 'FB_ERR_ADVISORY_NOT_FOUND']);
const UNAUTHENTICATED_CODES = new Set(['FB_ERR_AUTH_REQUIRED', 'FB_ERR_AUTH_TOKEN_INVALID']);

interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly detail?: string;
}

/** What an answer says about the policy; anything unexpected is spelt out so the failure reads clearly. */
function observedOutcome(result: Answer, fixture: Fixture): Outcome | string {
  const { status, code } = result;
  if (status < 400) return 'passes';
  if (status === 401 && code && UNAUTHENTICATED_CODES.has(code)) return 'unauthenticated';
  if (status === 403 && code === 'FB_ERR_AUTH_FORBIDDEN') return 'forbidden';
  // "no incident X" is the policy hiding it; "X is not a drill" is the drill routes' own answer.
  if (status === 404 && code && HIDDEN_CODES.has(code) && result.detail?.startsWith('no ')) return 'hidden';
  if (code === 'FB_ERR_INPUT_INVALID' && !fixture.refusedInput) return `${status} ${code} (fix the fixture in FIXTURES)`;
  // Refused by the plan's or the resource's own rules once the policy let the caller ask.
  if (status < 500) return 'passes';
  return `${status} ${code ?? ''}`;
}

describe('authorization matrix', () => {
  let h: HttpHarness;
  let base: string;
  let target: User;
  let apiRoutes: string[];

  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
    target = await h.server.firebreak.auth.users.create({ email: 'target@example.org', name: 'Target', handle: 'target', role: 'viewer' });
    apiRoutes = [...new Set(h.server.routeTable.filter((r) => r.url.startsWith('/api') && !isDocsAsset(r.url)).map((r) => `${r.method} ${r.url}`))];
  });
  afterAll(async () => h.close());

  it('the policy declares every API route, and every declaration is a route', () => {
    const undeclared = apiRoutes.filter((r) => !(r in ROUTE_POLICY));
    expect(undeclared.map((r) => `${r}: declare it in ROUTE_POLICY in src/http/policy.ts (see the comment above it)`), 'routes the policy does not declare').toEqual([]);
    expect(Object.keys(ROUTE_POLICY).filter((k) => !apiRoutes.includes(k)), 'ROUTE_POLICY entries without a route').toEqual([]);
    expect(Object.keys(FIXTURES).filter((k) => !apiRoutes.includes(k)), 'FIXTURES entries without a route').toEqual([]);
    const misplaced = Object.entries(ROUTE_POLICY).filter(([key, rule]) => rule.kind === 'incident' && !onAnIncident(key.split(' ')[1]!));
    expect(misplaced.map(([key]) => key), 'incident rules on routes without :id of an incident or :advisoryId').toEqual([]);
  });

  async function incident(variant: Variant): Promise<string> {
    const id = await h.report('admin', variant === 'open' ? {} : { restricted: true, ...(variant === 'own' ? { reporter: 'reporter' } : {}) });
    for (const user of ['viewer', 'responder', 'bystander']) {
      expect((await h.call('admin', 'POST', `/api/v1/incidents/${id}/members`, { user })).statusCode).toBe(200);
    }
    return id;
  }

  async function send(who: PrincipalName, method: string, path: string, body: unknown): Promise<Answer> {
    const headers: Record<string, string> = who === 'anonymous' ? {} : { authorization: `Bearer ${h.tokens[who]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const response = await fetch(`${base}${path}`, { method, headers, redirect: 'manual', signal: controller.signal, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status };
    }
    const text = await response.text();
    const problem = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as { code?: string; detail?: string }) : {};
    return { status: response.status, ...(problem.code ? { code: problem.code } : {}), ...(problem.detail ? { detail: problem.detail } : {}) };
  }

  async function check(key: string, variant: Variant | null): Promise<void> {
    const rule = ROUTE_POLICY[key];
    if (!rule) return; // reported by the declaration test above
    const fixture = FIXTURES[key] ?? {};
    const [method, url] = key.split(' ') as [string, string];
    const id = variant ? await incident(variant) : '';
    const params: Record<string, string> = { ...(fixture.params ?? {}) };
    if (url.includes(':advisoryId')) params['advisoryId'] = (await h.app.advisories.draft(id, { title: 'Path traversal in the export endpoint' }, { actor: 'admin' })).state.id;
    if (url.startsWith('/api/v1/users/')) params['id'] = target.id;
    if (id) params['id'] = id;
    const path = url.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`)) + (fixture.query ? `?${fixture.query}` : '');
    const expected: Partial<Record<PrincipalName, Outcome>> = {};
    const got: Partial<Record<PrincipalName, Outcome | string>> = {};
    for (const who of PRINCIPALS) {
      // The incident as it is now: an earlier principal's call may have changed it (restricted it, say).
      const state = id ? await h.app.incidents.get(id) : undefined;
      expected[who] = expectedOutcome(rule, who === 'anonymous' ? null : h.users[who], state);
      got[who] = observedOutcome(await send(who, method, path, fixture.body?.(who)), fixture);
      if (fixture.revokesCaller && who !== 'anonymous') await renewToken(who);
    }
    expect(got, `${key}${variant ? ` on the ${variant} incident` : ''}`).toEqual(expected);
  }

  async function renewToken(who: SignedIn): Promise<void> {
    h.tokens[who] = (await h.server.firebreak.auth.createToken(h.users[who], { name: 'matrix' })).secret;
  }

  for (const key of Object.keys(ROUTE_POLICY)) {
    const url = key.split(' ')[1]!;
    if (ROUTE_POLICY[key]!.kind === 'incident' || onAnIncident(url)) {
      for (const variant of VARIANTS) it(`${key} on the ${variant} incident`, () => check(key, variant));
    } else {
      it(key, () => check(key, null));
    }
  }
});
