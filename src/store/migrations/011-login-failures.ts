/**
 * `audit_log_login_failures`: the per-address sign-in failure budget (auth-service.ts)
 * counts an address's failed sign-ins of the last minutes on every login; this index makes
 * that a short range scan instead of a walk of the whole audit log.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationStep } from './migration.js';

export const loginFailuresMigration: MigrationStep = {
  name: '011-login-failures',
  async up(db: Kysely<unknown>) {
    await sql`CREATE INDEX audit_log_login_failures ON audit_log (ip, action, outcome, at)`.execute(db);
  },
};
