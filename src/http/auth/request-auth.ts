/**
 * Works out who sent each request, before anything else runs: an API token
 * (`Authorization: Bearer …`, no CSRF needed) or the `fb_session` cookie (then every
 * change must carry `X-CSRF-Token`). Routes are signed-in-only unless their config says
 * `access: 'public'`.
 */
import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Principal } from '../../app/auth/auth-service.js';
import { FirebreakError } from '../../domain/errors.js';
import type { HttpContext } from '../http-context.js';

export const SESSION_COOKIE = 'fb_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** How the principal proved itself, kept so long-lived streams can re-check it. */
    credential: Credential | null;
  }
  interface FastifyContextConfig {
    /**
     * `public`: no sign-in needed. `source`: the route checks the caller itself (ingest
     * sources sign with their own secret; their Authorization header is not a user token).
     * Default: signed in.
     */
    access?: 'public' | 'user' | 'source';
    /** False for the few cookie routes that cannot carry a CSRF token yet (login, setup). */
    csrf?: boolean;
    /** A live event stream: not counted by the per-user request limit. */
    liveStream?: boolean;
  }
}

export type Credential = { readonly kind: 'token'; readonly secret: string } | { readonly kind: 'session'; readonly cookie: string };

/** Checks a credential again (a stream re-checks before every message): revoked, expired or disabled → undefined. */
export async function recheck(context: HttpContext, credential: Credential, ip: string): Promise<Principal | undefined> {
  return credential.kind === 'token' ? context.auth.tokenPrincipal(credential.secret, ip) : context.auth.sessionPrincipal(credential.cookie);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

/** Cookie attributes: Secure when the request came over TLS (directly or via a trusted proxy). */
export function sessionCookieOptions(request: FastifyRequest, expiresAt?: string) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.protocol === 'https',
    ...(expiresAt ? { expires: new Date(expiresAt) } : {}),
  };
}

export function registerRequestAuth(server: FastifyInstance, context: HttpContext): void {
  server.decorateRequest('principal', null);
  server.decorateRequest('credential', null);
  // Written with `done` so the requests that need no sign-in (web files, ingest sources,
  // which prove themselves) pay no promise and microtask for it.
  server.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!needsSignInCheck(request)) return done();
    signIn(request, reply, context).then(() => done(), done);
  });
}

function needsSignInCheck(request: FastifyRequest): boolean {
  // The web app's files and the API documentation page are public.
  if (!request.url.startsWith('/api/') || request.url === '/api/docs' || request.url.startsWith('/api/docs/')) return false;
  return request.routeOptions.config.access !== 'source';
}

/** Finds the request's principal (API token or session cookie), checks CSRF, and refuses what needs a sign-in. */
async function signIn(request: FastifyRequest, reply: FastifyReply, context: HttpContext): Promise<void> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const principal = match ? await context.auth.tokenPrincipal(match[1]!, request.ip) : undefined;
    if (!principal) throw new FirebreakError('FB_ERR_AUTH_TOKEN_INVALID', 'the API token is unknown, expired or revoked (send Authorization: Bearer <token>)');
    request.principal = principal;
    request.credential = { kind: 'token', secret: match![1]! };
  } else {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const principal = await context.auth.sessionPrincipal(cookie);
      if (principal) {
        request.principal = principal;
        request.credential = { kind: 'session', cookie };
      } else reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
  }
  const config = request.routeOptions.config;
  const principal = request.principal;
  if (principal?.via === 'session' && !SAFE_METHODS.has(request.method) && config.csrf !== false) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken)) {
      await context.auth.audit.record({ action: 'denied', outcome: 'failure', userId: principal.user.id, subject: `${request.method} ${request.routeOptions.url ?? request.url}`, ip: request.ip, detail: { reason: 'csrf' } });
      throw new FirebreakError('FB_ERR_AUTH_CSRF', 'this change needs the X-CSRF-Token header (its value comes from GET /api/v1/auth/session)');
    }
  }
  if (config.access !== 'public' && !principal && request.routeOptions.url !== undefined) {
    throw new FirebreakError('FB_ERR_AUTH_REQUIRED', 'sign in first (session cookie), or send an API token: Authorization: Bearer <token>');
  }
}

/** The signed-in principal; route handlers behind the auth hook always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new FirebreakError('FB_ERR_AUTH_REQUIRED', 'sign in first');
  return request.principal;
}
