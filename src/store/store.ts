/**
 * Opening a store: SQLite (default, embedded, one file in WAL mode) or PostgreSQL (when
 * the URL says `postgres://`). `Store.transaction` is the one way to write: one
 * transaction per command, so events and projections commit together or not at all.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type Kysely, Kysely as KyselyClass, Migrator, SqliteDialect, type SqliteDialectConfig, sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import { type Dialect, MIGRATIONS, StepMigrationProvider } from './migrations/index.js';
import { WalFile } from './wal-flush.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, for messages (a file path, or a URL without its password). */
  readonly location: string;
  /**
   * Runs `work` in one write transaction and resolves once it is committed and on disk;
   * on SQLite it takes the write lock up front.
   */
  transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/** How many prepared statements a SQLite store keeps (the queries Firebreak runs are a fixed set). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs as much as running a
 * short statement, so the store keeps the prepared statements by their SQL text (least
 * recently used out first). Queries run one at a time on the one connection, so a cached
 * statement is never in use twice; a statement still iterating is bypassed all the same.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(query: string) {
      const cached = cache.get(query);
      if (cached && !cached.busy) {
        cache.delete(query);
        cache.set(query, cached);
        return cached;
      }
      const statement = database.prepare(query);
      if (cached) return statement;
      cache.set(query, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

function openSqlite(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  // FULL: a write we answered is on disk even if the machine loses power right after.
  // Transactions commit with NORMAL and their WAL is flushed (`WalFile`) before they resolve
  // (same guarantee, without blocking the event loop); everything else keeps FULL.
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const syncNormal = database.prepare('PRAGMA synchronous = NORMAL');
  const syncFull = database.prepare('PRAGMA synchronous = FULL');
  const db = new KyselyClass<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const wal = new WalFile(path);
  return {
    db,
    dialect: 'sqlite',
    location: path,
    async transaction(work) {
      const flushAfter = await wal.open();
      // Kysely's SQLite driver holds one connection, so transactions are serialised within
      // this process; BEGIN IMMEDIATE also serialises against other processes (the CLI
      // beside a server) instead of failing late on a read-to-write upgrade.
      const result = await db.connection().execute(async (conn) => {
        if (flushAfter) syncNormal.run();
        try {
          await sql`BEGIN IMMEDIATE`.execute(conn);
          try {
            const value = await work(conn as unknown as Transaction<Database>);
            await sql`COMMIT`.execute(conn);
            return value;
          } catch (error) {
            await sql`ROLLBACK`.execute(conn);
            throw error;
          }
        } finally {
          if (flushAfter) syncFull.run();
        }
      });
      if (flushAfter) await wal.flush();
      return result;
    },
    async close() {
      await db.destroy();
      await wal.close();
    },
  };
}

export interface OpenStoreOptions {
  /** Skip migrations (for tools that must not change the schema). */
  readonly migrate?: boolean;
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const { openPostgres } = await import('./postgres-store.js');
    const store = await openPostgres(location);
    if (options.migrate !== false) await migrate(store);
    return store;
  }
  const store = openSqlite(location);
  if (options.migrate !== false) await migrate(store);
  return store;
}

export async function migrate(store: Store): Promise<void> {
  // Features land migrations in parallel, so a later-numbered step may already have run.
  const migrator = new Migrator({ db: store.db, provider: new StepMigrationProvider(MIGRATIONS, store.dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
