/**
 * `firebreak login --server URL`: signs in with e-mail and password once, creates a
 * personal API token named after this machine, and signs the browser-style session out
 * again. Only the token is kept (see `credentials.ts`).
 */
import { hostname } from 'node:os';
import { FirebreakError } from '../domain/errors.js';
import { problemToError } from './remote-backend.js';

export interface LoginResult {
  readonly token: string;
  readonly tokenId: string;
  readonly handle: string;
  readonly expiresAt: string | null;
}

async function send(base: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${base}/api/v1${path}`, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `cannot reach the Firebreak server at ${base}: ${cause?.code ?? String(error)}`);
  }
}

async function expectOk(base: string, response: Response): Promise<unknown> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : null;
  if (!response.ok) throw problemToError(response.status, body as { code?: string }, base);
  return body;
}

export async function loginWithPassword(server: string, email: string, password: string): Promise<LoginResult> {
  const base = server.replace(/\/+$/, '');
  const login = await send(base, '/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { csrfToken, user } = (await expectOk(base, login)) as { csrfToken: string; user: { handle: string } };
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).find((c) => c?.startsWith('fb_session='));
  if (!cookie) throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `${base} did not start a session; is it a Firebreak server?`);
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };
  const created = (await expectOk(base, await send(base, '/tokens', { method: 'POST', headers, body: JSON.stringify({ name: `cli on ${hostname()}` }) }))) as {
    secret: string;
    token: { id: string; expiresAt: string | null };
  };
  await send(base, '/auth/logout', { method: 'POST', headers, body: '{}' }).catch(() => undefined);
  return { token: created.secret, tokenId: created.token.id, handle: user.handle, expiresAt: created.token.expiresAt };
}

/** One authenticated API call with a kept token; the answer's body, or the problem as a FirebreakError. */
export async function callWithToken(server: string, token: string, method: string, path: string): Promise<unknown> {
  const base = server.replace(/\/+$/, '');
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (method === 'POST') headers['content-type'] = 'application/json';
  return expectOk(base, await send(base, path, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) }));
}

/** Checks a token someone pasted, and finds out whose it is. */
export async function whoAmI(server: string, token: string): Promise<string> {
  const base = server.replace(/\/+$/, '');
  const response = await send(base, '/auth/session', { headers: { authorization: `Bearer ${token}` } });
  const body = (await expectOk(base, response)) as { user: { handle: string } | null };
  if (!body.user) throw new FirebreakError('FB_ERR_AUTH_TOKEN_INVALID', 'the token was not accepted');
  return body.user.handle;
}
