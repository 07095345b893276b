/**
 * A signed-in HTTP session for test set-up that the browser need not click through
 * (creating a second user, seeding an incident): cookie + CSRF token, like the web app.
 */
import type { Account } from './server.js';

export interface ApiSession {
  call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

export async function signInApi(url: string, account: Account): Promise<ApiSession> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (!response.ok) throw new Error(`sign-in of ${account.email} failed: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return {
    async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      const result = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await result.text();
      if (!result.ok) throw new Error(`${method} ${path} failed: ${result.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

export async function createUser(admin: ApiSession, account: Account, role: 'admin' | 'responder' | 'viewer' | 'reporter' = 'responder'): Promise<void> {
  await admin.call('POST', '/users', { email: account.email, name: account.name, handle: account.handle, role, password: account.password });
}
