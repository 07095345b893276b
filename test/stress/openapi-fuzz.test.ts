/**
 * Fuzzing every route of the API from its own OpenAPI document (GET /api/openapi.json):
 * for each operation, requests with valid-ish bodies, query strings and path parameters
 * generated from its schemas, and hostile mutations of them (see
 * `openapi-arbitraries.ts`), sent as an administrator and unauthenticated so validation
 * is reached both ways. Asserts: no 5xx; the server still answers /api/health; a rejected
 * request (4xx) changes nothing stored (a fingerprint of every table is the same before
 * and after); nothing reached Object.prototype.
 *
 * CI form: 600 cases (at least 8 per operation). Long form (`npm run test:stress`, FIREBREAK_STRESS=1): 10,000.
 * FIREBREAK_FUZZ_CASES overrides; FIREBREAK_FUZZ_SEED replays a run.
 */
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { createHttpHarness, type HttpHarness } from '../support/http-harness.js';
import { testBackend } from '../support/postgres.js';
import { hostilePathSegment, type JsonSchema, mutated, nastyString, RawJson, resolve, validish } from './openapi-arbitraries.js';

const STRESS = process.env['FIREBREAK_STRESS'] === '1';
const CASES = Number(process.env['FIREBREAK_FUZZ_CASES'] ?? (STRESS ? 10_000 : 600));
const SEED = Number(process.env['FIREBREAK_FUZZ_SEED'] ?? Date.now() % 2 ** 31);

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: JsonSchema;
}
interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: JsonSchema;
}
interface OpenApi {
  readonly paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>>;
  readonly components?: { schemas?: Record<string, JsonSchema> };
}
interface FuzzCase {
  readonly who: 'admin' | 'anonymous';
  readonly path: Record<string, string>;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** Streams never end; they are covered by their own tests. */
const SKIPPED = [/\/stream$/];
/** Rows these tables gain on a refused request are the point of them (audit trail, kept answers) or bookkeeping. */
const NOT_FINGERPRINTED = new Set(['audit_log', 'idempotency_keys', 'sessions']);

interface TableInfo {
  readonly name: string;
  readonly updatedAt: boolean;
}

async function tableInfo(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<TableInfo[]> {
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string; col: string }>`select m.name as name, p.name as col from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and m.name not like 'sqlite_%'`.execute(db)
      : await sql<{ name: string; col: string }>`select table_name as name, column_name as col from information_schema.columns where table_schema = current_schema()`.execute(db);
  const tables = new Map<string, boolean>();
  for (const r of rows) tables.set(r.name, (tables.get(r.name) ?? false) || r.col === 'updated_at');
  return [...tables]
    .filter(([name]) => !NOT_FINGERPRINTED.has(name) && !name.startsWith('kysely_'))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, updatedAt]) => ({ name, updatedAt }));
}

/**
 * What a refused request must not change, in one query: every table's row count and
 * latest update, the last event and the sum of incident versions, and the rows that
 * change in place without an update time (users, tokens) as one text each.
 */
function fingerprintQuery(tables: readonly TableInfo[], dialect: 'sqlite' | 'postgres') {
  const agg = (expr: ReturnType<typeof sql>) => (dialect === 'sqlite' ? sql`group_concat(${expr}, ',')` : sql`string_agg(${expr}, ',' order by id)`);
  const parts = tables.map((t) => sql`select ${t.name} as t, count(*) as n, ${t.updatedAt ? sql`max(updated_at)` : sql`null`} as u from ${sql.table(t.name)}`);
  parts.push(sql`select 'events-last' as t, max(position) as n, null as u from events`);
  parts.push(sql`select 'incident-versions' as t, sum(version) as n, null as u from incidents`);
  parts.push(sql`select 'users' as t, count(*) as n, ${agg(sql`id || role || disabled || email || handle || name || coalesce(password_hash, '')`)} as u from users`);
  parts.push(sql`select 'tokens' as t, count(revoked_at) as n, ${agg(sql`id || name || coalesce(revoked_at, '') || coalesce(expires_at, '')`)} as u from api_tokens`);
  return sql<{ t: string; n: unknown; u: unknown }>`${sql.join(parts, sql` union all `)}`;
}

async function fingerprint(db: Kysely<Database>, query: ReturnType<typeof fingerprintQuery>): Promise<string> {
  const { rows } = await query.execute(db);
  return createHash('sha256')
    .update(JSON.stringify(rows.map((r) => [r.t, String(r.n), String(r.u)])))
    .digest('hex');
}

function operations(doc: OpenApi): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (SKIPPED.some((re) => re.test(path))) continue;
    for (const [method, op] of Object.entries(methods)) {
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({ method: method.toUpperCase(), path, parameters: op.parameters ?? [], ...(body ? { body } : {}) });
    }
  }
  return ops;
}

/** Routes whose success ends the caller's own sessions or tokens (by design, see src/http/auth/routes.ts). */
const ENDS_OWN_CREDENTIALS = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/sign-out-everywhere', 'POST /api/v1/auth/password', 'DELETE /api/v1/auth/sessions/{id}']);

describe(`OpenAPI fuzzing on ${testBackend()}`, () => {
  let h: HttpHarness;
  let doc: OpenApi;
  let fp: ReturnType<typeof fingerprintQuery>;
  const known: Record<string, string> = {};
  let ingestSecret = '';
  beforeAll(async () => {
    h = await createHttpHarness();
    doc = (await h.call('anonymous', 'GET', '/api/openapi.json')).json<OpenApi>();
    fp = fingerprintQuery(await tableInfo(h.app.store.db, h.app.store.dialect), h.app.store.dialect);
    known['incident'] = await h.report('responder');
    const plan = await h.app.plans.get('nist-800-61r3');
    known['item'] = plan.phases.flatMap((p) => p.checklist ?? []).map((i) => i.id)[0] ?? 'item';
    known['clock'] = plan.regulatory[0]?.id ?? 'gdpr';
    const source = await h.app.intake.addSource({ name: 'fuzz-src', kind: 'generic', plan: 'nist-800-61r3', auth: 'bearer', actor: 'admin' });
    ingestSecret = source.secret ?? '';
    known['token'] = (await h.server.firebreak.auth.createToken(h.users.outsider, { name: 'victim' })).token.id;
    // Something to point evidence and action-item parameters at: the first valid-ish body that is accepted.
    for (const [kind, path] of [
      ['evidence', '/api/v1/incidents/{id}/evidence'],
      ['action', '/api/v1/incidents/{id}/action-items'],
    ] as const) {
      const schema = doc.paths[path]?.['post']?.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      for (const body of fc.sample(validish(schema, doc), { numRuns: 200, seed: SEED })) {
        const response = await h.call('admin', 'POST', path.replace('{id}', known['incident']), body);
        if (response.statusCode < 300) {
          const json = response.json<Record<string, unknown>>();
          const item = (json['item'] ?? json['evidence'] ?? json['actionItem'] ?? json) as Record<string, unknown>;
          if (typeof item['id'] === 'string' || typeof item['id'] === 'number') known[kind] = String(item['id']);
          break;
        }
      }
    }
  });
  afterAll(async () => h?.close());

  /** A sensible value for a path parameter of this operation. */
  function validParam(op: Operation, name: string): string {
    if (name === 'id') {
      if (op.path.startsWith('/api/v1/users/')) return h.users.outsider.id;
      if (op.path.startsWith('/api/v1/tokens/')) return known['token']!;
      if (op.path.startsWith('/api/v1/plans/')) return 'nist-800-61r3';
      return known['incident']!;
    }
    const byName: Record<string, string | undefined> = {
      role: 'responder',
      item: known['item'],
      clock: known['clock'],
      user: 'responder',
      evidenceId: known['evidence'],
      actionId: known['action'],
      source: 'fuzz-src',
      token: randomBytes(32).toString('base64url'),
    };
    return encodeURIComponent(byName[name] ?? 'x');
  }

  function caseFor(op: Operation): fc.Arbitrary<FuzzCase> {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const queryParams = op.parameters.filter((p) => p.in === 'query');
    const path = fc.record(
      Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: fc.constant(validParam(op, p.name)) }, { weight: 1, arbitrary: hostilePathSegment })])),
    ) as fc.Arbitrary<Record<string, string>>;
    const queryValue = (p: Parameter) =>
      fc.oneof(
        { weight: 2, arbitrary: validish(resolve(p.schema ?? { type: 'string' }, doc), doc).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) },
        { weight: 1, arbitrary: nastyString },
      );
    const query = fc.record(Object.fromEntries(queryParams.map((p) => [p.name, queryValue(p)])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
    const headers = fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.record({ 'if-match': fc.constantFrom('"1"', '"-1"', 'garbage', '"99999999999999999999"', '*', 'W/"1"') }) },
      { weight: 1, arbitrary: fc.record({ 'idempotency-key': fc.constantFrom('k', 'x'.repeat(300), '', 'key with spaces', '../../etc') }) },
    ) as fc.Arbitrary<Record<string, string>>;
    const body = op.body ? fc.oneof({ weight: 1, arbitrary: validish(op.body, doc) }, { weight: 2, arbitrary: mutated(op.body, doc) }) : fc.oneof(fc.constant(undefined), mutated({ type: 'object' }, doc));
    return fc.record({ who: fc.constantFrom('admin' as const, 'anonymous' as const), path, query, headers, body });
  }

  it(`${CASES} generated requests over every route: no 5xx, nothing changed by a refused one`, { timeout: Math.max(300_000, CASES * 600) }, async () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(50);
    const perOp = Math.max(1, Math.ceil(CASES / ops.length));
    const failures: string[] = [];
    let tried = 0;
    let serverErrors = 0;
    let refused = 0;
    let accepted = 0;
    const statuses = new Map<number, number>();
    const started = Date.now();
    let before = await fingerprint(h.app.store.db, fp);
    let disposable = 0;
    for (const [index, op] of ops.entries()) {
      for (const c of fc.sample(caseFor(op), { numRuns: perOp, seed: SEED + index })) {
        let url = op.path;
        for (const [name, value] of Object.entries(c.path)) url = url.replace(`{${name}}`, value);
        const search = new URLSearchParams(c.query).toString();
        if (search) url += `?${search}`;
        const isIngest = op.path.startsWith('/api/v1/ingest/');
        // Operations that rightly end the caller's own credentials run as a throw-away admin, so
        // the admin token the rest of the run uses is ended only by a bug.
        let bearer = isIngest ? ingestSecret : h.tokens.admin;
        if (c.who === 'admin' && ENDS_OWN_CREDENTIALS.has(`${op.method} ${op.path}`)) {
          disposable += 1;
          const auth = h.server.firebreak.auth;
          const user = await auth.users.create({ email: `fuzz-${disposable}@example.org`, name: 'fuzz', handle: `fuzz-${disposable}`, role: 'admin', password: 'fuzz-password-123' });
          bearer = (await auth.createToken(user, { name: 'fuzz-disposable' })).secret;
          before = await fingerprint(h.app.store.db, fp);
        }
        const auth = c.who === 'admin' ? { authorization: `Bearer ${bearer}` } : {};
        const payload = c.body === undefined ? undefined : c.body instanceof RawJson ? c.body.text : JSON.stringify(c.body);
        let response: Awaited<ReturnType<typeof h.server.inject>>;
        try {
          response = await h.server.inject({
            method: op.method as 'GET',
            url,
            headers: { ...auth, ...c.headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { payload } : {}),
          });
        } catch (error) {
          // light-my-request refuses some header values itself; nothing reached the server.
          if (error instanceof TypeError && /header/i.test(error.message)) continue;
          throw error;
        }
        tried += 1;
        if (tried % 1000 === 0) console.log(`OpenAPI fuzz progress: ${tried} of ~${perOp * ops.length} cases, operation ${index + 1}/${ops.length}, ${serverErrors} 5xx, ${Math.round((Date.now() - started) / 1000)} s`);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const described = () => `${op.method} ${url.slice(0, 200)} as ${c.who}, body ${String(payload).slice(0, 200)}`;
        if (response.statusCode >= 500) {
          serverErrors += 1;
          failures.push(`${response.statusCode} for ${described()}: ${response.body.slice(0, 300)}`);
        }
        // Reactors (the scheduler) finish an accepted command's work after the answer.
        await h.app.scheduler.settled();
        const after = await fingerprint(h.app.store.db, fp);
        if (response.statusCode >= 400 && response.statusCode < 500) {
          refused += 1;
          if (after !== before) failures.push(`refused with ${response.statusCode} but changed stored data: ${described()}`);
        } else if (response.statusCode < 400) {
          accepted += 1;
        }
        before = after;
        expect(({} as Record<string, unknown>)['polluted'], `Object.prototype polluted by ${described()}`).toBeUndefined();
        if (failures.length > 30) break;
      }
    }
    const health = await h.call('anonymous', 'GET', '/api/health');
    const stillAdmin = await h.call('admin', 'GET', '/api/v1/auth/session');
    console.log(
      `OpenAPI fuzz (${testBackend()}, seed ${SEED}, ${Math.round((Date.now() - started) / 1000)} s): ${tried} cases over ${ops.length} operations; ${serverErrors} 5xx seen; ${refused} refused (4xx, nothing changed: ${failures.filter((f) => f.startsWith('refused')).length === 0}), ${accepted} accepted; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    expect(failures).toEqual([]);
    expect(health.statusCode).toBe(200);
    expect(stillAdmin.statusCode).toBe(200);
  });
});
