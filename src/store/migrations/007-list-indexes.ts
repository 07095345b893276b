/**
 * Indexes that make reads cost what they return, not what is stored (bench/scaling.ts):
 *
 * - `incidents_list`: the incident list's order (newest first: reported_at, then id) with
 *   the columns it filters on, so a page is a walk of the index that stops at its LIMIT
 *   and a count never reads the rows (each carries its state JSON);
 * - `incidents_status_list` replaces `incidents_status` (status, reported_at): the same
 *   order after the status, with the same columns, so a list filtered by one status is
 *   also a walk that stops at its LIMIT (SQLite picks the status index for such a filter);
 * - `events_incident_type_seq`: the newest event of a type (the previous sitrep a sitrep
 *   draft starts from) and the key events of a post-incident report, without reading a
 *   long log from its end.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationStep } from './migration.js';

export const listIndexesMigration: MigrationStep = {
  name: '007-list-indexes',
  async up(db: Kysely<unknown>) {
    await sql`CREATE INDEX incidents_list ON incidents (reported_at DESC, id DESC, kind, status, severity, plan_id, drill, restricted)`.execute(db);
    await sql`CREATE INDEX incidents_status_list ON incidents (status, reported_at DESC, id DESC, kind, severity, plan_id, drill, restricted)`.execute(db);
    await sql`DROP INDEX incidents_status`.execute(db);
    await sql`CREATE INDEX events_incident_type_seq ON events (incident_id, type, seq)`.execute(db);
  },
};
