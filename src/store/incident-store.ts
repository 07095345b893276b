/**
 * Reading and writing incidents: the append-only event log and the incident projection
 * beside it. Every write function takes the transaction it must run in.
 */
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentState } from '../domain/incident/state.js';
import { type Database, readJson } from './database.js';
import { EVENT_COLUMNS, type EventRow, envelopeToRow, rowToEnvelope } from './event-rows.js';
import { assertStorableText } from './storable-text.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface IncidentRow {
  readonly state: IncidentState;
}

/**
 * Reads several projections, in id order, 500 ids a query (bound-parameter limits). With
 * `lock` (PostgreSQL, inside a transaction) the rows are locked in that order; with
 * `skipLocked` too, rows another transaction holds are left out (the scheduler takes what
 * nobody else is writing).
 */
export async function loadIncidentStates(db: Db, ids: readonly string[], options: { lock?: boolean; skipLocked?: boolean } = {}): Promise<Map<string, IncidentState>> {
  const out = new Map<string, IncidentState>();
  const sorted = [...new Set(ids)].sort();
  for (let i = 0; i < sorted.length; i += 500) {
    let query = db.selectFrom('incidents').select(['id', 'state']).where('id', 'in', sorted.slice(i, i + 500)).orderBy('id');
    if (options.lock) query = options.skipLocked ? query.forUpdate().skipLocked() : query.forUpdate();
    for (const row of await query.execute()) out.set(row.id, readJson<IncidentState>(row.state));
  }
  return out;
}

/** Reads the projection; on PostgreSQL inside a transaction it also locks the row. */
export async function loadIncidentState(db: Db, id: string, options: { lock?: boolean } = {}): Promise<IncidentState | undefined> {
  let query = db.selectFrom('incidents').select('state').where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? readJson<IncidentState>(row.state) : undefined;
}

export function toEnvelope(row: EventRow<'incident_id'>): IncidentEventEnvelope {
  return rowToEnvelope('incident_id', 'incidentId', row) as IncidentEventEnvelope;
}

/**
 * Which events of an incident to read: after a seq, of some types, by one actor, at most
 * `limit` — the oldest `limit` of them, or with `latest` the newest (still returned oldest first).
 */
export interface EventRange {
  readonly afterSeq?: number;
  readonly limit?: number;
  readonly latest?: boolean;
  readonly types?: readonly string[];
  readonly actor?: string;
}

/**
 * Events of one incident, oldest first. Filters and the limit run in SQL, so a page of an
 * incident with a million events reads a page of rows, not the whole log.
 */
export async function loadEvents(db: Db, incidentId: string, range: EventRange = {}): Promise<IncidentEventEnvelope[]> {
  let query = db
    .selectFrom('events')
    .select(['incident_id', ...EVENT_COLUMNS])
    .where('incident_id', '=', incidentId)
    .orderBy('seq', range.latest ? 'desc' : 'asc');
  if (range.afterSeq !== undefined) query = query.where('seq', '>', range.afterSeq);
  if (range.types !== undefined) query = range.types.length ? query.where('type', 'in', range.types) : query.where(sql<boolean>`1 = 0`);
  if (range.actor !== undefined) query = query.where('actor', '=', range.actor);
  if (range.limit !== undefined) query = query.limit(range.limit);
  const rows = await query.execute();
  if (range.latest) rows.reverse();
  return rows.map(toEnvelope);
}

/** Rows per INSERT, well inside SQLite's and PostgreSQL's bound-parameter limits. */
const APPEND_CHUNK = 1000;

export async function appendEvents(trx: Transaction<Database>, events: readonly IncidentEventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  for (const e of events) {
    assertStorableText(e.actor, 'actor');
    assertStorableText(e.data, '');
  }
  for (let start = 0; start < events.length; start += APPEND_CHUNK) await insertEvents(trx, events.slice(start, start + APPEND_CHUNK));
}

async function insertEvents(trx: Transaction<Database>, events: readonly IncidentEventEnvelope[]): Promise<void> {
  await trx
    .insertInto('events')
    .values(events.map((e) => envelopeToRow('incident_id', 'incidentId', e)))
    .execute();
}

function projectionRow(state: IncidentState) {
  return {
    plan_id: state.planId,
    plan_version: state.planVersion,
    kind: state.kind,
    status: state.status,
    title: state.title,
    severity: state.severity,
    category: state.category,
    phase: state.phase,
    restricted: state.restricted ? 1 : 0,
    drill: state.drill ? 1 : 0,
    reported_at: state.reportedAt,
    declared_at: state.declaredAt,
    acknowledged_at: state.acknowledgedAt,
    resolved_at: state.resolvedAt,
    closed_at: state.closedAt,
    version: state.version,
    last_hash: state.lastHash,
    state: JSON.stringify(state),
    updated_at: state.updatedAt,
  };
}

export async function saveIncidentState(trx: Transaction<Database>, state: IncidentState, isNew: boolean): Promise<void> {
  const row = projectionRow(state);
  if (isNew) {
    await trx.insertInto('incidents').values({ id: state.id, ...row }).execute();
  } else {
    await trx.updateTable('incidents').set(row).where('id', '=', state.id).execute();
  }
}

/** Next value of a named counter, atomically within the transaction. */
export async function nextCounter(trx: Transaction<Database>, name: string): Promise<number> {
  const row = await trx
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** A place in the incident list's order (newest first: by reportedAt, then id, both descending). */
export interface IncidentListPosition {
  readonly reportedAt: string;
  readonly id: string;
}

export interface IncidentListFilter {
  readonly status?: readonly string[];
  readonly severity?: readonly string[];
  readonly planId?: string;
  readonly kind?: 'event' | 'incident';
  readonly includeDrills?: boolean;
  /** Only need-to-know incidents (true) or only the others (false). */
  readonly restricted?: boolean;
  /** Keyset paging: only the incidents that come after this position in list order. */
  readonly after?: IncidentListPosition;
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * The list's filters and order on a query of `incidents`. Index `incidents_list` (migration
 * 007) holds the order and every filtered column, so with a limit the database walks the
 * index and stops, and a count never reads the rows (each carries its state JSON).
 */
function filtered<O>(query: SelectQueryBuilder<Database, 'incidents', O>, filter: IncidentListFilter): SelectQueryBuilder<Database, 'incidents', O> {
  let q = query;
  if (filter.status?.length) q = q.where('status', 'in', filter.status);
  if (filter.severity?.length) q = q.where('severity', 'in', filter.severity);
  if (filter.planId) q = q.where('plan_id', '=', filter.planId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.includeDrills === false) q = q.where('drill', '=', 0);
  if (filter.restricted !== undefined) q = q.where('restricted', '=', filter.restricted ? 1 : 0);
  const after = filter.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('reported_at', 'id'), '<', eb.tuple(after.reportedAt, after.id)));
  return q;
}

function ordered<O>(query: SelectQueryBuilder<Database, 'incidents', O>, filter: IncidentListFilter): SelectQueryBuilder<Database, 'incidents', O> {
  let q = filtered(query, filter).orderBy('reported_at', 'desc').orderBy('id', 'desc');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  if (filter.offset !== undefined) q = q.offset(filter.offset);
  return q;
}

export async function listIncidentStates(db: Db, filter: IncidentListFilter = {}): Promise<IncidentState[]> {
  const rows = await ordered(db.selectFrom('incidents').select('state'), filter).execute();
  return rows.map((r) => readJson<IncidentState>(r.state));
}

/** The projection's columns a list filters and orders by, without the state JSON. */
export interface IncidentHead {
  readonly id: string;
  readonly reportedAt: string;
  readonly restricted: boolean;
}

/** The query `listIncidentHeads` runs (tests read its plan). */
export function incidentHeadsQuery(db: Db, filter: IncidentListFilter = {}) {
  return ordered(db.selectFrom('incidents').select(['id', 'reported_at', 'restricted']), filter);
}

/** Like `listIncidentStates` (same filters, order and limit) but only the heads: no state JSON is read. */
export async function listIncidentHeads(db: Db, filter: IncidentListFilter = {}): Promise<IncidentHead[]> {
  const rows = await incidentHeadsQuery(db, filter).execute();
  return rows.map((r) => ({ id: r.id, reportedAt: r.reported_at, restricted: Number(r.restricted) === 1 }));
}

/** How many incidents the filter matches (its `after`, not its limit or offset, applies), counted in SQL. */
export async function countIncidents(db: Db, filter: IncidentListFilter = {}): Promise<number> {
  const row = await filtered(db.selectFrom('incidents').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')), filter).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Every incident the event log or the incidents table knows, in id order: the log first,
 * so an incident whose row was deleted (its events remain) is still listed and verified.
 */
export async function listLoggedIncidentIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('events')
    .select('incident_id as id')
    .distinct()
    .union(db.selectFrom('incidents').select('id'))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function listIncidentIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('incidents').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}
