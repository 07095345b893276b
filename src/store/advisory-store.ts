/**
 * Reading and writing advisories (their event log and projection) and the VEX register.
 * Every write function takes the transaction it must run in.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AdvisoryEventEnvelope } from '../domain/advisory/events.js';
import type { AdvisoryState } from '../domain/advisory/state.js';
import type { VexStatement, VexStatementInput } from '../domain/vex/vex-statement.js';
import { type Database, readJson } from './database.js';
import { EVENT_COLUMNS, envelopeToRow, rowToEnvelope } from './event-rows.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function loadAdvisoryState(db: Db, id: string, options: { lock?: boolean } = {}): Promise<AdvisoryState | undefined> {
  let query = db.selectFrom('advisories').select('state').where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? readJson<AdvisoryState>(row.state) : undefined;
}

export async function loadAdvisoryEvents(db: Db, advisoryId: string): Promise<AdvisoryEventEnvelope[]> {
  const rows = await db
    .selectFrom('advisory_events')
    .select(['advisory_id', ...EVENT_COLUMNS])
    .where('advisory_id', '=', advisoryId)
    .orderBy('seq', 'asc')
    .execute();
  return rows.map((row) => rowToEnvelope('advisory_id', 'advisoryId', row) as AdvisoryEventEnvelope);
}

export async function appendAdvisoryEvents(trx: Transaction<Database>, events: readonly AdvisoryEventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await trx
    .insertInto('advisory_events')
    .values(events.map((e) => envelopeToRow('advisory_id', 'advisoryId', e)))
    .execute();
}

export async function saveAdvisoryState(trx: Transaction<Database>, state: AdvisoryState, isNew: boolean): Promise<void> {
  const firstRelease = state.revisions.map((r) => r.releaseAt).sort()[0] ?? null;
  const row = {
    incident_id: state.incidentId,
    status: state.status,
    title: state.content.title,
    severity: state.severity,
    cve: state.content.cve ?? null,
    first_release_at: firstRelease,
    created_at: state.createdAt,
    version: state.version,
    last_hash: state.lastHash,
    state: JSON.stringify(state),
    updated_at: state.updatedAt,
  };
  if (isNew) await trx.insertInto('advisories').values({ id: state.id, ...row }).execute();
  else await trx.updateTable('advisories').set(row).where('id', '=', state.id).execute();
}

export interface AdvisoryListFilter {
  readonly incidentId?: string;
  /** Only advisories with a revision released at or before this instant (ISO 8601). */
  readonly releasedBy?: string;
}

export async function listAdvisoryStates(db: Db, filter: AdvisoryListFilter = {}): Promise<AdvisoryState[]> {
  let query = db.selectFrom('advisories').select('state').orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.releasedBy) query = query.where('first_release_at', 'is not', null).where('first_release_at', '<=', filter.releasedBy);
  const rows = await query.execute();
  return rows.map((r) => readJson<AdvisoryState>(r.state));
}

export async function appendVexStatement(trx: Transaction<Database>, statement: VexStatementInput, meta: { recordedAt: string; actor: string }): Promise<void> {
  await trx
    .insertInto('vex_statements')
    .values({
      product: statement.product,
      version: statement.version,
      vulnerability: statement.vulnerability,
      status: statement.status,
      justification: statement.justification ?? null,
      impact_statement: statement.impactStatement ?? null,
      action_statement: statement.actionStatement ?? null,
      recorded_at: meta.recordedAt,
      actor: meta.actor,
    })
    .execute();
}

/** Every statement ever made, oldest first (the register's history). */
export async function loadVexHistory(db: Db, filter: { vulnerability?: string } = {}): Promise<VexStatement[]> {
  let query = db.selectFrom('vex_statements').selectAll().orderBy('position', 'asc');
  if (filter.vulnerability) query = query.where('vulnerability', '=', filter.vulnerability);
  const rows = await query.execute();
  return rows.map((r) => ({
    product: r.product,
    version: r.version,
    vulnerability: r.vulnerability,
    status: r.status as VexStatement['status'],
    ...(r.justification ? { justification: r.justification as NonNullable<VexStatement['justification']> } : {}),
    ...(r.impact_statement ? { impactStatement: r.impact_statement } : {}),
    ...(r.action_statement ? { actionStatement: r.action_statement } : {}),
    recordedAt: r.recorded_at,
    actor: r.actor,
  }));
}

/** The current statement per product, version and vulnerability (the newest one wins). */
export async function loadVexRegister(db: Db, filter: { vulnerability?: string } = {}): Promise<VexStatement[]> {
  const current = new Map<string, VexStatement>();
  for (const s of await loadVexHistory(db, filter)) current.set(JSON.stringify([s.vulnerability, s.product, s.version]), s);
  return [...current.values()].sort((a, b) =>
    a.vulnerability.localeCompare(b.vulnerability) || a.product.localeCompare(b.product) || a.version.localeCompare(b.version, undefined, { numeric: true }),
  );
}
