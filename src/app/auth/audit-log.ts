/**
 * The audit trail of access: sign-ins (success and failure), API token use, permission
 * denials and exports. Each entry goes to the `audit_log` table and, as JSON, to the
 * server log. Entries never hold a secret: callers pass ids and e-mail addresses only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.js';
import type { TimeSource } from '../time-source.js';

export type AuditAction =
  | 'login'
  | 'logout'
  | 'setup'
  | 'oidc_login'
  | 'token_created'
  | 'token_revoked'
  | 'token_used'
  | 'user_created'
  | 'user_changed'
  | 'credentials_ended'
  | 'password_changed'
  | 'denied'
  | 'export';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly outcome: 'success' | 'failure';
  readonly userId?: string | null;
  readonly subject?: string | null;
  readonly ip?: string | null;
  readonly detail?: Record<string, unknown>;
}

/** The part of a pino logger the audit log writes to. */
export interface AuditLogger {
  info(object: object, message: string): void;
}

export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly time: TimeSource,
    private readonly logger: AuditLogger,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const at = this.time.now().toISOString();
    this.logger.info({ audit: { at, ...entry } }, `audit ${entry.action} ${entry.outcome}`);
    await this.db
      .insertInto('audit_log')
      .values({
        at,
        action: entry.action,
        outcome: entry.outcome,
        user_id: entry.userId ?? null,
        subject: entry.subject ?? null,
        ip: entry.ip ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  async recent(limit = 100): Promise<{ at: string; action: string; outcome: string; userId: string | null; subject: string | null }[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: r.at, action: r.action, outcome: r.outcome, userId: r.user_id, subject: r.subject }));
  }
}
