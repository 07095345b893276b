/**
 * The shape every append-only, hash-chained log shares (incident events, advisory events):
 * a global position, the stream it belongs to, its place in that stream, the fact, and its
 * link in the chain. One definition keeps the logs identical, so the same sealing and
 * verification code reads them all.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './migration.js';

export async function createEventLogTable(
  db: Kysely<unknown>,
  dialect: Dialect,
  log: { readonly table: string; readonly streamColumn: string; readonly uniqueStreamSeq: string },
): Promise<void> {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  await db.schema
    .createTable(log.table)
    .addColumn('position', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn(log.streamColumn, 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', sql.raw(json), (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint(log.uniqueStreamSeq, [log.streamColumn, 'seq'])
    .execute();
}
