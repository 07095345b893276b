/**
 * Reading and writing intake rows: ingest sources, routing rules, de-duplicated alerts,
 * deliveries already seen, public reports and their message threads. Write functions
 * take the transaction they must run in.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AlertResource } from '../domain/intake/alert.js';
import type { RoutingRule } from '../domain/intake/routing.js';
import { type Database, readJson } from './database.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface IngestSourceRow {
  readonly name: string;
  readonly kind: string;
  readonly planId: string;
  readonly auth: 'hmac' | 'bearer';
  readonly secretHash: string | null;
  readonly secret: string | null;
  readonly secretRef: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

export async function findIngestSource(db: Db, name: string): Promise<IngestSourceRow | undefined> {
  const row = await db.selectFrom('ingest_sources').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toSource(row) : undefined;
}

function toSource(row: Database['ingest_sources']): IngestSourceRow {
  return {
    name: row.name,
    kind: row.kind,
    planId: row.plan_id,
    auth: row.auth === 'hmac' ? 'hmac' : 'bearer',
    secretHash: row.secret_hash,
    secret: row.secret,
    secretRef: row.secret_ref,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export async function listIngestSources(db: Db): Promise<IngestSourceRow[]> {
  const rows = await db.selectFrom('ingest_sources').selectAll().orderBy('name').execute();
  return rows.map(toSource);
}

export async function insertIngestSource(trx: Transaction<Database>, source: IngestSourceRow): Promise<void> {
  await trx
    .insertInto('ingest_sources')
    .values({
      name: source.name,
      kind: source.kind,
      plan_id: source.planId,
      auth: source.auth,
      secret_hash: source.secretHash,
      secret: source.secret,
      secret_ref: source.secretRef,
      created_at: source.createdAt,
      created_by: source.createdBy,
    })
    .execute();
}

export async function listRoutingRules(db: Db): Promise<RoutingRule[]> {
  const rows = await db.selectFrom('ingest_routes').selectAll().orderBy('position').orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    match: { source: r.match_source, severityLabel: r.match_severity, repository: r.match_repository, path: r.match_path },
    action: { plan: r.plan_id, severity: r.severity, attachTo: r.attach_to },
  }));
}

export async function insertRoutingRule(trx: Transaction<Database>, rule: Omit<RoutingRule, 'id'>, createdAt: string): Promise<number> {
  const last = await trx.selectFrom('ingest_routes').select(sql<number>`coalesce(max(position), 0)`.as('max')).executeTakeFirst();
  const row = await trx
    .insertInto('ingest_routes')
    .values({
      position: Number(last?.max ?? 0) + 1,
      match_source: rule.match.source ?? null,
      match_severity: rule.match.severityLabel ?? null,
      match_repository: rule.match.repository ?? null,
      match_path: rule.match.path ?? null,
      plan_id: rule.action.plan ?? null,
      severity: rule.action.severity ?? null,
      attach_to: rule.action.attachTo ?? null,
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function deleteRoutingRule(trx: Transaction<Database>, id: number): Promise<boolean> {
  const result = await trx.deleteFrom('ingest_routes').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface AlertRow {
  readonly id: number;
  readonly source: string;
  readonly fingerprint: string;
  readonly status: 'open' | 'closed';
  readonly incidentId: string | null;
  readonly routeId: number | null;
  readonly alertSource: string;
  readonly rule: string;
  readonly title: string;
  readonly severityLabel: string | null;
  readonly proposedSeverity: string | null;
  readonly resource: AlertResource;
  readonly labels: Record<string, string>;
  readonly url: string | null;
  readonly excerpt: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly sourceResolvedAt: string | null;
}

function toAlert(row: Selectable<Database['alerts']>, incidentStatus?: string | null): AlertRow {
  const finished = incidentStatus === 'closed' || incidentStatus === 'dismissed';
  return {
    id: Number(row.id),
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status === 'open' && !finished ? 'open' : 'closed',
    incidentId: row.incident_id,
    routeId: row.route_id === null ? null : Number(row.route_id),
    alertSource: row.alert_source,
    rule: row.rule,
    title: row.title,
    severityLabel: row.severity_label,
    proposedSeverity: row.proposed_severity,
    resource: readJson<AlertResource>(row.resource),
    labels: readJson<Record<string, string>>(row.labels),
    url: row.url,
    excerpt: row.excerpt,
    count: Number(row.count),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    sourceResolvedAt: row.source_resolved_at,
  };
}

/** The open alert row for a fingerprint, with the status of the incident it feeds. */
export async function findOpenAlert(db: Db, source: string, fingerprint: string): Promise<{ id: number; incidentId: string | null; incidentStatus: string | null; count: number } | undefined> {
  const row = await db
    .selectFrom('alerts')
    .leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .select(['alerts.id as id', 'alerts.incident_id as incidentId', 'alerts.count as count', 'incidents.status as incidentStatus'])
    .where('alerts.source', '=', source)
    .where('alerts.fingerprint', '=', fingerprint)
    // A literal, not a parameter: the partial index alerts_open_fingerprint is usable only
    // when SQLite can see the value, and a parameter made it re-plan the query on every bind.
    .where('alerts.status', '=', sql.lit('open'))
    .executeTakeFirst();
  return row ? { id: Number(row.id), incidentId: row.incidentId, incidentStatus: row.incidentStatus ?? null, count: Number(row.count) } : undefined;
}

export async function closeAlert(trx: Transaction<Database>, id: number): Promise<void> {
  await trx.updateTable('alerts').set({ status: 'closed' }).where('id', '=', id).execute();
}

export async function bumpAlert(trx: Transaction<Database>, id: number, by: number, at: string, resolvedAt: string | null): Promise<void> {
  await trx
    .updateTable('alerts')
    .set({ count: sql`count + ${by}`, last_seen: at, source_resolved_at: resolvedAt })
    .where('id', '=', id)
    .execute();
}

export async function markAlertResolved(trx: Transaction<Database>, id: number, at: string): Promise<void> {
  await trx.updateTable('alerts').set({ last_seen: at, source_resolved_at: at }).where('id', '=', id).execute();
}

export async function insertAlert(trx: Transaction<Database>, alert: Omit<AlertRow, 'id' | 'status'>): Promise<number> {
  const row = await trx
    .insertInto('alerts')
    .values({
      source: alert.source,
      fingerprint: alert.fingerprint,
      status: 'open',
      incident_id: alert.incidentId,
      route_id: alert.routeId,
      alert_source: alert.alertSource,
      rule: alert.rule,
      title: alert.title,
      severity_label: alert.severityLabel,
      proposed_severity: alert.proposedSeverity,
      resource: JSON.stringify(alert.resource),
      labels: JSON.stringify(alert.labels),
      url: alert.url,
      excerpt: alert.excerpt,
      count: alert.count,
      first_seen: alert.firstSeen,
      last_seen: alert.lastSeen,
      source_resolved_at: alert.sourceResolvedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface AlertFilter {
  readonly incidentId?: string;
  readonly source?: string;
  readonly status?: 'open' | 'closed';
  readonly limit?: number;
}

export async function listAlerts(db: Db, filter: AlertFilter = {}): Promise<AlertRow[]> {
  let query = db
    .selectFrom('alerts')
    .leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .selectAll('alerts')
    .select('incidents.status as incident_status')
    .orderBy('alerts.last_seen', 'desc')
    .orderBy('alerts.id', 'desc');
  if (filter.incidentId) query = query.where('alerts.incident_id', '=', filter.incidentId);
  if (filter.source) query = query.where('alerts.source', '=', filter.source);
  query = query.limit(filter.limit ?? 200);
  const rows = await query.execute();
  const alerts = rows.map((r) => toAlert(r, r.incident_status));
  return filter.status ? alerts.filter((a) => a.status === filter.status) : alerts;
}

export async function findDelivery(db: Db, source: string, deliveryId: string): Promise<{ response: unknown } | undefined> {
  const row = await db.selectFrom('ingest_deliveries').select('response').where('source', '=', source).where('delivery_id', '=', deliveryId).executeTakeFirst();
  return row ? { response: row.response === null ? null : readJson(row.response) } : undefined;
}

export async function insertDelivery(trx: Transaction<Database>, source: string, deliveryId: string, at: string, response: unknown): Promise<void> {
  await trx
    .insertInto('ingest_deliveries')
    .values({ source, delivery_id: deliveryId, received_at: at, response: response === null ? null : JSON.stringify(response) })
    .execute();
}

/** True when the delivery is new (and now recorded); false when it was seen before. */
export async function recordDeliveryOnce(trx: Transaction<Database>, source: string, deliveryId: string, at: string): Promise<boolean> {
  const result = await trx
    .insertInto('ingest_deliveries')
    .values({ source, delivery_id: deliveryId, received_at: at, response: null })
    .onConflict((oc) => oc.columns(['source', 'delivery_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
