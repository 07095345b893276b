/**
 * Single sign-on end to end: a real `oidc-provider` identity provider on loopback (its
 * development login and consent pages, driven over HTTP like a browser would), the
 * Firebreak server with openid-client, authorization code + PKCE + state + nonce. The
 * first sign-in creates the user with the default role; an existing account is linked
 * only when the provider says the e-mail is verified; a forged or replayed callback is
 * refused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

/** A browser's cookie jar, good enough for two loopback origins. */
class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();
  store(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(origin, jar);
  }
  header(url: string): string {
    return [...(this.cookies.get(new URL(url).origin) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).origin)?.get(name);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('OIDC sign-in against a real oidc-provider', () => {
  let idp: Server;
  let issuer: string;
  let h: HttpHarness;
  let base: string;

  beforeAll(async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    idp = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: 'firebreak', client_secret: 'firebreak-test-secret', redirect_uris: [`${base}/api/v1/auth/oidc/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
      async findAccount(_ctx, id) {
        // Accounts whose login starts with "unverified-" have an address the provider has not verified.
        return { accountId: id, claims: () => ({ sub: id, email: `${id}@corp.example`, email_verified: !id.startsWith('unverified-'), name: 'Carol Analyst', preferred_username: id }) };
      },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
      conformIdTokenClaims: false,
      cookies: { keys: ['oidc-test-cookie-key'] },
    });
    handler = provider.callback();
    h = await createHttpHarness({
      oidc: { issuer, clientId: 'firebreak', clientSecret: 'firebreak-test-secret', redirectUrl: `${base}/api/v1/auth/oidc/callback`, name: 'Corp SSO', defaultRole: 'viewer', allowInsecure: true },
    });
    await h.server.listen({ host: '127.0.0.1', port });
  });

  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => idp.close(resolve));
  });

  /** Follows redirects and submits the provider's login and consent forms, like a browser. */
  async function browse(jar: CookieJar, start: string, login: string): Promise<{ url: string; response: Response }> {
    let url = start;
    let init: RequestInit = { method: 'GET' };
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) } });
      jar.store(url, response);
      if (url.startsWith(`${base}/api/v1/auth/oidc/callback`) || url.startsWith(`${base}/`) && !url.startsWith(`${base}/api/v1/auth/oidc/start`)) return { url, response };
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).href;
        init = { method: 'GET' };
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`unexpected page at ${url} (${response.status}): ${html.slice(0, 300)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt });
      url = new URL(action, url).href;
      init = { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    }
    throw new Error('too many redirects');
  }

  it('the session probe says SSO is available', async () => {
    expect((await h.call('anonymous', 'GET', '/api/v1/auth/session')).json().oidc).toEqual({ enabled: true, name: 'Corp SSO' });
  });

  it('signs a new person in, creates them as a viewer, and gives them a working session', async () => {
    const jar = new CookieJar();
    const { url, response } = await browse(jar, `${base}/api/v1/auth/oidc/start`, 'carol');
    expect(url).toContain('/api/v1/auth/oidc/callback?code=');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const session = jar.get(base, 'fb_session');
    expect(session).toBeDefined();
    const probe = await fetch(`${base}/api/v1/auth/session`, { headers: { cookie: `fb_session=${session}` } });
    const body = (await probe.json()) as { user: unknown; csrfToken: unknown };
    expect(body.user).toMatchObject({ email: 'carol@corp.example', handle: 'carol', name: 'Carol Analyst', role: 'viewer' });
    expect(body.csrfToken).toEqual(expect.any(String));
    const audit = await h.server.firebreak.auth.audit.recent(20);
    expect(audit.some((e) => e.action === 'oidc_login' && e.outcome === 'success')).toBe(true);

    // A second sign-in finds the same user instead of creating another.
    const again = new CookieJar();
    await browse(again, `${base}/api/v1/auth/oidc/start`, 'carol');
    const users = await h.server.firebreak.auth.users.list();
    expect(users.filter((u) => u.email === 'carol@corp.example')).toHaveLength(1);
  });

  it('links an existing user by e-mail and keeps their role', async () => {
    await h.server.firebreak.auth.users.create({ email: 'dave@corp.example', name: 'Dave', handle: 'dave', role: 'responder' });
    const davesJar = new CookieJar();
    await browse(davesJar, `${base}/api/v1/auth/oidc/start`, 'dave');
    const body = (await (await fetch(`${base}/api/v1/auth/session`, { headers: { cookie: `fb_session=${davesJar.get(base, 'fb_session')}` } })).json()) as { user: unknown };
    expect(body.user).toMatchObject({ handle: 'dave', role: 'responder' });
  });

  it('does not link an existing user whose e-mail the provider has not verified', async () => {
    const erin = await h.server.firebreak.auth.users.create({ email: 'unverified-erin@corp.example', name: 'Erin', handle: 'erin', role: 'admin' });
    const jar = new CookieJar();
    const { url, response } = await browse(jar, `${base}/api/v1/auth/oidc/start`, 'unverified-erin');
    expect(url).toContain('/api/v1/auth/oidc/callback?code=');
    expect(response.status).toBe(401);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe('FB_ERR_AUTH_OIDC_FAILED');
    expect(problem.detail).toContain('email_verified');
    expect(jar.get(base, 'fb_session')).toBeUndefined();
    const row = await h.app.store.db.selectFrom('users').select('oidc_subject').where('id', '=', erin.id).executeTakeFirstOrThrow();
    expect(row.oidc_subject).toBeNull();
    const audit = await h.server.firebreak.auth.audit.recent(20);
    expect(audit.some((e) => e.action === 'oidc_login' && e.outcome === 'failure' && e.userId === erin.id)).toBe(true);
  });

  it('refuses a callback that this browser did not start, or with a tampered state', async () => {
    const stranger = await fetch(`${base}/api/v1/auth/oidc/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(stranger.status).toBe(401);
    expect(((await stranger.json()) as { code: string }).code).toBe('FB_ERR_AUTH_OIDC_FAILED');

    const jar = new CookieJar();
    const start = await fetch(`${base}/api/v1/auth/oidc/start`, { redirect: 'manual' });
    jar.store(`${base}/api/v1/auth/oidc/start`, start);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    const forged = await fetch(`${base}/api/v1/auth/oidc/callback?code=abc&state=not-the-state`, { redirect: 'manual', headers: { cookie: jar.header(base) } });
    expect(forged.status).toBe(401);
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('fb_session=') && !c.startsWith('fb_session=;'))).toBe(false);
  });
});
