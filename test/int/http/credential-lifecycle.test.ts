/**
 * Credentials end when they should: an admin's password reset, a role change, disabling a
 * user and "sign out everywhere" end every session and revoke every API token of that
 * user at once (the old cookie and the old token get 401), each recorded in the audit log;
 * people see and end their own sessions and change their own password (API and CLI). A
 * refused change stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/program.js';
import { runCli } from '../../../src/cli/run-cli.js';
import type { SignedIn } from '../../support/http-harness.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

describe('credential lifecycle', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => h.close());

  let n = 0;
  /** A fresh user with one signed-in session and one API token. */
  async function victim(role: 'responder' | 'viewer' = 'responder') {
    n++;
    const password = `quartz-lantern-${n}-harbour`;
    const created = await h.call('admin', 'POST', '/api/v1/users', { email: `victim${n}@example.org`, name: `Victim ${n}`, handle: `victim${n}`, role, password });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const login = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `victim${n}@example.org`, password } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'fb_session')!.value;
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    const user = await h.server.firebreak.auth.users.get(id);
    const token = (await h.server.firebreak.auth.createToken(user, { name: 'laptop', expiresAt: null })).secret;
    const byCookie = () => h.server.inject({ method: 'GET', url: '/api/v1/incidents', cookies: { fb_session: cookie } });
    const byToken = () => h.server.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } });
    expect((await byCookie()).statusCode).toBe(200);
    expect((await byToken()).statusCode).toBe(200);
    return { id, password, email: `victim${n}@example.org`, cookie, csrf, token, byCookie, byToken };
  }

  async function auditOf(userId: string) {
    const rows = await h.app.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'credentials_ended').where('subject', '=', userId).execute();
    return rows.map((r) => ({ by: r.user_id, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail }));
  }

  for (const [what, change] of [
    ['a password reset', { password: 'new-copper-meadow-lantern' }],
    ['a role change', { role: 'viewer' }],
    ['disabling', { disabled: true }],
  ] as const) {
    it(`${what} by an admin ends the old cookie and revokes the old token`, async () => {
      const v = await victim();
      const patched = await h.call('admin', 'PATCH', `/api/v1/users/${v.id}`, change);
      expect(patched.statusCode).toBe(200);
      const cookie = await v.byCookie();
      const token = await v.byToken();
      expect(cookie.statusCode).toBe(401);
      expect(token.statusCode).toBe(401);
      expect(token.json().code).toBe('FB_ERR_AUTH_TOKEN_INVALID');
      const reason = 'password' in change ? 'password_changed' : 'role' in change ? 'role_changed' : 'disabled';
      expect(await auditOf(v.id)).toEqual([{ by: h.users.admin.id, detail: { reason, sessions: 1, tokens: 1 } }]);
    });
  }

  it('renaming a user leaves their sessions and tokens alone', async () => {
    const v = await victim();
    expect((await h.call('admin', 'PATCH', `/api/v1/users/${v.id}`, { name: 'Renamed' })).statusCode).toBe(200);
    expect((await v.byCookie()).statusCode).toBe(200);
    expect((await v.byToken()).statusCode).toBe(200);
    expect(await auditOf(v.id)).toEqual([]);
  });

  it('a reset password signs in, the old one does not', async () => {
    const v = await victim();
    await h.call('admin', 'PATCH', `/api/v1/users/${v.id}`, { password: 'new-copper-meadow-lantern' });
    const login = (password: string) => h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: v.email, password } });
    expect((await login(v.password)).statusCode).toBe(401);
    expect((await login('new-copper-meadow-lantern')).statusCode).toBe(200);
  });

  it("an admin's sign-out-everywhere ends every session and token of the user", async () => {
    const v = await victim();
    const ended = await h.call('admin', 'POST', `/api/v1/users/${v.id}/sign-out`);
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ sessions: 1, tokens: 1 });
    expect((await v.byCookie()).statusCode).toBe(401);
    expect((await v.byToken()).statusCode).toBe(401);
    expect(await auditOf(v.id)).toEqual([{ by: h.users.admin.id, detail: { reason: 'signed_out_everywhere', sessions: 1, tokens: 1 } }]);
    for (const who of ['responder', 'viewer', 'reporter'] satisfies SignedIn[]) {
      expect((await h.call(who, 'POST', `/api/v1/users/${h.users.outsider.id}/sign-out`)).statusCode).toBe(403);
    }
    expect((await h.call('outsider', 'GET', '/api/v1/plans')).statusCode).toBe(200);
  });

  it('a weak new password is refused with the reason, and nothing ends or changes', async () => {
    const v = await victim();
    const refused = await h.call('admin', 'PATCH', `/api/v1/users/${v.id}`, { password: 'password1234', role: 'viewer' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'FB_ERR_AUTH_WEAK_PASSWORD', fields: [{ path: 'password' }] });
    expect(refused.json().fields[0].message).toMatch(/too easy to guess: .*common/i);
    expect((await v.byCookie()).statusCode).toBe(200);
    expect((await v.byToken()).statusCode).toBe(200);
    expect((await h.server.firebreak.auth.users.get(v.id)).role).toBe('responder');
    expect(await auditOf(v.id)).toEqual([]);
  });

  it('people list their own sessions and end one; the others keep working', async () => {
    const v = await victim();
    const second = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: v.email, password: v.password } });
    const cookie2 = second.cookies.find((c) => c.name === 'fb_session')!.value;
    const listed = await h.server.inject({ method: 'GET', url: '/api/v1/auth/sessions', cookies: { fb_session: v.cookie } });
    expect(listed.statusCode).toBe(200);
    const items = listed.json<{ items: { id: string; current: boolean }[] }>().items;
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(items)).not.toContain(v.cookie);
    const other = items.find((s) => !s.current)!;
    // Nobody ends another user's session: it is "no such session" for them.
    expect((await h.call('responder', 'DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(404);
    const ended = await h.server.inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${other.id}`, cookies: { fb_session: v.cookie }, headers: { 'x-csrf-token': v.csrf } });
    expect(ended.statusCode).toBe(204);
    expect((await h.server.inject({ method: 'GET', url: '/api/v1/incidents', cookies: { fb_session: cookie2 } })).statusCode).toBe(401);
    expect((await v.byCookie()).statusCode).toBe(200);
  });

  it('their own sign-out-everywhere ends this session too and revokes their tokens', async () => {
    const v = await victim();
    const out = await h.server.inject({ method: 'POST', url: '/api/v1/auth/sign-out-everywhere', cookies: { fb_session: v.cookie }, headers: { 'x-csrf-token': v.csrf } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ sessions: 1, tokens: 1 });
    expect((await v.byCookie()).statusCode).toBe(401);
    expect((await v.byToken()).statusCode).toBe(401);
  });

  it('their own password change needs the current one and keeps only this session', async () => {
    const v = await victim();
    const other = await h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: v.email, password: v.password } });
    const otherCookie = other.cookies.find((c) => c.name === 'fb_session')!.value;
    const change = (body: object) => h.server.inject({ method: 'POST', url: '/api/v1/auth/password', cookies: { fb_session: v.cookie }, headers: { 'x-csrf-token': v.csrf }, payload: body });
    const wrong = await change({ currentPassword: 'not-it', password: 'violet-anchor-thimble-42' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().fields).toEqual([{ path: 'currentPassword', message: 'does not match your password' }]);
    const weak = await change({ currentPassword: v.password, password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().fields[0].path).toBe('password');
    expect((await v.byToken()).statusCode).toBe(200);
    const ok = await change({ currentPassword: v.password, password: 'violet-anchor-thimble-42' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ sessions: 1, tokens: 1 });
    expect((await v.byCookie()).statusCode).toBe(200);
    expect((await h.server.inject({ method: 'GET', url: '/api/v1/incidents', cookies: { fb_session: otherCookie } })).statusCode).toBe(401);
    expect((await v.byToken()).statusCode).toBe(401);
  });
});

describe('the CLI: firebreak sessions, tokens, sign-out-everywhere', () => {
  let h: HttpHarness;
  let base: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
  });
  afterAll(async () => h.close());

  async function cli(args: string[], token: string): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: { FIREBREAK_TOKEN: token },
      now: () => new Date(),
      readPassword: async () => {
        throw new Error('no terminal in tests');
      },
      backend: async () => {
        throw new Error('not used');
      },
      serve: async () => undefined,
    };
    const code = await runCli(['--server', base, '--json', ...args], io);
    return { code, out: out.join('\n') };
  }

  it('lists and revokes your tokens, lists your sessions, and signs you out everywhere', async () => {
    const spare = await h.server.firebreak.auth.createToken(h.users.viewer, { name: 'spare' });
    const listed = await cli(['tokens', 'list'], h.tokens.viewer);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as { name: string }[]).map((t) => t.name).sort()).toEqual(['spare', 'test']);
    expect(listed.out).not.toContain(spare.secret);
    expect((await cli(['tokens', 'revoke', spare.token.id], h.tokens.viewer)).code).toBe(0);
    const refused = await h.server.inject({ method: 'GET', url: '/api/v1/plans', headers: { authorization: `Bearer ${spare.secret}` } });
    expect(refused.statusCode).toBe(401);
    expect((await cli(['sessions', 'list'], h.tokens.viewer)).code).toBe(0);
    const out = await cli(['sign-out-everywhere'], h.tokens.viewer);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out)).toEqual({ sessions: 0, tokens: 1 });
    const after = await cli(['tokens', 'list'], h.tokens.viewer);
    expect(after.code).not.toBe(0);
    expect(after.out).toContain('API token');
  });
});
