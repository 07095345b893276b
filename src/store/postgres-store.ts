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

export async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
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
