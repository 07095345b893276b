/**
 * What every route plugin gets: the application, the auth use cases, the live feed and
 * the server's settings. Built once in `server.ts`.
 */
import type { AuthService } from '../app/auth/auth-service.js';
import type { OrgRole } from '../app/auth/user.js';
import type { FirebreakApp } from '../app/firebreak-app.js';
import type { LiveFeed } from '../app/live-feed.js';

export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUrl: string;
  /** Shown on the sign-in button. */
  readonly name: string;
  /** Role given to people who sign in for the first time through the provider. */
  readonly defaultRole: OrgRole;
  /** Allow plain-http issuers (tests on loopback only). */
  readonly allowInsecure?: boolean;
}

export interface HttpContext {
  readonly app: FirebreakApp;
  readonly auth: AuthService;
  readonly live: LiveFeed;
  readonly oidc: OidcSettings | null;
  /** Heartbeat interval of the event streams. */
  readonly heartbeatMs: number;
  readonly limits: RateLimits;
}

export interface RateLimits {
  /** Requests per minute per user (or token, or address when anonymous). */
  readonly perMinute: number;
  /** Sign-in attempts per minute per address and e-mail. */
  readonly loginPerMinute: number;
  /** Failed sign-ins per address across every account within `loginFailureWindowMinutes`; 0 turns the budget off. */
  readonly loginFailuresPerAddress: number;
  readonly loginFailureWindowMinutes: number;
}

/** Defaults of `RateLimits`, each an operator setting (see `rateLimitsFromEnv` in server-config.ts). */
export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 600, loginPerMinute: 10, loginFailuresPerAddress: 30, loginFailureWindowMinutes: 15 };
