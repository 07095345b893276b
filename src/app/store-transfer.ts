/**
 * Moving a whole store into another: `restore` and `migrate-store` (SQLite → PostgreSQL,
 * or any direction). Rows come from a `RowSource` (an open store, or a backup file) and
 * go into the target in one transaction; before it commits, every table's row count is
 * compared with the source and every incident's hash chain and projection are checked in
 * the target, so a copy that is not exact is never committed.
 */
import { canonicalJson } from '../domain/chain/canonical-json.js';
import { verifyChain } from '../domain/chain/hash-chain.js';
import { FirebreakError } from '../domain/errors.js';
import { replay } from '../domain/incident/state.js';
import { listIncidentIds, loadEvents, loadIncidentState } from '../store/incident-store.js';
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

export interface TransferProgress {
  (done: number, total: number, table: string): void;
}

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
    const ids = await listIncidentIds(trx);
    let events = 0;
    for (const id of ids) {
      const log = await loadEvents(trx, id);
      const verdict = verifyChain(id, log);
      if (!verdict.ok) throw new FirebreakError('FB_ERR_CHAIN_BROKEN', `${id}: event #${verdict.seq}: ${verdict.reason}; nothing was committed`, [{ path: `${id}#${verdict.seq}`, message: verdict.reason }]);
      const stored = await loadIncidentState(trx, id);
      if (canonicalJson(replay(log)) !== canonicalJson(stored)) {
        throw new FirebreakError('FB_ERR_TRANSFER_CHECK_FAILED', `${id}: the stored projection does not match a replay of its log; nothing was committed`);
      }
      events += log.length;
    }
    return { tables: counts, incidents: ids.length, events, chainsVerified: ids.length, milliseconds: Math.round(elapsed() - started) };
  });
}
