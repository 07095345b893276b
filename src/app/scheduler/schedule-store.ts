/**
 * The `scheduled_clocks` table: bringing an incident's rows in line with its desired
 * schedule, and claiming due rows. Claiming runs inside the caller's write transaction:
 * on SQLite that transaction holds the single writer lock; on PostgreSQL the rows are
 * locked with `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows and a
 * row is fired (state `pending` → `fired`) by exactly one of them.
 */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { canonicalJson } from '../../domain/chain/canonical-json.js';
import { type Database, readJson, type ScheduledClocksTable } from '../../store/database.js';
import type { Dialect } from '../../store/migrations/index.js';
import type { ScheduleDetails, ScheduleEntry } from './clock-schedule.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ScheduledClock {
  readonly incidentId: string;
  readonly clockKey: string;
  readonly kind: string;
  readonly dueAt: string;
  readonly state: ScheduledClocksTable['state'];
  readonly firedAt: string | null;
  readonly late: boolean;
  readonly details: ScheduleDetails;
}

function toClock(row: Selectable<ScheduledClocksTable>): ScheduledClock {
  return {
    incidentId: row.incident_id,
    clockKey: row.clock_key,
    kind: row.kind,
    dueAt: row.due_at,
    state: row.state,
    firedAt: row.fired_at,
    late: Number(row.late) === 1,
    details: readJson<ScheduleDetails>(row.details),
  };
}

export interface SyncOutcome {
  readonly inserted: number;
  readonly moved: number;
  readonly cancelled: number;
  /** Earliest due time among the incident's pending rows after the sync. */
  readonly earliestDue: string | undefined;
}

/**
 * Inserts new entries, moves pending rows whose due time changed (severity raised →
 * sooner) or whose recipient changed (a Communications Officer took over sitreps), revives cancelled rows that apply again (reopened), and cancels pending rows
 * that no longer apply (item done, acknowledged, resolved). Fired rows are history.
 */
export async function syncSchedule(trx: Transaction<Database>, incidentId: string, desired: readonly ScheduleEntry[], now: Date): Promise<SyncOutcome> {
  const at = now.toISOString();
  const existing = new Map(
    (await trx.selectFrom('scheduled_clocks').select(['clock_key', 'state', 'due_at', 'details']).where('incident_id', '=', incidentId).execute()).map((r) => [r.clock_key, r]),
  );
  let inserted = 0;
  let moved = 0;
  let cancelled = 0;
  const wanted = new Set<string>();
  let earliestDue: string | undefined;
  for (const entry of desired) {
    wanted.add(entry.clockKey);
    const row = existing.get(entry.clockKey);
    if (!row) {
      await trx
        .insertInto('scheduled_clocks')
        .values({
          incident_id: incidentId,
          clock_key: entry.clockKey,
          kind: entry.kind,
          due_at: entry.dueAt,
          state: 'pending',
          claimed_by: null,
          claimed_until: null,
          fired_at: null,
          late: 0,
          details: JSON.stringify(entry.details),
          updated_at: at,
        })
        // Plan-cadence rows are synced by every process that starts: two starting at once
        // on one PostgreSQL database both find the row missing, and the second one's insert
        // must not fail its start (it was seen: "duplicate key … scheduled_clocks_pk").
        .onConflict((conflict) => conflict.columns(['incident_id', 'clock_key']).doNothing())
        .execute();
      inserted += 1;
    } else if (row.state === 'fired') {
      continue;
    } else if (row.state === 'cancelled' || row.due_at !== entry.dueAt || canonicalJson(readJson(row.details)) !== canonicalJson(entry.details)) {
      await trx
        .updateTable('scheduled_clocks')
        .set({ state: 'pending', due_at: entry.dueAt, details: JSON.stringify(entry.details), updated_at: at })
        .where('incident_id', '=', incidentId)
        .where('clock_key', '=', entry.clockKey)
        .where('state', '!=', 'fired')
        .execute();
      moved += 1;
    }
    if (earliestDue === undefined || entry.dueAt < earliestDue) earliestDue = entry.dueAt;
  }
  const stale = [...existing.values()].filter((r) => r.state === 'pending' && !wanted.has(r.clock_key)).map((r) => r.clock_key);
  if (stale.length > 0) {
    await trx
      .updateTable('scheduled_clocks')
      .set({ state: 'cancelled', updated_at: at })
      .where('incident_id', '=', incidentId)
      .where('clock_key', 'in', stale)
      .where('state', '=', 'pending')
      .execute();
    cancelled = stale.length;
  }
  return { inserted, moved, cancelled, earliestDue };
}

/** Incidents with due pending rows, from the oldest due rows (at most `limit` rows looked at). */
export async function incidentsWithDueClocks(db: Db, now: Date, limit: number, except: readonly string[] = []): Promise<string[]> {
  const rows = await db
    .selectFrom('scheduled_clocks')
    .select('incident_id')
    .where('state', '=', 'pending')
    .where('due_at', '<=', now.toISOString())
    .$if(except.length > 0, (q) => q.where('incident_id', 'not in', [...except]))
    .orderBy('due_at')
    .orderBy('incident_id')
    .orderBy('clock_key')
    .limit(limit)
    .execute();
  return [...new Set(rows.map((r) => r.incident_id))].sort();
}

export interface FireClaim {
  readonly now: Date;
  readonly limit: number;
  /** Rows due before this instant are marked late. */
  readonly lateBefore: Date;
  readonly workerId: string;
  /** Only rows of these incidents (the ones whose incident rows this worker locked). */
  readonly incidentIds?: readonly string[];
}

/**
 * Claims up to `limit` due pending rows, oldest first, and marks them fired, in one
 * statement (`UPDATE … WHERE key IN (SELECT … LIMIT n) RETURNING *`); on PostgreSQL the
 * inner select takes `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows.
 * Returns the rows as fired, oldest first. Runs in the caller's transaction: if that
 * rolls back, the rows are pending again.
 */
export async function claimAndMarkFired(trx: Transaction<Database>, dialect: Dialect, claim: FireClaim): Promise<ScheduledClock[]> {
  if (claim.incidentIds && claim.incidentIds.length === 0) return [];
  const at = claim.now.toISOString();
  const lateBefore = claim.lateBefore.toISOString();
  const rows = await trx
    .updateTable('scheduled_clocks')
    .set({
      state: 'fired',
      fired_at: at,
      late: sql<number>`CASE WHEN due_at < ${lateBefore} THEN 1 ELSE 0 END`,
      claimed_by: claim.workerId,
      claimed_until: null,
      updated_at: at,
    })
    .where('state', '=', 'pending')
    .where((eb) =>
      eb(
        eb.refTuple('incident_id', 'clock_key'),
        'in',
        eb
          .selectFrom('scheduled_clocks as due')
          .select(['due.incident_id', 'due.clock_key'])
          .where('due.state', '=', 'pending')
          .where('due.due_at', '<=', at)
          .$if(claim.incidentIds !== undefined, (q) => q.where('due.incident_id', 'in', [...(claim.incidentIds ?? [])]))
          .orderBy('due.due_at')
          .orderBy('due.incident_id')
          .orderBy('due.clock_key')
          .limit(claim.limit)
          .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked())
          .$asTuple('incident_id', 'clock_key'),
      ),
    )
    .returningAll()
    .execute();
  return rows
    .map(toClock)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.incidentId.localeCompare(b.incidentId) || a.clockKey.localeCompare(b.clockKey));
}

export async function earliestPendingDue(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('scheduled_clocks').select((eb) => eb.fn.min('due_at').as('next')).where('state', '=', 'pending').executeTakeFirst();
  return (row?.next as string | null | undefined) ?? undefined;
}

export async function listScheduledClocks(db: Db, filter: { incidentId?: string; state?: ScheduledClocksTable['state'] } = {}): Promise<ScheduledClock[]> {
  let query = db.selectFrom('scheduled_clocks').selectAll().orderBy('due_at').orderBy('clock_key');
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.state) query = query.where('state', '=', filter.state);
  return (await query.execute()).map(toClock);
}

/** Incidents whose schedule may need work: still open, or with pending rows. */
export async function incidentsToResync(db: Db): Promise<string[]> {
  const open = await db.selectFrom('incidents').select('id').where('status', 'not in', ['closed', 'dismissed']).execute();
  const pending = await db.selectFrom('scheduled_clocks').select('incident_id').distinct().where('state', '=', 'pending').execute();
  return [...new Set([...open.map((r) => r.id), ...pending.map((r) => r.incident_id)])].sort();
}
