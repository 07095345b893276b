/**
 * The `escalation_policies` table: policies as data, written whole (levels as JSON) and
 * read back through the domain's schema, so a row never holds a policy the API would refuse.
 */
import type { Kysely, Transaction } from 'kysely';
import type { EscalationPolicy, PolicyLevel } from '../../domain/paging/escalation-policy.js';
import { type Database, readJson } from '../../store/database.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredPolicy extends EscalationPolicy {
  readonly updatedAt: string;
  readonly updatedBy: string;
}

function toPolicy(row: { id: string; name: string; levels: unknown; repeat: number; updated_at: string; updated_by: string }): StoredPolicy {
  return { id: row.id, name: row.name, levels: readJson<PolicyLevel[]>(row.levels), repeat: Number(row.repeat), updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function savePolicy(db: Db, policy: EscalationPolicy, by: string, now: Date): Promise<StoredPolicy> {
  const row = { id: policy.id, name: policy.name, levels: JSON.stringify(policy.levels), repeat: policy.repeat, updated_at: now.toISOString(), updated_by: by };
  await db
    .insertInto('escalation_policies')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name, levels: row.levels, repeat: row.repeat, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
  return toPolicy(row);
}

export async function findPolicy(db: Db, id: string): Promise<StoredPolicy | undefined> {
  const row = await db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPolicy(row) : undefined;
}

export async function listPolicies(db: Db): Promise<StoredPolicy[]> {
  return (await db.selectFrom('escalation_policies').selectAll().orderBy('id').execute()).map(toPolicy);
}

/** Removes a policy; false when there was none. */
export async function deletePolicy(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('escalation_policies').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
