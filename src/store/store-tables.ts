/**
 * Firebreak's tables seen generically, for moving whole stores: which tables exist (in an
 * order where every table comes after the tables it references), their columns, reading
 * them in batches as portable values and writing them back on either back end. Backup,
 * restore and `migrate-store` are built on this, so a table added by a later migration is
 * carried along without being named here.
 *
 * Portable values: JSON columns as JSON text, booleans as booleans, 64-bit integers as
 * numbers, binary as Buffers, times as ISO strings. Writing converts them to what the
 * target column takes (SQLite wants 0/1 for booleans; PostgreSQL parses JSON text into
 * `jsonb` and '0'/'1' into `boolean`).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { Dialect } from './migrations/index.js';

type Db = Kysely<Database> | Transaction<Database>;
export type PortableRow = Record<string, unknown>;

export interface ColumnInfo {
  readonly name: string;
  readonly kind: 'json' | 'binary' | 'boolean' | 'other';
}

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  /** Primary-key columns in key order (empty when the table has none). */
  readonly primaryKey: readonly string[];
  readonly references: readonly string[];
}

/** Kysely's own bookkeeping, never copied: each store has its own migration record. */
const INTERNAL_TABLE = /^(kysely_|sqlite_)/;

function columnKind(type: string): ColumnInfo['kind'] {
  const t = type.toLowerCase();
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'bytea' || t === 'blob') return 'binary';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  return 'other';
}

/** Sorts tables so that each comes after every table it references. */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (table: TableInfo, path: Set<string>) => {
    if (done.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const ref of table.references) {
      const target = byName.get(ref);
      if (target && ref !== table.name) visit(target, path);
    }
    done.add(table.name);
    out.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, new Set());
  return out;
}

export async function listTables(db: Db, dialect: Dialect): Promise<TableInfo[]> {
  const tables: TableInfo[] = [];
  if (dialect === 'sqlite') {
    const names = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db);
    for (const { name } of names.rows) {
      if (INTERNAL_TABLE.test(name)) continue;
      const info = await sql<{ name: string; type: string; pk: number }>`SELECT name, type, pk FROM pragma_table_info(${name})`.execute(db);
      const fks = await sql<{ table: string }>`SELECT "table" FROM pragma_foreign_key_list(${name})`.execute(db);
      tables.push({
        name,
        columns: info.rows.map((c) => ({ name: c.name, kind: columnKind(c.type) })),
        primaryKey: info.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
        references: fks.rows.map((f) => f.table),
      });
    }
  } else {
    const columns = await sql<{ table_name: string; column_name: string; udt_name: string }>`
      SELECT table_name, column_name, udt_name FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
    const keys = await sql<{ table_name: string; column_name: string }>`
      SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY' ORDER BY tc.table_name, kcu.ordinal_position`.execute(db);
    const fks = await sql<{ table_name: string; referenced: string }>`
      SELECT c.conrelid::regclass::text AS table_name, c.confrelid::regclass::text AS referenced
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = current_schema()`.execute(db);
    const tableNames = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db);
    for (const { table_name: name } of tableNames.rows) {
      if (INTERNAL_TABLE.test(name)) continue;
      tables.push({
        name,
        columns: columns.rows.filter((c) => c.table_name === name).map((c) => ({ name: c.column_name, kind: columnKind(c.udt_name) })),
        primaryKey: keys.rows.filter((k) => k.table_name === name).map((k) => k.column_name),
        references: fks.rows.filter((f) => f.table_name === name).map((f) => f.referenced.replace(/^"|"$/g, '')),
      });
    }
  }
  return dependencyOrder(tables);
}

export async function appliedMigrations(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function countRows(db: Db, table: string): Promise<number> {
  const result = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

function toPortable(table: TableInfo, row: PortableRow): PortableRow {
  const out: PortableRow = {};
  for (const column of table.columns) {
    const value = row[column.name];
    if (value === null || value === undefined) out[column.name] = null;
    else if (column.kind === 'json') out[column.name] = typeof value === 'string' ? value : JSON.stringify(value);
    else if (value instanceof Date) out[column.name] = value.toISOString();
    else if (typeof value === 'bigint') out[column.name] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    else out[column.name] = value;
  }
  return out;
}

/** Reads a table in primary-key order, `batchSize` rows at a time, as portable rows. */
export async function* readTable(db: Db, table: TableInfo, batchSize = 1000): AsyncGenerator<PortableRow[]> {
  const columns = sql.join(table.columns.map((c) => sql.ref(c.name)));
  if (table.primaryKey.length === 0) {
    const all = await sql<PortableRow>`SELECT ${columns} FROM ${sql.table(table.name)}`.execute(db);
    if (all.rows.length > 0) yield all.rows.map((r) => toPortable(table, r));
    return;
  }
  const key = sql.join(table.primaryKey.map((c) => sql.ref(c)));
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? sql`WHERE (${key}) > (${sql.join(after.map((v) => sql`${v}`))})` : sql``;
    const batch = await sql<PortableRow>`SELECT ${columns} FROM ${sql.table(table.name)} ${where} ORDER BY ${key} LIMIT ${batchSize}`.execute(db);
    if (batch.rows.length === 0) return;
    const last = batch.rows[batch.rows.length - 1]!;
    after = table.primaryKey.map((c) => last[c]);
    yield batch.rows.map((r) => toPortable(table, r));
    if (batch.rows.length < batchSize) return;
  }
}

function toTarget(dialect: Dialect, column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (dialect === 'sqlite' && typeof value === 'boolean') return value ? 1 : 0;
  if (dialect === 'postgres' && column.kind === 'boolean' && typeof value === 'number') return value !== 0;
  if (column.kind === 'json' && typeof value !== 'string') return JSON.stringify(value);
  return value;
}

/** Most bound parameters one INSERT may carry on either back end (SQLite: 32766). */
const MAX_PARAMETERS = 30_000;

export async function writeRows(trx: Transaction<Database>, dialect: Dialect, table: TableInfo, rows: readonly PortableRow[]): Promise<void> {
  if (rows.length === 0) return;
  const names = new Set(table.columns.map((c) => c.name));
  for (const key of Object.keys(rows[0]!)) {
    if (!names.has(key)) throw new Error(`table ${table.name} has no column ${key} here; the stores are at different schema versions`);
  }
  const columns = table.columns.filter((c) => c.name in rows[0]!);
  const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
  for (let start = 0; start < rows.length; start += perInsert) {
    const chunk = rows.slice(start, start + perInsert);
    const values = sql.join(chunk.map((row) => sql`(${sql.join(columns.map((c) => sql`${toTarget(dialect, c, row[c.name])}`))})`));
    await sql`INSERT INTO ${sql.table(table.name)} (${sql.join(columns.map((c) => sql.ref(c.name)))}) VALUES ${values}`.execute(trx);
  }
}

/**
 * Empties every Firebreak table, for `restore --force`. The append-only triggers refuse
 * row deletes, so PostgreSQL truncates (which they do not cover) and SQLite sets its
 * triggers aside for the length of the transaction and puts them back unchanged.
 */
export async function clearTables(trx: Transaction<Database>, dialect: Dialect, tables: readonly TableInfo[]): Promise<void> {
  if (tables.length === 0) return;
  if (dialect === 'postgres') {
    await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t.name)))} RESTART IDENTITY CASCADE`.execute(trx);
    return;
  }
  const triggers = await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`.execute(trx);
  for (const t of triggers.rows) await sql`DROP TRIGGER ${sql.ref(t.name)}`.execute(trx);
  for (const table of [...tables].reverse()) await sql`DELETE FROM ${sql.table(table.name)}`.execute(trx);
  await sql`DELETE FROM sqlite_sequence`.execute(trx).catch(() => undefined);
  for (const t of triggers.rows) await sql.raw(t.sql).execute(trx);
}

/** After rows were inserted with explicit ids, moves each PostgreSQL sequence past them. */
export async function resetSequences(trx: Transaction<Database>, dialect: Dialect, tables: readonly TableInfo[]): Promise<void> {
  if (dialect !== 'postgres') return; // SQLite's AUTOINCREMENT follows explicit ids itself.
  for (const table of tables) {
    for (const column of table.columns) {
      const seq = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${table.name}, ${column.name}) AS seq`.execute(trx);
      const name = seq.rows[0]?.seq;
      if (!name) continue;
      await sql`SELECT setval(${name}, COALESCE((SELECT max(${sql.ref(column.name)}) FROM ${sql.table(table.name)}), 0) + 1, false)`.execute(trx);
    }
  }
}
