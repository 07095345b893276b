/**
 * Signing in and proving who you are: first-run setup, password login, browser sessions
 * (with their CSRF token) and personal API tokens. Every lookup goes to the database, so
 * a logout, a revoked token or a disabled user takes effect on the very next request.
 */
import type { Kysely } from 'kysely';
import { normalizeEmail } from '../../domain/auth/email-address.js';
import { FirebreakError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import type { TimeSource } from '../time-source.js';
import type { AuditLog } from './audit-log.js';
import { DECOY_HASH, verifyPassword } from './password-hash.js';
import { newApiToken, randomSecret, sha256 } from './secret-token.js';
import type { OrgRole, User } from './user.js';
import { toUser, type UserDirectory } from './user-directory.js';

/** Who is calling, and how they proved it. */
export type Principal =
  | { readonly user: User; readonly via: 'session'; readonly sessionHash: string; readonly csrfToken: string }
  | { readonly user: User; readonly via: 'token'; readonly tokenId: string };

export interface NewSession {
  /** The cookie value: shown to the browser, stored only as a hash. */
  readonly cookie: string;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export interface ApiTokenInfo {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** One of the caller's own browser sessions; `id` is the start of the cookie's hash, never the cookie. */
export interface SessionInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly current: boolean;
}

/**
 * Why a user's credentials end. Each one ends every session and revokes every API token:
 * a token carries no scope of its own (it acts with its user's role, read afresh on every
 * request), so after a role change there is nothing to re-check; revoking it instead makes
 * whoever holds a copy of a demoted or compromised user's token come back through a sign-in.
 */
export type CredentialEnd = 'password_changed' | 'role_changed' | 'disabled' | 'signed_out_everywhere';

/** Failed sign-ins allowed from one address, across every account, within the window. */
export interface LoginFailureBudget {
  readonly failures: number;
  readonly windowMs: number;
}

export const DEFAULT_LOGIN_FAILURE_BUDGET: LoginFailureBudget = { failures: 30, windowMs: 15 * 60_000 };

const SESSION_ID_LENGTH = 16;

export interface AuthOptions {
  readonly sessionTtlMs?: number;
  readonly loginFailureBudget?: LoginFailureBudget;
  /** Token use is audited at most once per token per this interval. */
  readonly tokenAuditIntervalMs?: number;
}

const DAY = 86_400_000;

export class AuthService {
  private readonly sessionTtlMs: number;
  private readonly tokenAuditIntervalMs: number;
  private readonly failureBudget: LoginFailureBudget;
  /** The one-time setup secret printed to the log while no user exists. */
  private setupSecret: string | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly time: TimeSource,
    readonly users: UserDirectory,
    readonly audit: AuditLog,
    options: AuthOptions = {},
  ) {
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 3_600_000;
    this.tokenAuditIntervalMs = options.tokenAuditIntervalMs ?? 3_600_000;
    this.failureBudget = options.loginFailureBudget ?? DEFAULT_LOGIN_FAILURE_BUDGET;
  }

  async setupRequired(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  /**
   * Runs at start: creates the first admin from the environment when asked to, otherwise
   * (while no user exists) returns a one-time setup secret for the log.
   */
  async bootstrap(env: { email?: string; password?: string; name?: string }): Promise<{ created?: User; setupSecret?: string }> {
    if (!(await this.setupRequired())) return {};
    if (env.email && env.password) {
      const handle = handleFromEmail(env.email);
      const created = await this.users.create({ email: env.email, name: env.name ?? handle, handle, role: 'admin', password: env.password });
      await this.audit.record({ action: 'setup', outcome: 'success', userId: created.id, subject: created.email, detail: { from: 'environment' } });
      return { created };
    }
    this.setupSecret ??= randomSecret(24);
    return { setupSecret: this.setupSecret };
  }

  /** Creates the first admin; only while no user exists. */
  async setup(input: { email: string; name: string; handle: string; password: string; setupToken?: string }, context: { ip: string; loopback: boolean }): Promise<User> {
    if (!(await this.setupRequired())) throw new FirebreakError('FB_ERR_AUTH_SETUP_DONE', 'setup is over: an administrator already exists; sign in instead');
    const tokenOk = input.setupToken !== undefined && this.setupSecret !== null && sha256(input.setupToken) === sha256(this.setupSecret);
    if (!tokenOk && !context.loopback) {
      await this.audit.record({ action: 'setup', outcome: 'failure', subject: input.email, ip: context.ip, detail: { reason: 'setup token missing or wrong' } });
      throw new FirebreakError('FB_ERR_AUTH_FORBIDDEN', 'setup from another machine needs the one-time setup token printed in the server log', [
        { path: 'setupToken', message: 'missing or wrong' },
      ]);
    }
    const user = await this.users.create({ email: input.email, name: input.name, handle: input.handle, role: 'admin', password: input.password });
    this.setupSecret = null;
    await this.audit.record({ action: 'setup', outcome: 'success', userId: user.id, subject: user.email, ip: context.ip });
    return user;
  }

  async login(rawEmail: string, password: string, ip: string): Promise<{ user: User; session: NewSession }> {
    const email = normalizeEmail(rawEmail);
    await this.checkFailureBudget(email, ip);
    const row = await this.users.findRowByEmail(email);
    // Always hash once, so an unknown address takes as long as a wrong password.
    const ok = await verifyPassword(password, row?.password_hash ?? DECOY_HASH);
    if (!row || !ok || row.disabled === 1 || row.password_hash === null) {
      await this.audit.record({ action: 'login', outcome: 'failure', userId: row?.id ?? null, subject: email, ip, detail: { reason: row?.disabled === 1 ? 'disabled' : 'bad credentials' } });
      throw new FirebreakError('FB_ERR_AUTH_BAD_CREDENTIALS', 'the e-mail address and password do not match an active user');
    }
    const user = toUser(row);
    const session = await this.createSession(user);
    await this.audit.record({ action: 'login', outcome: 'success', userId: user.id, subject: user.email, ip });
    return { user, session };
  }

  /**
   * The per-address budget: password spraying tries one guess on many accounts, which no
   * per-account limit sees. Failures are counted from the audit log, so every server
   * process shares the count; a refused attempt is itself a failure, so a sprayer who keeps
   * going stays refused.
   */
  private async checkFailureBudget(email: string, ip: string): Promise<void> {
    if (this.failureBudget.failures === 0) return;
    const since = new Date(this.time.now().getTime() - this.failureBudget.windowMs).toISOString();
    const row = await this.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('action', '=', 'login')
      .where('outcome', '=', 'failure')
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(row.n) < this.failureBudget.failures) return;
    await this.audit.record({ action: 'login', outcome: 'failure', subject: email, ip, detail: { reason: 'address failure budget spent' } });
    const minutes = Math.round(this.failureBudget.windowMs / 60_000);
    throw new FirebreakError('FB_ERR_AUTH_LOGIN_BUDGET', `too many failed sign-ins from this address (${this.failureBudget.failures} within ${minutes} min); wait and try again`);
  }

  /** Ends every session and revokes every live API token of a user, and records it. */
  async endCredentials(userId: string, why: CredentialEnd, by: { readonly actorId: string; readonly ip?: string; readonly keepSession?: string }): Promise<{ sessions: number; tokens: number }> {
    const now = this.time.now().toISOString();
    let sessions = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (by.keepSession !== undefined) sessions = sessions.where('id_hash', '<>', by.keepSession);
    const ended = await sessions.executeTakeFirst();
    const revoked = await this.db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    const counts = { sessions: Number(ended.numDeletedRows), tokens: Number(revoked.numUpdatedRows) };
    await this.audit.record({ action: 'credentials_ended', outcome: 'success', userId: by.actorId, subject: userId, ip: by.ip ?? null, detail: { reason: why, ...counts } });
    return counts;
  }

  /** A user's own change of password: needs the current one; ends every other session and every token. */
  async changeOwnPassword(principal: Principal, current: string, next: string, ip: string): Promise<{ sessions: number; tokens: number }> {
    const row = await this.users.findRowByEmail(principal.user.email);
    if (!row?.password_hash || !(await verifyPassword(current, row.password_hash))) {
      await this.audit.record({ action: 'password_changed', outcome: 'failure', userId: principal.user.id, subject: principal.user.id, ip, detail: { reason: 'current password wrong' } });
      throw new FirebreakError('FB_ERR_INPUT_INVALID', 'currentPassword: does not match your password', [{ path: 'currentPassword', message: 'does not match your password' }]);
    }
    await this.users.update(principal.user.id, { password: next });
    await this.audit.record({ action: 'password_changed', outcome: 'success', userId: principal.user.id, subject: principal.user.id, ip });
    return this.endCredentials(principal.user.id, 'password_changed', { actorId: principal.user.id, ip, ...(principal.via === 'session' ? { keepSession: principal.sessionHash } : {}) });
  }

  /** The user's own sessions that have not expired, newest first. */
  async listSessions(principal: Principal): Promise<SessionInfo[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['id_hash', 'created_at', 'expires_at'])
      .where('user_id', '=', principal.user.id)
      .where('expires_at', '>', this.time.now().toISOString())
      .orderBy('created_at', 'desc')
      .execute();
    const current = principal.via === 'session' ? principal.sessionHash : null;
    return rows.map((r) => ({ id: r.id_hash.slice(0, SESSION_ID_LENGTH), createdAt: r.created_at, expiresAt: r.expires_at, current: r.id_hash === current }));
  }

  /** Ends one of the user's own sessions, named by the id `listSessions` shows. */
  async endSession(principal: Principal, id: string, ip: string): Promise<void> {
    const rows = await this.db.selectFrom('sessions').select('id_hash').where('user_id', '=', principal.user.id).execute();
    const match = rows.find((r) => r.id_hash.slice(0, SESSION_ID_LENGTH) === id);
    if (!match) throw new FirebreakError('FB_ERR_SESSION_NOT_FOUND', `you have no session ${id}`);
    await this.db.deleteFrom('sessions').where('id_hash', '=', match.id_hash).execute();
    await this.audit.record({ action: 'logout', outcome: 'success', userId: principal.user.id, subject: principal.user.email, ip, detail: { session: id } });
  }

  async createSession(user: User): Promise<NewSession> {
    const cookie = randomSecret(32);
    const csrfToken = randomSecret(24);
    const now = this.time.now();
    const expiresAt = new Date(now.getTime() + this.sessionTtlMs).toISOString();
    await this.db.insertInto('sessions').values({ id_hash: sha256(cookie), user_id: user.id, csrf_token: csrfToken, created_at: now.toISOString(), expires_at: expiresAt }).execute();
    return { cookie, csrfToken, expiresAt };
  }

  async sessionPrincipal(cookie: string): Promise<Principal | undefined> {
    const idHash = sha256(cookie);
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token', 'sessions.expires_at'])
      .where('sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row || row.disabled === 1 || row.expires_at <= this.time.now().toISOString()) return undefined;
    return { user: toUser(row), via: 'session', sessionHash: idHash, csrfToken: row.csrf_token };
  }

  async logout(principal: Principal, ip: string): Promise<void> {
    if (principal.via === 'session') await this.db.deleteFrom('sessions').where('id_hash', '=', principal.sessionHash).execute();
    await this.audit.record({ action: 'logout', outcome: 'success', userId: principal.user.id, subject: principal.user.email, ip });
  }

  async createToken(user: User, input: { name: string; expiresAt?: string | null }): Promise<{ token: ApiTokenInfo; secret: string }> {
    const secret = newApiToken();
    const now = this.time.now();
    const expiresAt = input.expiresAt === undefined ? new Date(now.getTime() + 90 * DAY).toISOString() : input.expiresAt;
    if (expiresAt !== null && expiresAt <= now.toISOString()) {
      throw new FirebreakError('FB_ERR_INPUT_INVALID', 'expiresAt: must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const row = {
      id: `tok_${randomSecret(9)}`,
      user_id: user.id,
      name: input.name.trim(),
      secret_hash: sha256(secret),
      prefix: secret.slice(0, 8),
      created_at: now.toISOString(),
      expires_at: expiresAt,
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.insertInto('api_tokens').values(row).execute();
    await this.audit.record({ action: 'token_created', outcome: 'success', userId: user.id, subject: row.id, detail: { name: row.name, expiresAt } });
    return { token: tokenInfo(row), secret };
  }

  async listTokens(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
    return rows.map(tokenInfo);
  }

  async revokeToken(user: User, tokenId: string): Promise<ApiTokenInfo> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', tokenId).where('user_id', '=', user.id).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_TOKEN_NOT_FOUND', `you have no API token ${tokenId}`);
    if (row.revoked_at) return tokenInfo(row);
    const revokedAt = this.time.now().toISOString();
    await this.db.updateTable('api_tokens').set({ revoked_at: revokedAt }).where('id', '=', tokenId).execute();
    await this.audit.record({ action: 'token_revoked', outcome: 'success', userId: user.id, subject: tokenId });
    return tokenInfo({ ...row, revoked_at: revokedAt });
  }

  async tokenPrincipal(secret: string, ip: string): Promise<Principal | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('users')
      .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at'])
      .where('api_tokens.secret_hash', '=', sha256(secret))
      .executeTakeFirst();
    const now = this.time.now();
    if (!row || row.revoked_at !== null || row.disabled === 1 || (row.expires_at !== null && row.expires_at <= now.toISOString())) {
      await this.audit.record({
        action: 'token_used',
        outcome: 'failure',
        userId: row?.id ?? null,
        subject: row?.token_id ?? null,
        ip,
        detail: { reason: !row ? 'unknown token' : row.revoked_at ? 'revoked' : row.disabled === 1 ? 'user disabled' : 'expired' },
      });
      return undefined;
    }
    const stale = row.last_used_at === null || now.getTime() - new Date(row.last_used_at).getTime() >= this.tokenAuditIntervalMs;
    if (stale) {
      await this.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
      await this.audit.record({ action: 'token_used', outcome: 'success', userId: row.id, subject: row.token_id, ip });
    }
    return { user: toUser(row), via: 'token', tokenId: row.token_id };
  }

  /** Finds or creates the user behind a single-sign-on identity. */
  async oidcUser(claims: { subject: string; email?: string; emailVerified?: boolean; name?: string; preferredUsername?: string }, defaultRole: OrgRole, ip: string): Promise<User> {
    const linked = await this.users.findByOidcSubject(claims.subject);
    let user = linked;
    if (!user && claims.email) {
      const byEmail = await this.users.findRowByEmail(claims.email);
      // Linking hands the existing account to whoever controls this identity, so the
      // provider must vouch that the address is theirs; otherwise anyone who can register
      // "admin@…" at the provider would sign in as that admin.
      if (byEmail && claims.emailVerified !== true) {
        await this.audit.record({ action: 'oidc_login', outcome: 'failure', userId: byEmail.id, subject: byEmail.email, ip, detail: { reason: 'email not verified by the identity provider' } });
        throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', 'an account with this e-mail address exists, but the identity provider has not verified the address (email_verified), so single sign-on cannot link to it; sign in with your password or ask the provider to verify the address');
      }
      if (byEmail) {
        await this.users.linkOidc(byEmail.id, claims.subject);
        user = toUser(byEmail);
      }
    }
    if (!user) {
      if (!claims.email) throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', 'the identity provider did not share an e-mail address; Firebreak needs one');
      const base = (claims.preferredUsername ?? handleFromEmail(claims.email)).toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 32) || 'user';
      let handle = base;
      for (let n = 2; await this.users.handleTaken(handle); n++) handle = `${base}-${n}`;
      user = await this.users.create({ email: claims.email, name: claims.name ?? handle, handle, role: defaultRole, oidcSubject: claims.subject });
      await this.audit.record({ action: 'user_created', outcome: 'success', userId: user.id, subject: user.email, ip, detail: { via: 'oidc' } });
    }
    if (user.disabled) {
      await this.audit.record({ action: 'oidc_login', outcome: 'failure', userId: user.id, subject: user.email, ip, detail: { reason: 'disabled' } });
      throw new FirebreakError('FB_ERR_AUTH_OIDC_FAILED', 'this user is disabled');
    }
    await this.audit.record({ action: 'oidc_login', outcome: 'success', userId: user.id, subject: user.email, ip });
    return user;
  }
}

function tokenInfo(row: { id: string; name: string; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked_at: string | null }): ApiTokenInfo {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export function handleFromEmail(email: string): string {
  return (email.split('@')[0] ?? 'admin').toLowerCase().replace(/[^a-z0-9._-]/g, '-').slice(0, 32) || 'admin';
}
