/**
 * PostgreSQL back end, selected by a `postgres://` URL. Writes take a row lock on the
 * incident (see `incident-store.ts`) so concurrent processes never fork a hash chain.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { Store } from './store.js';

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** 64-bit integers (`count(*)`, `bigserial`) as numbers, like SQLite gives them. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function poolSize(): number {
  const raw = process.env['FIREBREAK_PG_POOL_MAX'];
  const size = raw === undefined ? 10 : Number(raw);
  if (!Number.isInteger(size) || size < 1) throw new Error(`FIREBREAK_PG_POOL_MAX must be a positive whole number, not "${raw}"`);
  return size;
}

export async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize(), types });
  // An idle client that loses its connection (server restart) must not crash the process;
  // the pool drops it and the next query opens a new one.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    transaction: (work) => db.transaction().execute(work),
    async close() {
      await db.destroy();
    },
  };
}
