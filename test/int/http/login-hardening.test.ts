/**
 * Sign-in limits that cannot be dodged: one e-mail normal form for the lookup and the
 * per-account limiter (padding or re-casing the address is the same account), a budget of
 * failed sign-ins per source address across accounts (password spraying meets 429), a
 * password policy that refuses guessable passwords wherever one is chosen, rate limits as
 * operator settings, and live streams that do not count as requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverSettingsFromEnv } from '../../../src/http/server-config.js';
import { buildServer } from '../../../src/http/server.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { createTestApp } from '../../support/test-app.js';

const login = (h: HttpHarness, email: string, password: string, remoteAddress = '127.0.0.1') =>
  h.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

describe('the per-account login limit', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness({ limits: { perMinute: 100_000, loginPerMinute: 5, loginFailuresPerAddress: 1_000 } });
  });
  afterAll(async () => h.close());

  it('counts padded and re-cased spellings of one address as one account', async () => {
    const spellings = ['admin@example.org', '  admin@example.org', 'ADMIN@Example.org', '\tAdmin@example.ORG  ', ' admin@EXAMPLE.org'];
    const statuses: number[] = [];
    for (const [i, email] of spellings.entries()) statuses.push((await login(h, email, `guess-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    for (const email of ['   admin@example.org', 'ADMIN@EXAMPLE.ORG', 'admin@example.org']) {
      const limited = await login(h, email, 'admin-password-123');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().code).toBe('FB_ERR_HTTP_RATE_LIMITED');
    }
    // Failures are audited under the one normal form.
    const audit = await h.server.firebreak.auth.audit.recent(50);
    expect(new Set(audit.filter((e) => e.action === 'login' && e.outcome === 'failure').map((e) => e.subject))).toEqual(new Set(['admin@example.org']));
  });

  it('signs the right password in under any spelling of the address, and the padded password is not the password', async () => {
    for (const email of ['  viewer@example.org  ', 'VIEWER@example.org']) {
      const ok = await login(h, email, 'viewer-password-123', '10.1.0.1');
      expect(ok.statusCode).toBe(200);
      expect(ok.json().user.email).toBe('viewer@example.org');
    }
    expect((await login(h, 'viewer@example.org', ' viewer-password-123 ', '10.1.0.1')).statusCode).toBe(401);
  });

  it('finds an address written with a combining accent (NFC)', async () => {
    await h.server.firebreak.auth.users.create({ email: 'ren\u00e9@example.org', name: 'René', handle: 'rene', role: 'viewer', password: 'orchid-tundra-saddle-7' });
    expect((await login(h, 'Rene\u0301@example.org', 'orchid-tundra-saddle-7', '10.1.0.2')).statusCode).toBe(200);
  });
});

describe('the per-address failure budget', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness({ limits: { perMinute: 100_000, loginPerMinute: 1_000, loginFailuresPerAddress: 30, loginFailureWindowMinutes: 15 } });
    for (let i = 0; i < 40; i++) {
      await h.server.firebreak.auth.users.create({ email: `staff${i}@example.org`, name: `Staff ${i}`, handle: `staff${i}`, role: 'viewer', password: `staff-${i}-heron-basalt` });
    }
  });
  afterAll(async () => h.close());

  it('meets 429 when one address sprays one password across 40 accounts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await login(h, `staff${i}@example.org`, 'Winter2026!', '203.0.113.7')).statusCode);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
    const refused = await login(h, 'staff0@example.org', 'staff-0-heron-basalt', '203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'FB_ERR_AUTH_LOGIN_BUDGET' });
    // No session was made for the right password sent from the spent address.
    expect(await h.app.store.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    // Another address is not affected, and the budget refills when the window has passed.
    expect((await login(h, 'staff1@example.org', 'staff-1-heron-basalt', '198.51.100.4')).statusCode).toBe(200);
    h.app.time.advance(16 * 60_000);
    expect((await login(h, 'staff2@example.org', 'staff-2-heron-basalt', '203.0.113.7')).statusCode).toBe(200);
  });
});

describe('the password policy', () => {
  let h: HttpHarness;
  beforeAll(async () => {
    h = await createHttpHarness();
  });
  afterAll(async () => h.close());

  const users = async () => (await h.server.firebreak.auth.users.list()).length;

  it('refuses password1234 for a new user (invitation) with the reason, naming the field, storing nothing', async () => {
    const before = await users();
    const refused = await h.call('admin', 'POST', '/api/v1/users', { email: 'new@example.org', name: 'New', handle: 'new', role: 'viewer', password: 'password1234' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('FB_ERR_AUTH_WEAK_PASSWORD');
    expect(refused.json().fields).toEqual([{ path: 'password', message: expect.stringMatching(/^is too easy to guess: .+/) }]);
    expect(await users()).toBe(before);
  });

  it('refuses a password built from the account’s own name and a short one', async () => {
    const own = await h.call('admin', 'POST', '/api/v1/users', { email: 'margaret.hamilton@example.org', name: 'Margaret Hamilton', handle: 'mhamilton', role: 'viewer', password: 'mhamilton2026' });
    expect(own.statusCode).toBe(400);
    expect(own.json().fields[0].path).toBe('password');
    const short = await h.call('admin', 'PATCH', `/api/v1/users/${h.users.viewer.id}`, { password: 'Xq7!' });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields[0]).toEqual({ path: 'password', message: 'must be at least 12 characters' });
  });

  it('refuses password1234 at setup and for FIREBREAK_ADMIN_PASSWORD', async () => {
    const app = await createTestApp();
    const server = await buildServer({ app, webDist: null, logger: false });
    await server.ready();
    try {
      const refused = await server.inject({ method: 'POST', url: '/api/v1/auth/setup', payload: { email: 'ops@example.org', name: 'Ops', handle: 'ops', password: 'password1234' } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'FB_ERR_AUTH_WEAK_PASSWORD', fields: [{ path: 'password' }] });
      expect((await server.inject({ method: 'GET', url: '/api/v1/auth/session' })).json().setupRequired).toBe(true);
    } finally {
      await server.close();
      await app.close();
    }
    expect(() => serverSettingsFromEnv({ FIREBREAK_ADMIN_EMAIL: 'a@example.org', FIREBREAK_ADMIN_PASSWORD: 'password1234' })).toThrow(/FIREBREAK_ADMIN_PASSWORD: is too easy to guess/);
  });
});

describe('rate limits as operator settings', () => {
  it('reads them from the environment with defaults, and names the variable of a bad value', () => {
    expect(serverSettingsFromEnv({}).limits).toEqual({ perMinute: 600, loginPerMinute: 10, loginFailuresPerAddress: 30, loginFailureWindowMinutes: 15 });
    expect(serverSettingsFromEnv({ FIREBREAK_RATE_LIMIT_PER_MINUTE: '5000', FIREBREAK_LOGIN_FAILURES_PER_ADDRESS: '0' }).limits).toMatchObject({ perMinute: 5000, loginFailuresPerAddress: 0 });
    for (const [name, value] of [['FIREBREAK_RATE_LIMIT_PER_MINUTE', 'lots'], ['FIREBREAK_LOGIN_PER_MINUTE', '0'], ['FIREBREAK_LOGIN_FAILURE_WINDOW_MINUTES', '1.5']] as const) {
      expect(() => serverSettingsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name}: must be a whole number of at least 1, not "${value.replace('.', '\\.')}"$`));
    }
  });

  it('applies the per-user limit, and live streams do not count against it', async () => {
    const h = await createHttpHarness({ limits: { perMinute: 3, loginPerMinute: 10, loginFailuresPerAddress: 30 } });
    try {
      const base = await h.listen();
      const headers = { authorization: `Bearer ${h.tokens.viewer}` };
      for (let i = 0; i < 6; i++) {
        const controller = new AbortController();
        const stream = await fetch(`${base}/api/v1/stream`, { headers, signal: controller.signal });
        expect(stream.status).toBe(200);
        controller.abort();
      }
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await h.call('viewer', 'GET', '/api/v1/plans')).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await h.close();
    }
  });
});
