/**
 * A real Firebreak HTTP server for a test: a fresh database (see `test-app.ts`), one user
 * per organisation role (plus `outsider`, a responder who is a member of nothing) each
 * with an API token, and helpers to call the API as any of them through `inject` or,
 * for streams and SSO, over real loopback HTTP.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { User } from '../../src/app/auth/user.js';
import { buildServer, type ServerOptions } from '../../src/http/server.js';
import { createTestApp, type TestApp } from './test-app.js';

export const PRINCIPALS = ['anonymous', 'reporter', 'viewer', 'responder', 'admin', 'outsider'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];
export type SignedIn = Exclude<PrincipalName, 'anonymous'>;

export const PLAN = 'nist-800-61r3';

export interface HttpHarness {
  readonly app: TestApp;
  readonly server: FastifyInstance;
  readonly users: Record<SignedIn, User>;
  readonly tokens: Record<SignedIn, string>;
  /** Calls the API with the principal's Bearer token (none for `anonymous`). */
  call(who: PrincipalName, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Reports an incident as `who` and returns its id. */
  report(who: SignedIn, body?: Record<string, unknown>): Promise<string>;
  /** Starts listening on 127.0.0.1 and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const ROLE_OF: Record<SignedIn, User['role']> = { reporter: 'reporter', viewer: 'viewer', responder: 'responder', admin: 'admin', outsider: 'responder' };

export async function createHttpHarness(options: Partial<ServerOptions> = {}, appOptions: Parameters<typeof createTestApp>[0] = {}): Promise<HttpHarness> {
  const app = await createTestApp(appOptions);
  const server = await buildServer({ app, logger: false, webDist: null, limits: { perMinute: 100_000, loginPerMinute: 1_000, loginFailuresPerAddress: 1_000 }, ...options });
  await server.ready();
  const auth = server.firebreak.auth;
  const users = {} as Record<SignedIn, User>;
  const tokens = {} as Record<SignedIn, string>;
  for (const name of Object.keys(ROLE_OF) as SignedIn[]) {
    users[name] = await auth.users.create({ email: `${name}@example.org`, name, handle: name, role: ROLE_OF[name], password: `${name}-password-123` });
    tokens[name] = (await auth.createToken(users[name], { name: 'test' })).secret;
  }
  const call: HttpHarness['call'] = (who, method, url, body, headers = {}) =>
    server.inject({
      method: method as 'GET',
      url,
      headers: { ...(who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` }), ...headers },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    app,
    server,
    users,
    tokens,
    call,
    async report(who, body = {}) {
      const response = await call(who, 'POST', '/api/v1/incidents', { plan: PLAN, title: 'Suspicious login from a new country', ...body });
      if (response.statusCode !== 201) throw new Error(`report failed: ${response.statusCode} ${response.body}`);
      return response.json<{ incident: { id: string } }>().incident.id;
    },
    async listen() {
      const address = await server.listen({ host: '127.0.0.1', port: 0 });
      return address;
    },
    async close() {
      await server.close();
      await app.close();
    },
  };
}
