/**
 * The one way the web app talks to the server: `fetch` against `/api/v1`, JSON in and
 * out, problem+json errors turned into `ApiError`. Mutations carry the CSRF token of the
 * session (cookie auth) and, for incident commands, `If-Match` with the version the user
 * was looking at, so a concurrent change comes back as a 409 instead of being overwritten.
 */
import type { Problem } from './types.js';

export const API_BASE = '/api/v1';

let csrfToken: string | null = null;

/** Set from `GET /auth/session` and from sign-in; sent as `X-CSRF-Token` on mutations. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `request failed with status ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code ?? null;
    this.problem = problem;
  }

  /** The incident changed since the user loaded it (`If-Match` was stale). */
  get isStale(): boolean {
    return this.status === 409 && this.code === 'FB_ERR_INCIDENT_STALE_VERSION';
  }

  /** "detail" plus each field message, for showing under a form. */
  get fullMessage(): string {
    const fields = this.problem.fields ?? [];
    if (fields.length === 0) return this.message;
    return `${this.message} (${fields.map((f) => `${f.path}: ${f.message}`).join('; ')})`;
  }
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly body?: unknown;
  /** Incident version for optimistic concurrency; sent as `If-Match: "<version>"`. */
  readonly ifMatch?: number;
  readonly signal?: AbortSignal;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    return { ...parsed, status: response.status };
  } catch {
    return { status: response.status, title: response.statusText || 'Request failed', detail: text.slice(0, 200) || undefined };
  }
}

/** The response body as text (exports: Markdown, pretty JSON), errors as `ApiError`. */
export async function requestText(path: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { headers: { accept: '*/*' }, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the Firebreak server. Check your connection and try again.' });
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response.text();
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  }
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the Firebreak server. Check your connection and try again.' });
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Builds a query string from defined values; arrays become comma-separated lists. */
export function queryString(params: Record<string, string | number | readonly string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
