/**
 * Moving a whole store into another: `restore` and `migrate-store` (SQLite → PostgreSQL,
 * or any direction). Rows come from a `RowSource` (an open store, or a backup file) and
 * go into the target in one transaction; before it commits, every table's row count is
 * compared with the source and every incident's hash chain and projection are checked in
 * the target, so a copy that is not exact is never committed.
 */
import type { Transaction } from 'kysely';
import { canonicalJson } from '../domain/chain/canonical-json.js';
import { verifyChain } from '../domain/chain/hash-chain.js';
import { FirebreakError } from '../domain/errors.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import { type IncidentState, replay } from '../domain/incident/state.js';
import { type Database, readJson } from '../store/database.js';
import { toEnvelope } from '../store/incident-store.js';
import { appliedMigrations, clearTables, countRows, listTables, type PortableRow, readTable, resetSequences, type TableInfo, writeRows } from '../store/store-tables.js';
import type { Store } from '../store/store.js';

export interface RowBatch {
  readonly table: string;
  readonly rows: readonly PortableRow[];
}

/** Where copied rows come from. Batches arrive table by table, referenced tables first. */
export interface RowSource {
  /** For messages: a file name or a store location (never a password). */
  readonly description: string;
  readonly migrations: readonly string[];
  /** Rows per table, known before copying starts (for progress and the final check). */
  readonly counts: ReadonlyMap<string, number>;
  batches(): AsyncIterable<RowBatch>;
}

/** Reads an open store, in one consistent snapshot where the back end offers one. */
export async function storeRowSource(store: Store, batchSize = 1000): Promise<RowSource> {
  const tables = await listTables(store.db, store.dialect);
  const counts = new Map<string, number>();
  for (const table of tables) counts.set(table.name, await countRows(store.db, table.name));
  return {
    description: store.location,
    migrations: await appliedMigrations(store.db),
    counts,
    async *batches() {
      for (const table of tables) {
        for await (const rows of readTable(store.db, table, batchSize)) yield { table: table.name, rows };
      }
    },
  };
}

export type TransferProgress = (done: number, total: number, table: string) => void;

export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

export interface TransferReport {
  readonly tables: readonly TableCount[];
  readonly incidents: number;
  readonly events: number;
  /** Incidents whose hash chain and projection were checked in the target. */
  readonly chainsVerified: number;
  readonly milliseconds: number;
}

export interface TransferOptions {
  /** Replace whatever the target holds (otherwise a non-empty target is refused). */
  readonly force?: boolean;
  readonly onProgress?: TransferProgress;
  /** Measures elapsed time (the app's TimeSource is for domain time, not durations). */
  readonly elapsed?: () => number;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Names the target's non-empty tables, or refuses when the source is not compatible. */
async function checkTarget(source: RowSource, target: Store, tables: readonly TableInfo[], force: boolean): Promise<void> {
  const targetMigrations = await appliedMigrations(target.db);
  if (!sameList(source.migrations, targetMigrations)) {
    const missing = source.migrations.filter((m) => !targetMigrations.includes(m));
    const extra = targetMigrations.filter((m) => !source.migrations.includes(m));
    throw new FirebreakError(
      'FB_ERR_TRANSFER_SCHEMA_MISMATCH',
      `${source.description} and ${target.location} are at different schema versions` +
        (missing.length ? `; the source has migrations this Firebreak does not know: ${missing.join(', ')} (upgrade Firebreak first)` : '') +
        (extra.length ? `; the source lacks migrations ${extra.join(', ')} (open it once with this Firebreak to upgrade it)` : ''),
    );
  }
  const known = new Set(tables.map((t) => t.name));
  const unknown = [...source.counts.keys()].filter((t) => !known.has(t));
  if (unknown.length) throw new FirebreakError('FB_ERR_TRANSFER_SCHEMA_MISMATCH', `${source.description} has tables the target lacks: ${unknown.join(', ')}`);
  if (force) return;
  const occupied: string[] = [];
  for (const table of tables) {
    const n = await countRows(target.db, table.name);
    if (n > 0 && table.name !== 'plans') occupied.push(`${table.name} (${n} rows)`);
  }
  if (occupied.length) {
    throw new FirebreakError('FB_ERR_TRANSFER_TARGET_NOT_EMPTY', `${target.location} is not empty: ${occupied.join(', ')}; use an empty store, or pass --force to replace its contents`);
  }
}

/**
 * Verifies every incident's chain and projection in a few large reads (events in
 * (incident, seq) order, projections in batches) rather than two queries per incident.
 */
async function verifyAllIncidents(db: Transaction<Database>, batchSize = 5000): Promise<{ incidents: number; events: number }> {
  let incidents = 0;
  let events = 0;
  let pending: { id: string; log: IncidentEventEnvelope[] }[] = [];
  const checkPending = async () => {
    if (pending.length === 0) return;
    const rows = await db.selectFrom('incidents').select(['id', 'state']).where('id', 'in', pending.map((p) => p.id)).execute();
    const stored = new Map(rows.map((r) => [r.id, readJson<IncidentState>(r.state)]));
    for (const { id, log } of pending) {
      const verdict = verifyChain(id, log);
      if (!verdict.ok) throw new FirebreakError('FB_ERR_CHAIN_BROKEN', `${id}: event #${verdict.seq}: ${verdict.reason}; nothing was committed`, [{ path: `${id}#${verdict.seq}`, message: verdict.reason }]);
      if (canonicalJson(replay(log)) !== canonicalJson(stored.get(id))) {
        throw new FirebreakError('FB_ERR_TRANSFER_CHECK_FAILED', `${id}: the stored projection does not match a replay of its log; nothing was committed`);
      }
      incidents += 1;
      events += log.length;
    }
    pending = [];
  };
  let current: { id: string; log: IncidentEventEnvelope[] } | undefined;
  let after: { id: string; seq: number } | undefined;
  for (;;) {
    let query = db.selectFrom('events').select(['incident_id', 'seq', 'type', 'data', 'occurred_at', 'recorded_at', 'actor', 'prev_hash', 'hash']).orderBy('incident_id').orderBy('seq').limit(batchSize);
    if (after) {
      const { id, seq } = after;
      query = query.where((eb) => eb.or([eb('incident_id', '>', id), eb.and([eb('incident_id', '=', id), eb('seq', '>', seq)])]));
    }
    const rows = await query.execute();
    for (const row of rows) {
      const event = toEnvelope(row);
      if (current?.id !== event.incidentId) {
        if (current) pending.push(current);
        if (pending.length >= 500) await checkPending();
        current = { id: event.incidentId, log: [] };
      }
      current.log.push(event);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) break;
    after = { id: last.incident_id, seq: Number(last.seq) };
  }
  if (current) pending.push(current);
  await checkPending();
  // A projection without a single event is as wrong as a broken chain.
  const total = await countRows(db, 'incidents');
  if (total !== incidents) throw new FirebreakError('FB_ERR_TRANSFER_CHECK_FAILED', `${total - incidents} incidents have no events; nothing was committed`);
  return { incidents, events };
}

/** Copies every row of `source` into `target`, checks the result, then commits. */
export async function copyIntoStore(source: RowSource, target: Store, options: TransferOptions = {}): Promise<TransferReport> {
  const elapsed = options.elapsed ?? (() => performance.now());
  const started = elapsed();
  const tables = await listTables(target.db, target.dialect);
  await checkTarget(source, target, tables, options.force ?? false);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const total = [...source.counts.values()].reduce((a, b) => a + b, 0);

  return target.transaction(async (trx) => {
    // Plans are loaded into every store when it opens, so even an "empty" target has
    // them; the copy replaces them with the source's (same ids, versions and content).
    await clearTables(trx, target.dialect, tables);
    let done = 0;
    for await (const batch of source.batches()) {
      const table = byName.get(batch.table);
      if (!table) throw new FirebreakError('FB_ERR_TRANSFER_SCHEMA_MISMATCH', `${source.description} has a table the target lacks: ${batch.table}`);
      await writeRows(trx, target.dialect, table, batch.rows);
      done += batch.rows.length;
      options.onProgress?.(done, total, batch.table);
    }
    await resetSequences(trx, target.dialect, tables);

    const counts: TableCount[] = [];
    for (const table of tables) counts.push({ table: table.name, source: source.counts.get(table.name) ?? 0, target: await countRows(trx, table.name) });
    const wrong = counts.filter((c) => c.source !== c.target);
    if (wrong.length) {
      throw new FirebreakError('FB_ERR_TRANSFER_CHECK_FAILED', `row counts differ after copying: ${wrong.map((c) => `${c.table} ${c.source} → ${c.target}`).join(', ')}; nothing was committed`);
    }
    const { incidents, events } = await verifyAllIncidents(trx);
    return { tables: counts, incidents, events, chainsVerified: incidents, milliseconds: Math.round(elapsed() - started) };
  });
}
