/**
 * Timeline-append throughput on both back ends, each as a ratio to a raw insert loop on
 * the same database measured in the same run (so the figure says what Firebreak's work
 * per append costs — load, decide, hash, append, project — not how fast this disk is).
 *
 *   npm run build && npm run bench:store -- [--events 1000] [--clients 8] [--skip-postgres] [--skip-http]
 *
 * Rows per back end: the raw insert loop (better-sqlite3 / `pg`, one row per transaction),
 * Firebreak's append in process with 1 and with N clients, and appends through HTTP
 * (`POST /api/v1/incidents/:id/notes`) to real `firebreak serve` child processes: one
 * process on each back end, and two processes on one PostgreSQL database (clients split
 * between them). Each row prints events/s and the p50/p99 latency of one append; the
 * ratio is to the raw loop of the same back end in the same run. Each HTTP client is its
 * own user, as the server's rate limit (600 requests a minute) counts per user.
 *
 * PostgreSQL: DATABASE_URL (a database the bench may create databases on), else a
 * throw-away cluster with fsync ON (initdb/pg_ctl, as in the tests). SQLite runs with the
 * store's own settings (WAL, synchronous=FULL); the raw loop uses the same. The HTTP rows
 * need the built CLI (`npm run build`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createApp, type FirebreakApp } from '../src/app/firebreak-app.js';
import { createTestDatabase, startThrowawayCluster, type ThrowawayCluster } from '../test/support/postgres.js';
import { createApiTokens, type ServeProcess, startServeProcess } from '../test/support/serve-process.js';
import { percentile } from './bench-results.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '8' },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const CLIENTS = Number(values.clients);
const BUILT = existsSync(fileURLToPath(new URL('../dist/bundle/main.js', import.meta.url)));
const HTTP = !values['skip-http'] && BUILT;
if (!values['skip-http'] && !BUILT) process.stderr.write('dist/ is missing: the HTTP rows are skipped (run `npm run build` first)\n');

interface Row {
  readonly what: string;
  readonly events: number;
  readonly seconds: number;
  /** Milliseconds per append (or per raw insert), sorted (for `percentile`). */
  readonly latencies: readonly number[];
}
const rows: Row[] = [];
const perSecond = (r: Row) => r.events / r.seconds;

/** Runs `work`, which calls `op` once per event; each op's duration is recorded. */
async function timed(what: string, events: number, work: (op: <T>(run: () => Promise<T> | T) => Promise<T>) => Promise<void> | void): Promise<Row> {
  const latencies: number[] = [];
  const op = async <T>(run: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    const result = await run();
    latencies.push(performance.now() - t);
    return result;
  };
  const start = performance.now();
  await work(op);
  const row = { what, events, seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
  rows.push(row);
  process.stderr.write(`${what}: ${perSecond(row).toFixed(0)} events/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms\n`);
  return row;
}

type Op = <T>(run: () => Promise<T> | T) => Promise<T>;

async function reportIncident(app: FirebreakApp): Promise<string> {
  const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'bench', reporter: { anonymous: true } }, { actor: 'bench' });
  return state.id;
}

async function appendSequential(op: Op, app: FirebreakApp, id: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await op(() => app.incidents.execute(id, { type: 'add_note', text: `bench note ${i}` }, { actor: 'bench' }));
}

async function appendConcurrent(op: Op, app: FirebreakApp, ids: readonly string[], n: number, clients: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < n) {
        next += 1;
        await op(() => app.incidents.execute(ids[c % ids.length]!, { type: 'add_note', text: `bench note ${next}` }, { actor: `bench-${c}` }));
      }
    }),
  );
}

/**
 * `clients` HTTP clients, client c on server c mod servers and incident c, each with its
 * own token, appending notes until `n` are done; every answer must be 200.
 */
async function appendHttp(op: Op, servers: readonly ServeProcess[], tokens: readonly string[], ids: readonly string[], n: number, clients: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const server = servers[c % servers.length]!;
      const id = ids[c % ids.length]!;
      while (next < n) {
        next += 1;
        const token = tokens[(c + clients * Math.floor(next / (clients * 400))) % tokens.length]!;
        const status = await op(async () => {
          const response = await fetch(`${server.url}/api/v1/incidents/${encodeURIComponent(id)}/notes`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ text: `bench note ${next}` }),
          });
          await response.arrayBuffer();
          return response.status;
        });
        if (status !== 200) throw new Error(`append through ${server.url} answered ${status}`);
      }
    }),
  );
}

/** Starts `processes` serve children on `database`, runs the HTTP appends, then checks every chain and the event count. */
async function benchHttp(label: string, app: FirebreakApp, database: string, processes: number): Promise<void> {
  const ids = await Promise.all(Array.from({ length: CLIENTS }, () => reportIncident(app)));
  // Each user stays under the per-user limit of 600 requests a minute on each process.
  const tokens = await createApiTokens(database, CLIENTS * Math.max(1, Math.ceil(EVENTS / (CLIENTS * 400))), `bench-${processes}p-${Date.now()}`);
  const servers = await Promise.all(Array.from({ length: processes }, () => startServeProcess({ database })));
  try {
    await timed(`${label} HTTP append, ${processes} serve process${processes > 1 ? 'es' : ''}, ${CLIENTS} clients on ${CLIENTS} incidents`, EVENTS, (op) => appendHttp(op, servers, tokens, ids, EVENTS, CLIENTS));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  const verdicts = await app.incidents.verify(ids);
  const events = verdicts.reduce((sum, v) => sum + (v.verdict.ok ? v.verdict.events : 0), 0);
  if (verdicts.some((v) => !v.verdict.ok)) throw new Error(`a chain is broken after the ${processes}-process HTTP run`);
  if (events !== EVENTS + CLIENTS) throw new Error(`expected ${EVENTS + CLIENTS} events after the HTTP run, found ${events}`);
}

const SAMPLE = JSON.stringify({ text: 'bench note 123' });

async function benchSqlite(dir: string): Promise<void> {
  const rawPath = join(dir, 'raw.db');
  const raw = new SqliteDatabase(rawPath);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (incident_id, seq))');
  const insert = raw.prepare('INSERT INTO events (incident_id, seq, type, data, hash) VALUES (?, ?, ?, ?, ?)');
  await timed('sqlite raw better-sqlite3 insert loop (1 row per transaction)', EVENTS, async (op) => {
    for (let i = 0; i < EVENTS; i += 1) await op(() => insert.run('INC-1', i + 1, 'note_added', SAMPLE, 'x'.repeat(64)));
  });
  raw.close();

  const database = join(dir, 'firebreak.db');
  const app = await createApp({ database });
  try {
    const id = await reportIncident(app);
    await timed('sqlite firebreak append in process, 1 client', EVENTS, (op) => appendSequential(op, app, id, EVENTS));
    const ids = await Promise.all(Array.from({ length: CLIENTS }, () => reportIncident(app)));
    await timed(`sqlite firebreak append in process, ${CLIENTS} clients on ${CLIENTS} incidents`, EVENTS, (op) => appendConcurrent(op, app, ids, EVENTS, CLIENTS));
    if (HTTP) await benchHttp('sqlite', app, database, 1);
  } finally {
    await app.close();
  }
}

async function benchPostgres(serverUrl: string): Promise<void> {
  const rawDb = await createTestDatabase(serverUrl);
  const client = new pg.Client({ connectionString: rawDb.url });
  await client.connect();
  await client.query('CREATE TABLE events (position bigserial PRIMARY KEY, incident_id text NOT NULL, seq integer NOT NULL, type text NOT NULL, data jsonb NOT NULL, hash text NOT NULL, UNIQUE (incident_id, seq))');
  await timed('postgres raw pg insert loop (1 row per transaction)', EVENTS, async (op) => {
    for (let i = 0; i < EVENTS; i += 1) await op(() => client.query('INSERT INTO events (incident_id, seq, type, data, hash) VALUES ($1, $2, $3, $4, $5)', ['INC-1', i + 1, 'note_added', SAMPLE, 'x'.repeat(64)]));
  });
  await client.end();
  await rawDb.drop();

  const database = await createTestDatabase(serverUrl);
  const app = await createApp({ database: database.url });
  try {
    const id = await reportIncident(app);
    await timed('postgres firebreak append in process, 1 client', EVENTS, (op) => appendSequential(op, app, id, EVENTS));
    const ids = await Promise.all(Array.from({ length: CLIENTS }, () => reportIncident(app)));
    await timed(`postgres firebreak append in process, ${CLIENTS} clients on ${CLIENTS} incidents`, EVENTS, (op) => appendConcurrent(op, app, ids, EVENTS, CLIENTS));
    if (HTTP) {
      await benchHttp('postgres', app, database.url, 1);
      await benchHttp('postgres', app, database.url, 2);
    }
  } finally {
    await app.close();
    await database.drop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
let cluster: ThrowawayCluster | undefined;
try {
  await benchSqlite(dir);
  if (!values['skip-postgres']) {
    let url = process.env['DATABASE_URL'];
    if (!url) {
      cluster = await startThrowawayCluster({ durable: true });
      url = cluster.url;
    }
    await benchPostgres(url);
  }
} finally {
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}

const rawOf = (backend: string) => rows.find((r) => r.what.startsWith(`${backend} raw`));
process.stdout.write(
  `\nmachine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; node ${process.version}; ${EVENTS} events per row, ${CLIENTS} clients\n\n`,
);
process.stdout.write('| what | events/s | ratio to raw loop | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |\n');
for (const row of rows) {
  const raw = rawOf(row.what.split(' ')[0]!);
  const ratio = raw && raw !== row ? (perSecond(row) / perSecond(raw)).toFixed(2) : '1.00';
  process.stdout.write(`| ${row.what} | ${perSecond(row).toFixed(0)} | ${ratio} | ${percentile(row.latencies, 50).toFixed(1)} | ${percentile(row.latencies, 99).toFixed(1)} |\n`);
}
