/**
 * Server settings read from the environment by `firebreak serve`: the first admin, single
 * sign-on, the reverse proxy, the cookie secret, rate limits and overload protection. A bad value stops
 * the start with an error naming the variable.
 */
import { ORG_ROLES, type OrgRole } from '../app/auth/user.js';
import { fieldError } from '../domain/errors.js';
import { checkPassword } from '../app/auth/password-policy.js';
import { DEFAULT_RATE_LIMITS, type OidcSettings, type RateLimits } from './http-context.js';
import { DEFAULT_OVERLOAD, type OverloadSettings } from './overload.js';
import type { ServerOptions } from './server.js';

export function serverSettingsFromEnv(env: NodeJS.ProcessEnv): Pick<ServerOptions, 'admin' | 'oidc' | 'trustProxy' | 'cookieSecret' | 'overload' | 'limits'> {
  const admin = env['FIREBREAK_ADMIN_EMAIL'] || env['FIREBREAK_ADMIN_PASSWORD'] ? { email: env['FIREBREAK_ADMIN_EMAIL'], password: env['FIREBREAK_ADMIN_PASSWORD'] } : undefined;
  if (admin && (!admin.email || !admin.password)) throw fieldError('FB_ERR_INPUT_INVALID', admin.email ? 'FIREBREAK_ADMIN_PASSWORD' : 'FIREBREAK_ADMIN_EMAIL', 'set both FIREBREAK_ADMIN_EMAIL and FIREBREAK_ADMIN_PASSWORD, or neither');
  if (admin?.password) checkPassword(admin.password, { ...(admin.email ? { email: admin.email } : {}) }, 'FIREBREAK_ADMIN_PASSWORD');

  let oidc: OidcSettings | null = null;
  const issuer = env['FIREBREAK_OIDC_ISSUER'];
  if (issuer) {
    const need = (name: string) => {
      const value = env[name];
      if (!value) throw fieldError('FB_ERR_INPUT_INVALID', name, 'is required when FIREBREAK_OIDC_ISSUER is set');
      return value;
    };
    const role = (env['FIREBREAK_OIDC_DEFAULT_ROLE'] ?? 'viewer') as OrgRole;
    if (!ORG_ROLES.includes(role)) throw fieldError('FB_ERR_INPUT_INVALID', 'FIREBREAK_OIDC_DEFAULT_ROLE', `must be one of ${ORG_ROLES.join(', ')}`);
    oidc = {
      issuer,
      clientId: need('FIREBREAK_OIDC_CLIENT_ID'),
      clientSecret: need('FIREBREAK_OIDC_CLIENT_SECRET'),
      redirectUrl: need('FIREBREAK_OIDC_REDIRECT_URL'),
      name: env['FIREBREAK_OIDC_NAME'] ?? 'Single sign-on',
      defaultRole: role,
      allowInsecure: env['FIREBREAK_OIDC_ALLOW_HTTP'] === '1',
    };
  }
  const proxy = env['FIREBREAK_TRUST_PROXY'];
  return {
    ...(admin ? { admin } : {}),
    oidc,
    trustProxy: proxy === undefined || proxy === '' || proxy === '0' ? false : proxy === '1' || proxy === 'true' ? true : proxy,
    ...(env['FIREBREAK_COOKIE_SECRET'] ? { cookieSecret: env['FIREBREAK_COOKIE_SECRET'] } : {}),
    overload: overloadSettingsFromEnv(env),
    limits: rateLimitsFromEnv(env),
  };
}

/** Rate limits (see `RateLimits`); each a whole number, unset means the default. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): RateLimits {
  const whole = wholeFromEnv(env);
  return {
    perMinute: whole('FIREBREAK_RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMITS.perMinute, 1),
    loginPerMinute: whole('FIREBREAK_LOGIN_PER_MINUTE', DEFAULT_RATE_LIMITS.loginPerMinute, 1),
    loginFailuresPerAddress: whole('FIREBREAK_LOGIN_FAILURES_PER_ADDRESS', DEFAULT_RATE_LIMITS.loginFailuresPerAddress),
    loginFailureWindowMinutes: whole('FIREBREAK_LOGIN_FAILURE_WINDOW_MINUTES', DEFAULT_RATE_LIMITS.loginFailureWindowMinutes, 1),
  };
}

function wholeFromEnv(env: NodeJS.ProcessEnv) {
  return (name: string, fallback: number, least = 0): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < least) throw fieldError('FB_ERR_INPUT_INVALID', name, `must be a whole number of at least ${least}, not "${raw}"`);
    return value;
  };
}

/** Overload protection (see `overload.ts`); each limit is a whole number, 0 turns it off. */
export function overloadSettingsFromEnv(env: NodeJS.ProcessEnv): OverloadSettings {
  const whole = wholeFromEnv(env);
  return {
    maxInFlight: whole('FIREBREAK_MAX_IN_FLIGHT', DEFAULT_OVERLOAD.maxInFlight),
    maxEventLoopDelayMs: whole('FIREBREAK_MAX_EVENT_LOOP_DELAY_MS', DEFAULT_OVERLOAD.maxEventLoopDelayMs),
    maxWaitMs: whole('FIREBREAK_MAX_WAIT_MS', DEFAULT_OVERLOAD.maxWaitMs),
    retryAfterSeconds: whole('FIREBREAK_OVERLOAD_RETRY_AFTER', DEFAULT_OVERLOAD.retryAfterSeconds, 1),
  };
}
