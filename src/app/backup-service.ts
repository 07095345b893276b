/**
 * `firebreak backup` and `firebreak restore`. On SQLite a backup is a consistent copy of
 * the database file made with SQLite's online backup API (the server may keep running).
 * On PostgreSQL it is a logical dump of Firebreak's tables: gzip'd JSON lines, a header
 * with the schema version and row counts, then one line per row, all read in one
 * REPEATABLE READ snapshot. `restore` accepts either kind into either back end, refuses a
 * non-empty store unless forced, and commits only after the checks in `store-transfer.ts`.
 * Given the evidence storage, both also carry the evidence files (`evidence-backup.ts`):
 * backup copies them to `FILE.evidence/`, restore re-hashes them before touching the store.
 */
import { createReadStream, createWriteStream, mkdtempSync, openSync, readSync, closeSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, basename } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import SqliteDatabase from 'better-sqlite3';
import { z } from 'zod';
import { FirebreakError } from '../domain/errors.js';
import type { EvidenceStorage } from '../integrations/evidence-storage/evidence-storage.js';
import { appliedMigrations, countRows, listTables, type PortableRow, readTable } from '../store/store-tables.js';
import { openStore, type Store } from '../store/store.js';
import { backupEvidence, type EvidenceBackupSummary, type EvidenceRestoreSummary, restoreEvidence, verifyEvidenceBackup } from './evidence-backup.js';
import { copyIntoStore, type RowBatch, type RowSource, storeRowSource, type TransferOptions, type TransferReport } from './store-transfer.js';

export const DUMP_FORMAT = 'firebreak-dump';
export const DUMP_VERSION = 1;

const DumpHeaderSchema = z.object({
  format: z.literal(DUMP_FORMAT),
  version: z.literal(DUMP_VERSION),
  dialect: z.enum(['sqlite', 'postgres']),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
});
export type DumpHeader = z.infer<typeof DumpHeaderSchema>;

const DumpLineSchema = z.object({ t: z.string(), r: z.record(z.string(), z.unknown()) });

export interface BackupResult {
  readonly file: string;
  readonly kind: 'sqlite-file' | 'logical-dump';
  readonly tables: readonly { name: string; rows: number }[];
  /** The evidence files copied beside the backup; null when no evidence storage was given. */
  readonly evidence: EvidenceBackupSummary | null;
}

export interface BackupOptions {
  /** Where the store's evidence bytes live; their files are copied to `FILE.evidence/`. */
  readonly evidence?: EvidenceStorage;
}

export interface RestoreReport extends TransferReport {
  /** The evidence files restored from `FILE.evidence/`; null when no evidence storage was given. */
  readonly evidence: EvidenceRestoreSummary | null;
}

/** Binary values travel through JSON as `{ "$base64": "…" }`. */
function encodeValue(value: unknown): unknown {
  return Buffer.isBuffer(value) ? { $base64: value.toString('base64') } : value;
}

function decodeValue(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const encoded = (value as { $base64?: unknown }).$base64;
    if (typeof encoded === 'string') return Buffer.from(encoded, 'base64');
  }
  return value;
}

/** Writes to a temporary file beside `file` and renames it into place when complete. */
async function writeAtomically(file: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  try {
    await write(temp);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

async function writeDump(store: Store, file: string, now: Date): Promise<BackupResult> {
  // One snapshot for the header's counts and every row, however long the dump takes.
  const run = <T>(work: (db: Store['db']) => Promise<T>) =>
    store.dialect === 'postgres' ? store.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work) : store.transaction(work);
  let result: BackupResult | undefined;
  await run(async (db) => {
    const tables = await listTables(db, store.dialect);
    const counts = [];
    for (const table of tables) counts.push({ name: table.name, rows: await countRows(db, table.name) });
    const header: DumpHeader = { format: DUMP_FORMAT, version: DUMP_VERSION, dialect: store.dialect, createdAt: now.toISOString(), migrations: await appliedMigrations(db), tables: counts };
    async function* lines() {
      yield `${JSON.stringify(header)}\n`;
      for (const table of tables) {
        for await (const rows of readTable(db, table)) {
          let chunk = '';
          for (const row of rows) chunk += `${JSON.stringify({ t: table.name, r: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, encodeValue(v)])) })}\n`;
          yield chunk;
        }
      }
    }
    await writeAtomically(file, (temp) => pipeline(Readable.from(lines()), createGzip(), createWriteStream(temp, { mode: 0o600 })));
    result = { file, kind: 'logical-dump', tables: counts, evidence: null };
  });
  return result!;
}

export async function backupStore(store: Store, file: string, now: Date, options: BackupOptions = {}): Promise<BackupResult> {
  const result = await backupDatabase(store, file, now);
  // After the database: an item recorded meanwhile has no row in the backup, so at worst
  // the evidence directory holds one file more than the backup needs, never one fewer.
  return options.evidence ? { ...result, evidence: await backupEvidence(store, options.evidence, file) } : result;
}

async function backupDatabase(store: Store, file: string, now: Date): Promise<BackupResult> {
  if (store.dialect === 'postgres') return writeDump(store, file, now);
  if (store.location === ':memory:') throw new FirebreakError('FB_ERR_INPUT_INVALID', 'an in-memory database cannot be backed up');
  // A second connection runs SQLite's online backup while the store stays in use.
  const source = new SqliteDatabase(store.location, { fileMustExist: true });
  try {
    await writeAtomically(file, async (temp) => {
      await source.backup(temp);
    });
  } finally {
    source.close();
  }
  const tables = await listTables(store.db, 'sqlite');
  const counts = [];
  for (const table of tables) counts.push({ name: table.name, rows: await countRows(store.db, table.name) });
  return { file, kind: 'sqlite-file', tables: counts, evidence: null };
}

/** Reads a logical dump: the header first, then rows batched per table. */
export async function openDump(file: string, batchSize = 1000): Promise<RowSource & { readonly header: DumpHeader }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]();
  const bad = (line: number, why: string) => new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${file} line ${line}: ${why}`, [{ path: `line ${line}`, message: why }]);
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (error) {
    throw bad(1, `cannot be read as gzip: ${(error as Error).message}`);
  }
  if (first.done) throw bad(1, 'the file is empty');
  let header: DumpHeader;
  try {
    const parsed = DumpHeaderSchema.safeParse(JSON.parse(first.value));
    if (!parsed.success) throw bad(1, `not a Firebreak dump header (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
    header = parsed.data;
  } catch (error) {
    if (error instanceof FirebreakError) throw error;
    throw bad(1, 'not JSON');
  }
  return {
    header,
    description: file,
    migrations: header.migrations,
    counts: new Map(header.tables.map((t) => [t.name, t.rows])),
    async *batches(): AsyncGenerator<RowBatch> {
      let lineNo = 1;
      let table = '';
      let rows: PortableRow[] = [];
      for (;;) {
        let next: IteratorResult<string>;
        try {
          next = await lines.next();
        } catch (error) {
          throw bad(lineNo + 1, `cannot be read (${(error as Error).message}); the file is truncated or damaged`);
        }
        if (next.done) break;
        lineNo += 1;
        if (next.value.trim() === '') continue;
        let parsed: z.infer<typeof DumpLineSchema>;
        try {
          const result = DumpLineSchema.safeParse(JSON.parse(next.value));
          if (!result.success) throw bad(lineNo, 'expected {"t": table, "r": row}');
          parsed = result.data;
        } catch (error) {
          if (error instanceof FirebreakError) throw error;
          throw bad(lineNo, 'not JSON');
        }
        if ((parsed.t !== table && rows.length > 0) || rows.length >= batchSize) {
          yield { table, rows };
          rows = [];
        }
        table = parsed.t;
        rows.push(Object.fromEntries(Object.entries(parsed.r).map(([k, v]) => [k, decodeValue(v)])));
      }
      if (rows.length > 0) yield { table, rows };
    },
  };
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

function fileKind(file: string): 'sqlite-file' | 'logical-dump' {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new FirebreakError('FB_ERR_INPUT_INVALID', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [{ path: 'file', message: 'cannot be read' }]);
  }
  const head = Buffer.alloc(16);
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(SQLITE_MAGIC)) return 'sqlite-file';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'logical-dump';
  throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${file} is not a Firebreak backup (neither a SQLite database nor a gzip'd dump)`, [{ path: 'file', message: 'unknown format' }]);
}

/**
 * Restores a backup of either kind into `target`; see `copyIntoStore` for the checks. With
 * `evidence`, the files in `FILE.evidence/` are re-hashed first (a damaged one stops the
 * restore before anything is written) and stored after the database is restored.
 */
export async function restoreStore(target: Store, file: string, options: TransferOptions & BackupOptions = {}): Promise<RestoreReport> {
  const kind = fileKind(file);
  const verified = options.evidence ? await verifyEvidenceBackup(file) : null;
  const report = await restoreDatabase(target, file, kind, options);
  return { ...report, evidence: options.evidence ? await restoreEvidence(target, options.evidence, verified, file) : null };
}

async function restoreDatabase(target: Store, file: string, kind: 'sqlite-file' | 'logical-dump', options: TransferOptions): Promise<TransferReport> {
  if (kind === 'logical-dump') return copyIntoStore(await openDump(file), target, options);
  // Work on a copy, so the backup file itself is never changed (opening migrates it to
  // this version's schema when it is older).
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-restore-'));
  let source: Store | undefined;
  try {
    const copy = join(dir, 'backup.db');
    const original = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      const marker = original.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('kysely_migration', 'events', 'incidents')").get() as { n: number };
      if (marker.n < 3) throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${file} is a SQLite database but not a Firebreak store (it has no Firebreak tables)`, [{ path: 'file', message: 'not a Firebreak store' }]);
      await original.backup(copy);
    } finally {
      original.close();
    }
    try {
      source = await openStore(copy);
    } catch (error) {
      throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${file} is a SQLite database but not a Firebreak store: ${(error as Error).message}`);
    }
    return await copyIntoStore(await storeRowSource(source), target, { ...options, force: options.force ?? false });
  } finally {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
