/**
 * Stored plan versions. An incident pins the plan version it started under, so each
 * (id, version) is kept forever and never changed once written.
 */
import type { Kysely } from 'kysely';
import type { Plan } from '../domain/plan/plan-schema.js';
import { type Database, readJson } from './database.js';

export interface StoredPlan {
  readonly plan: Plan;
  readonly contentHash: string;
  readonly source: string | null;
  readonly loadedAt: string;
}

export async function findStoredPlan(db: Kysely<Database>, id: string, version: string): Promise<StoredPlan | undefined> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return row ? { plan: readJson<Plan>(row.content), contentHash: row.content_hash, source: row.source, loadedAt: row.loaded_at } : undefined;
}

/** The plan last loaded from a file with exactly this text, if any. */
export async function findPlanByFileHash(db: Kysely<Database>, fileHash: string): Promise<Plan | undefined> {
  const row = await db.selectFrom('plans').select('content').where('file_hash', '=', fileHash).orderBy('loaded_at', 'desc').executeTakeFirst();
  return row ? readJson<Plan>(row.content) : undefined;
}

export async function insertPlan(
  db: Kysely<Database>,
  plan: Plan,
  hashes: { content: string; file: string | null },
  source: string | null,
  loadedAt: string,
): Promise<void> {
  await db
    .insertInto('plans')
    .values({ id: plan.id, version: plan.version, name: plan.name, content: JSON.stringify(plan), content_hash: hashes.content, file_hash: hashes.file, source, loaded_at: loadedAt })
    .onConflict((oc) => oc.columns(['id', 'version']).doNothing())
    .execute();
}

export async function listStoredPlans(db: Kysely<Database>): Promise<StoredPlan[]> {
  const rows = await db.selectFrom('plans').selectAll().orderBy('id').orderBy('loaded_at').execute();
  return rows.map((row) => ({ plan: readJson<Plan>(row.content), contentHash: row.content_hash, source: row.source, loadedAt: row.loaded_at }));
}
