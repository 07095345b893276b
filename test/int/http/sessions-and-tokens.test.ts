/**
 * Signing in and proving it: first-run setup, password login with the session cookie,
 * CSRF on cookie-authenticated changes, logout, personal API tokens (shown once, stored
 * hashed, revocation immediate, expiry), login rate limiting, and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/app/auth/secret-token.js';
import { buildServer } from '../../../src/http/server.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { createTestApp } from '../../support/test-app.js';

type Cookie = { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean };

describe('first start', () => {
  it('without FIREBREAK_ADMIN_* reports setupRequired, and setup works once', async () => {
    const app = await createTestApp();
    const lines: string[] = [];
    const server = await buildServer({ app, webDist: null, logger: false });
    await server.ready();
    try {
      const session = (await server.inject({ method: 'GET', url: '/api/v1/auth/session' })).json();
      expect(session).toEqual({ user: null, csrfToken: null, setupRequired: true, oidc: { enabled: false, name: null } });
      const body = { email: 'Ops@Example.org', name: 'Ops', handle: 'ops', password: 'a-long-enough-password' };
      // From another machine, without the token from the log: refused.
      const remote = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: body, remoteAddress: '10.0.0.5' });
      expect(remote.statusCode).toBe(403);
      expect(remote.json().fields).toEqual([{ path: 'setupToken', message: 'missing or wrong' }]);
      const short = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: { ...body, password: 'short' } });
      expect(short.statusCode).toBe(400);
      expect(short.json().fields[0].path).toBe('password');
      const created = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: body });
      expect(created.statusCode).toBe(201);
      expect(created.json().user).toMatchObject({ email: 'ops@example.org', role: 'admin', handle: 'ops' });
      const again = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: { ...body, email: 'x@example.org', handle: 'x' } });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('FB_ERR_AUTH_SETUP_DONE');
      expect(lines).toEqual([]);
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('accepts the one-time setup token from the log from another machine', async () => {
    const app = await createTestApp();
    const logged: string[] = [];
    const { Writable } = await import('node:stream');
    const stream = new Writable({ write: (chunk, _enc, done) => { logged.push(String(chunk)); done(); } });
    const server = await buildServer({ app, webDist: null, logger: { level: 'warn', stream } as unknown as { level: string } });
    await server.ready();
    try {
      const line = logged.find((l) => l.includes('/setup?token='));
      expect(line).toBeDefined();
      const token = /token=([\w-]+)/.exec(line!)![1]!;
      const ok = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', remoteAddress: '10.0.0.5', payload: { email: 'a@example.org', name: 'A', handle: 'a', password: 'a-long-enough-password', setupToken: token } });
      expect(ok.statusCode).toBe(201);
    } finally {
      await server.close();
      await app.close();
    }
  });

  it('with FIREBREAK_ADMIN_EMAIL/PASSWORD creates that admin', async () => {
    const app = await createTestApp();
    const server = await buildServer({ app, webDist: null, logger: false, admin: { email: 'boss@example.org', password: 'a-long-enough-password' } });
    try {
      const login = await server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'boss@example.org', password: 'a-long-enough-password' } });
      expect(login.statusCode).toBe(200);
      expect(login.json().user).toMatchObject({ role: 'admin', handle: 'boss' });
      expect((await server.inject({ method: 'GET', url: '/api/v1/auth/session' })).json().setupRequired).toBe(false);
    } finally {
      await server.close();
      await app.close();
    }
  });
});

describe('sessions and CSRF', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness({ limits: { perMinute: 100_000, loginPerMinute: 5 } });
  });
  afterAll(async () => h.close());

  async function login(email = 'responder@example.org', password = 'responder-password-123') {
    const response = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(response.statusCode).toBe(200);
    const cookie = (response.cookies as Cookie[]).find((c) => c.name === 'fb_session')!;
    return { cookie, csrf: response.json().csrfToken as string };
  }

  it('sets an HttpOnly SameSite=Lax cookie, Secure only behind TLS', async () => {
    const { cookie } = await login();
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
    const app = await createTestApp();
    const proxied = await buildServer({ app, webDist: null, logger: false, trustProxy: true, admin: { email: 'p@example.org', password: 'a-long-enough-password' } });
    try {
      const response = await proxied.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { email: 'p@example.org', password: 'a-long-enough-password' } });
      expect((response.cookies as Cookie[])[0]).toMatchObject({ name: 'fb_session', secure: true, httpOnly: true });
    } finally {
      await proxied.close();
      await app.close();
    }
  });

  it('refuses a cookie-authenticated change without the CSRF token, accepts it with', async () => {
    const { cookie, csrf } = await login();
    const session = await h.server.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: { fb_session: cookie.value } });
    expect(session.json()).toMatchObject({ user: { handle: 'responder' }, csrfToken: csrf });
    const payload = { plan: 'nist-800-61r3', title: 'CSRF probe' };
    const forged = await h.server.inject({ method: 'POST', url: '/api/v1/incidents', cookies: { fb_session: cookie.value }, payload });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('FB_ERR_AUTH_CSRF');
    const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/incidents', cookies: { fb_session: cookie.value }, headers: { 'x-csrf-token': 'guess' }, payload });
    expect(wrong.statusCode).toBe(403);
    // Nothing was created by the refused requests.
    expect((await h.call('admin', 'GET', '/api/v1/incidents?q=CSRF')).json().total).toBe(0);
    const ok = await h.server.inject({ method: 'POST', url: '/api/v1/incidents', cookies: { fb_session: cookie.value }, headers: { 'x-csrf-token': csrf }, payload });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().incident.title).toBe('CSRF probe');
    // Reads need no token.
    expect((await h.server.inject({ method: 'GET', url: '/api/v1/incidents', cookies: { fb_session: cookie.value } })).statusCode).toBe(200);
  });

  it('a Bearer token needs no CSRF token', async () => {
    expect((await h.call('responder', 'POST', '/api/v1/incidents', { plan: 'nist-800-61r3', title: 'script' })).statusCode).toBe(201);
  });

  it('logout ends the session at once', async () => {
    const { cookie, csrf } = await login();
    const out = await h.server.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: { fb_session: cookie.value }, headers: { 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    const after = await h.server.inject({ method: 'GET', url: '/api/v1/incidents', cookies: { fb_session: cookie.value } });
    expect(after.statusCode).toBe(401);
  });

  it('a wrong password and an unknown address get the same answer, and both are audited', async () => {
    const wrong = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'viewer@example.org', password: 'nope' } });
    const unknown = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ghost@example.org', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    const audit = await h.server.firebreak.auth.audit.recent(50);
    expect(audit.filter((e) => e.action === 'login' && e.outcome === 'failure').map((e) => e.subject)).toEqual(expect.arrayContaining(['viewer@example.org', 'ghost@example.org']));
    expect(audit.some((e) => e.action === 'login' && e.outcome === 'success' && e.userId === h.users.responder.id)).toBe(true);
  });

  it('limits login attempts per address and e-mail (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@example.org', password: `guess-${i}` } })).statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'admin@example.org', password: 'admin-password-123' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('FB_ERR_HTTP_RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another account from the same address is not locked out by it.
    expect((await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'viewer@example.org', password: 'viewer-password-123' } })).statusCode).toBe(200);
  });
});

describe('personal API tokens', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => h.close());

  it('shows the secret once, stores only its hash, and revocation takes effect on the next request', async () => {
    const created = await h.call('viewer', 'POST', '/api/v1/tokens', { name: 'ci' });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { token, secret } = created.json();
    expect(secret).toMatch(/^fbt_/);
    const listed = (await h.call('viewer', 'GET', '/api/v1/tokens')).json();
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.items.find((t: { id: string }) => t.id === token.id)).toMatchObject({ name: 'ci', revokedAt: null });
    const row = await h.app.store.db.selectFrom('api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const use = () => h.server.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${secret}` } });
    expect((await use()).statusCode).toBe(200);
    expect((await h.call('viewer', 'DELETE', `/api/v1/tokens/${token.id}`)).json().revokedAt).not.toBeNull();
    const refused = await use();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('FB_ERR_AUTH_TOKEN_INVALID');
  });

  it('expires at its expiry time', async () => {
    const expiresAt = new Date(h.app.time.now().getTime() + 60_000).toISOString();
    const { secret } = (await h.call('responder', 'POST', '/api/v1/tokens', { name: 'short', expiresAt })).json();
    const use = () => h.server.inject({ method: 'GET', url: '/api/v1/plans', headers: { authorization: `Bearer ${secret}` } });
    expect((await use()).statusCode).toBe(200);
    h.app.time.advance(61_000);
    expect((await use()).statusCode).toBe(401);
    const past = await h.call('responder', 'POST', '/api/v1/tokens', { name: 'past', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().fields[0].path).toBe('expiresAt');
  });

  it("cannot revoke someone else's token", async () => {
    const { token } = (await h.call('admin', 'POST', '/api/v1/tokens', { name: 'admin-only' })).json();
    expect((await h.call('responder', 'DELETE', `/api/v1/tokens/${token.id}`)).statusCode).toBe(404);
  });

  it('a disabled user is locked out at once, on every token', async () => {
    expect((await h.call('outsider', 'GET', '/api/v1/plans')).statusCode).toBe(200);
    expect((await h.call('admin', 'PATCH', `/api/v1/users/${h.users.outsider.id}`, { disabled: true })).statusCode).toBe(200);
    expect((await h.call('outsider', 'GET', '/api/v1/plans')).statusCode).toBe(401);
  });

  it('an unknown or malformed Authorization header is 401, never anonymous', async () => {
    for (const authorization of ['Bearer fbt_nope', 'Basic YWxpY2U6c2VjcmV0', 'Bearer']) {
      const response = await h.server.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { authorization } });
      expect(response.statusCode, authorization).toBe(401);
    }
  });
});
