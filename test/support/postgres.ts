/**
 * The PostgreSQL side of the test matrix: finds a PostgreSQL server for the run (the
 * `DATABASE_URL` given, or a throw-away cluster started with `initdb`/`pg_ctl` on a free
 * loopback port under a temp dir) and hands each test app a fresh database of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export type TestBackend = 'sqlite' | 'postgres';

export function testBackend(): TestBackend {
  const raw = process.env['FIREBREAK_TEST_BACKEND'] ?? 'sqlite';
  if (raw !== 'sqlite' && raw !== 'postgres') throw new Error(`FIREBREAK_TEST_BACKEND must be sqlite or postgres, not "${raw}"`);
  return raw;
}

/** The directory holding `initdb` and `pg_ctl`: on PATH, else Debian's versioned directory. */
export function findPostgresBinDir(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

/** How the PostgreSQL leg can run here, or why it cannot. */
export function postgresAvailability(): { ok: true; how: 'url' | 'cluster' } | { ok: false; reason: string } {
  if (process.env['DATABASE_URL']) return { ok: true, how: 'url' };
  if (findPostgresBinDir()) return { ok: true, how: 'cluster' };
  return { ok: false, reason: 'no DATABASE_URL and no initdb/pg_ctl binary (install Debian package postgresql)' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ThrowawayCluster {
  /** Admin URL (database `postgres`) of the cluster. */
  readonly url: string;
  readonly version: string;
  stop(): void;
}

/**
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS user
 * (which Debian's package creates) and every command runs through `runuser`.
 */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('no initdb/pg_ctl binary found');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
    chownSync(socketDir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
    const result = spawnSync(file, argv as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  run('initdb', ['-D', data, '-U', 'firebreak', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Throw-away settings: loopback only, no fsync (the data dies with the run).
  const options = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-k ${socketDir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=300'];
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options.join(' '), '-w', '-t', '60', 'start']);
  const url = `postgres://firebreak@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await client.end();
  return {
    url,
    version,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** `postgres://…/other` for the same server as `url`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let created = 0;

/**
 * Creates a database for the whole run that every test database is copied from, with
 * Firebreak's migrations already applied (copying is much quicker than migrating). Returns
 * the clause that `createTestDatabase` appends to CREATE DATABASE, and how to drop it.
 */
export async function createTemplateDatabase(serverUrl: string, prepare: (url: string) => Promise<void>): Promise<{ clause: string; drop(): Promise<void> }> {
  const name = `fb_template_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const version = await admin(serverUrl, async (c) => {
    await c.query(`CREATE DATABASE ${name}`);
    return Number((await c.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0]?.server_version_num ?? 0);
  });
  await prepare(withDatabase(serverUrl, name));
  // FILE_COPY (PostgreSQL 15+) skips writing the copy to the WAL.
  return {
    clause: `TEMPLATE ${name}${version >= 150000 ? ' STRATEGY FILE_COPY' : ''}`,
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Creates an empty database on the server; returns its URL and how to drop it. */
export async function createTestDatabase(serverUrl: string, clause = ''): Promise<{ url: string; drop(): Promise<void> }> {
  created += 1;
  const name = `fb_test_${process.pid}_${created}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name} ${clause}`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
