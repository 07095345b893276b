/**
 * Sign-in routes: the session probe the web app starts with, first-run setup, password
 * login and logout, single sign-on (OIDC) start and callback, and the caller's own
 * sessions and password.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NewSession } from '../../app/auth/auth-service.js';
import type { User } from '../../app/auth/user.js';
import { normalizeEmail } from '../../domain/auth/email-address.js';
import { FirebreakError } from '../../domain/errors.js';
import { authorize } from '../access.js';
import type { HttpContext } from '../http-context.js';
import { policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import { OIDC_COOKIE, type OidcPending, OidcSignIn } from './oidc-sign-in.js';
import { presentUser } from './present.js';
import { isLoopback, principalOf, SESSION_COOKIE, sessionCookieOptions } from './request-auth.js';
import * as s from './schema.js';

export async function authRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { auth } = context;
  const oidc = context.oidc ? new OidcSignIn(context.oidc) : null;

  function startSession(request: FastifyRequest, reply: FastifyReply, session: NewSession) {
    reply.setCookie(SESSION_COOKIE, session.cookie, sessionCookieOptions(request, session.expiresAt));
  }

  r.get('/auth/session', {
    config: { access: 'public' },
    schema: { tags: [TAGS.auth], summary: 'Who is signed in, the CSRF token, and whether setup or SSO is available', response: { 200: s.sessionSchema, ...problemResponses } },
  }, async (request) => {
    const principal = request.principal;
    return {
      user: principal ? presentUser(principal.user) : null,
      csrfToken: principal?.via === 'session' ? principal.csrfToken : null,
      setupRequired: await auth.setupRequired(),
      oidc: { enabled: oidc !== null, name: context.oidc?.name ?? null },
    };
  });

  r.post('/auth/setup', {
    config: { access: 'public', csrf: false, rateLimit: { max: context.limits.loginPerMinute, timeWindow: 60_000 } },
    schema: { tags: [TAGS.auth], summary: 'Create the first administrator (only while no user exists)', body: s.setupBody, response: { 201: s.loginResponse, ...problemResponses } },
  }, async (request, reply) => {
    const { setupToken, ...input } = request.body;
    const user = await auth.setup({ ...input, ...(setupToken ? { setupToken } : {}) }, { ip: request.ip, loopback: isLoopback(request.socket.remoteAddress ?? '') && isLoopback(request.ip) });
    const session = await auth.createSession(user);
    startSession(request, reply, session);
    return reply.code(201).send({ user: presentUser(user), csrfToken: session.csrfToken });
  });

  r.post('/auth/login', {
    config: {
      access: 'public',
      csrf: false,
      rateLimit: {
        max: context.limits.loginPerMinute,
        timeWindow: 60_000,
        // The same normal form as the lookup, so padding or re-casing the address is the same account.
        keyGenerator: (request: FastifyRequest) => `login|${request.ip}|${normalizeEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`,
      },
    },
    schema: { tags: [TAGS.auth], summary: 'Sign in with e-mail and password (sets the fb_session cookie)', body: s.loginBody, response: { 200: s.loginResponse, ...problemResponses } },
  }, async (request, reply) => {
    const { user, session } = await auth.login(request.body.email, request.body.password, request.ip);
    startSession(request, reply, session);
    return { user: presentUser(user), csrfToken: session.csrfToken };
  });

  r.post('/auth/logout', {
    schema: { tags: [TAGS.auth], summary: 'Sign out (ends this browser session)', response: { 204: z.null().describe('Signed out'), ...problemResponses } },
  }, async (request, reply) => {
    await auth.logout(principalOf(request), request.ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  r.get('/auth/oidc/start', {
    config: { access: 'public' },
    schema: { tags: [TAGS.auth], summary: 'Start single sign-on: redirects to the identity provider', response: { 302: z.null(), ...problemResponses } },
  }, async (request, reply) => {
    if (!oidc) throw new FirebreakError('FB_ERR_AUTH_OIDC_DISABLED', 'single sign-on is not configured on this server (set FIREBREAK_OIDC_ISSUER and friends)');
    const { url, pending } = await oidc.start();
    reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), { ...sessionCookieOptions(request), path: '/api/v1/auth/oidc', signed: true, maxAge: 600 });
    return reply.redirect(url, 302);
  });

  r.get('/auth/oidc/callback', {
    config: { access: 'public' },
    schema: {
      tags: [TAGS.auth],
      summary: 'Where the identity provider sends the browser back; signs in and redirects to /',
      querystring: z.looseObject({ code: z.string().max(4000).optional(), state: z.string().max(1000).optional(), error: z.string().max(1000).optional() }),
      response: { 303: z.null(), ...problemResponses },
    },
  }, async (request, reply) => {
    if (!oidc) throw new FirebreakError('FB_ERR_AUTH_OIDC_DISABLED', 'single sign-on is not configured on this server');
    const raw = request.cookies[OIDC_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    reply.clearCookie(OIDC_COOKIE, { path: '/api/v1/auth/oidc' });
    if (!unsigned?.valid || unsigned.value === null) {
      await auth.audit.record({ action: 'oidc_login', outcome: 'failure', ip: request.ip, detail: { reason: 'missing or forged flow cookie' } });
      throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', 'this sign-in was not started here, or took longer than 10 minutes; start again');
    }
    let user: User;
    try {
      const pending = JSON.parse(unsigned.value) as OidcPending;
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const claims = await oidc.finish(query, pending);
      user = await auth.oidcUser(claims, context.oidc!.defaultRole, request.ip);
    } catch (error) {
      if (error instanceof FirebreakError && error.code === 'FB_ERR_AUTH_OIDC_FAILED') {
        await auth.audit.record({ action: 'oidc_login', outcome: 'failure', ip: request.ip, detail: { reason: error.message } });
      }
      throw error;
    }
    startSession(request, reply, await auth.createSession(user));
    return reply.redirect('/', 303);
  });

  r.get('/auth/sessions', {
    schema: { tags: [TAGS.auth], summary: 'Your browser sessions that have not expired (never their cookies)', response: { 200: z.object({ items: z.array(s.ownSessionSchema) }), ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, policy.canManageOwnCredentials, 'manage sessions');
    return { items: await auth.listSessions(principal) };
  });

  r.delete('/auth/sessions/:id', {
    schema: { tags: [TAGS.auth], summary: 'End one of your sessions (takes effect at once)', params: s.sessionParams, response: { 204: z.null().describe('Ended'), ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, policy.canManageOwnCredentials, 'manage sessions');
    await auth.endSession(principal, request.params.id, request.ip);
    return reply.code(204).send(null);
  });

  r.post('/auth/sign-out-everywhere', {
    schema: { tags: [TAGS.auth], summary: 'End all your sessions, this one included, and revoke all your API tokens', response: { 200: s.credentialsEndedSchema, ...problemResponses } },
  }, async (request, reply) => {
    const principal = await authorize(context, request, policy.canManageOwnCredentials, 'manage sessions');
    const ended = await auth.endCredentials(principal.user.id, 'signed_out_everywhere', { actorId: principal.user.id, ip: request.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return ended;
  });

  r.post('/auth/password', {
    config: { rateLimit: { max: context.limits.loginPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: [TAGS.auth],
      summary: 'Change your password: ends your other sessions and revokes your API tokens',
      body: s.passwordChangeBody,
      response: { 200: s.credentialsEndedSchema, ...problemResponses },
    },
  }, async (request) => {
    const principal = await authorize(context, request, policy.canManageOwnCredentials, 'change your password');
    return auth.changeOwnPassword(principal, request.body.currentPassword, request.body.password, request.ip);
  });
}
