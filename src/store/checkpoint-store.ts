/**
 * Reads and writes for the provable record: the head of every hash chain as stored now
 * (what a checkpoint commits to), and the append-only checkpoint log (migration 013).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { canonicalDigest } from '../domain/chain/canonical-json.js';
import type { ChainLeaf } from '../domain/record/chain-leaf.js';
import { type CheckpointsTable, type Database, readJson } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Each incident's and advisory's last event, and a content hash of each stored plan version. */
export async function loadChainHeads(db: Db): Promise<ChainLeaf[]> {
  const incidents = await db
    .selectFrom('events as e')
    .innerJoin(db.selectFrom('events').select(['incident_id', sql<number>`max(seq)`.as('last')]).groupBy('incident_id').as('m'), (j) =>
      j.onRef('m.incident_id', '=', 'e.incident_id').onRef('m.last', '=', 'e.seq'),
    )
    .select(['e.incident_id as id', 'e.seq', 'e.hash'])
    .execute();
  const advisories = await db
    .selectFrom('advisory_events as e')
    .innerJoin(db.selectFrom('advisory_events').select(['advisory_id', sql<number>`max(seq)`.as('last')]).groupBy('advisory_id').as('m'), (j) =>
      j.onRef('m.advisory_id', '=', 'e.advisory_id').onRef('m.last', '=', 'e.seq'),
    )
    .select(['e.advisory_id as id', 'e.seq', 'e.hash'])
    .execute();
  const plans = await db.selectFrom('plans').select(['id', 'version', 'content']).execute();
  return [
    ...incidents.map((r): ChainLeaf => ({ kind: 'incident', id: r.id, size: Number(r.seq), head: r.hash })),
    ...advisories.map((r): ChainLeaf => ({ kind: 'advisory', id: r.id, size: Number(r.seq), head: r.hash })),
    ...plans.map((r): ChainLeaf => ({ kind: 'plan', id: `${r.id}@${r.version}`, size: 1, head: planContentHash(readJson(r.content)) })),
  ];
}

/** The hash a plan leaf carries: of the stored content itself, not of the stored content_hash column. */
export function planContentHash(content: unknown): string {
  return canonicalDigest(content);
}

/** A plan version's content as stored now (undefined when the row is gone). */
export async function loadPlanContent(db: Db, id: string, version: string): Promise<unknown> {
  const row = await db.selectFrom('plans').select('content').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return row ? readJson(row.content) : undefined;
}

/** The hash of event #seq of a chain, as stored now (undefined when there is none). */
export async function eventHashAt(db: Db, kind: 'incident' | 'advisory', id: string, seq: number): Promise<string | undefined> {
  const row =
    kind === 'incident'
      ? await db.selectFrom('events').select('hash').where('incident_id', '=', id).where('seq', '=', seq).executeTakeFirst()
      : await db.selectFrom('advisory_events').select('hash').where('advisory_id', '=', id).where('seq', '=', seq).executeTakeFirst();
  return row?.hash;
}

export type StoredCheckpoint = CheckpointsTable;

export async function latestCheckpoint(db: Db): Promise<StoredCheckpoint | undefined> {
  return db.selectFrom('checkpoints').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export async function findCheckpoint(db: Db, seq: number): Promise<StoredCheckpoint | undefined> {
  return db.selectFrom('checkpoints').selectAll().where('seq', '=', seq).executeTakeFirst();
}

export async function appendCheckpoint(trx: Transaction<Database>, row: StoredCheckpoint): Promise<void> {
  await trx.insertInto('checkpoints').values(row).execute();
}
