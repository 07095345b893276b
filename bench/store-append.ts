/**
 * Timeline-append throughput on both back ends, each as a ratio to a raw insert loop on
 * the same database measured in the same run (so the figure says what Firebreak's work
 * per append costs — load, decide, hash, append, project — not how fast this disk is).
 *
 *   npm run bench:store -- [--events 1000] [--clients 8] [--skip-postgres]
 *
 * PostgreSQL: DATABASE_URL (a database the bench may create databases on), else a
 * throw-away cluster with fsync ON (initdb/pg_ctl, as in the tests). SQLite runs with the
 * store's own settings (WAL, synchronous=FULL); the raw loop uses the same.
 */
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createApp, type FirebreakApp } from '../src/app/firebreak-app.js';
import { createTestDatabase, startThrowawayCluster, type ThrowawayCluster } from '../test/support/postgres.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000' }, clients: { type: 'string', default: '8' }, 'skip-postgres': { type: 'boolean', default: false } },
});
const EVENTS = Number(values.events);
const CLIENTS = Number(values.clients);

interface Row {
  readonly what: string;
  readonly events: number;
  readonly seconds: number;
}
const rows: Row[] = [];
const perSecond = (r: Row) => r.events / r.seconds;

async function timed(what: string, events: number, work: () => Promise<void> | void): Promise<Row> {
  const start = performance.now();
  await work();
  const row = { what, events, seconds: (performance.now() - start) / 1000 };
  rows.push(row);
  process.stderr.write(`${what}: ${perSecond(row).toFixed(0)} events/s\n`);
  return row;
}

async function reportIncident(app: FirebreakApp): Promise<string> {
  const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'bench', reporter: { anonymous: true } }, { actor: 'bench' });
  return state.id;
}

async function appendSequential(app: FirebreakApp, id: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await app.incidents.execute(id, { type: 'add_note', text: `bench note ${i}` }, { actor: 'bench' });
}

async function appendConcurrent(app: FirebreakApp, ids: readonly string[], n: number, clients: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < n) {
        next += 1;
        await app.incidents.execute(ids[c % ids.length]!, { type: 'add_note', text: `bench note ${next}` }, { actor: `bench-${c}` });
      }
    }),
  );
}

const SAMPLE = JSON.stringify({ text: 'bench note 123' });

async function benchSqlite(dir: string): Promise<void> {
  const rawPath = join(dir, 'raw.db');
  const raw = new SqliteDatabase(rawPath);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, incident_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (incident_id, seq))');
  const insert = raw.prepare('INSERT INTO events (incident_id, seq, type, data, hash) VALUES (?, ?, ?, ?, ?)');
  await timed('sqlite raw better-sqlite3 insert loop (1 row per transaction)', EVENTS, () => {
    for (let i = 0; i < EVENTS; i += 1) insert.run('INC-1', i + 1, 'note_added', SAMPLE, 'x'.repeat(64));
  });
  raw.close();

  const app = await createApp({ database: join(dir, 'firebreak.db') });
  try {
    const id = await reportIncident(app);
    await timed('sqlite firebreak append, 1 client', EVENTS, () => appendSequential(app, id, EVENTS));
    const ids = await Promise.all(Array.from({ length: CLIENTS }, () => reportIncident(app)));
    await timed(`sqlite firebreak append, ${CLIENTS} clients on ${CLIENTS} incidents`, EVENTS, () => appendConcurrent(app, ids, EVENTS, CLIENTS));
  } finally {
    await app.close();
  }
}

function runWorker(database: string, incidentId: string, tag: string, clients: number, notes: number): Promise<void> {
  const worker = fileURLToPath(new URL('../test/support/append-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, database, incidentId, tag, String(clients), String(notes)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${tag} exited ${code}`))));
  });
}

async function benchPostgres(serverUrl: string): Promise<void> {
  const rawDb = await createTestDatabase(serverUrl);
  const client = new pg.Client({ connectionString: rawDb.url });
  await client.connect();
  await client.query('CREATE TABLE events (position bigserial PRIMARY KEY, incident_id text NOT NULL, seq integer NOT NULL, type text NOT NULL, data jsonb NOT NULL, hash text NOT NULL, UNIQUE (incident_id, seq))');
  await timed('postgres raw pg insert loop (1 row per transaction)', EVENTS, async () => {
    for (let i = 0; i < EVENTS; i += 1) await client.query('INSERT INTO events (incident_id, seq, type, data, hash) VALUES ($1, $2, $3, $4, $5)', ['INC-1', i + 1, 'note_added', SAMPLE, 'x'.repeat(64)]);
  });
  await client.end();
  await rawDb.drop();

  const database = await createTestDatabase(serverUrl);
  const app = await createApp({ database: database.url });
  try {
    const id = await reportIncident(app);
    await timed('postgres firebreak append, 1 client', EVENTS, () => appendSequential(app, id, EVENTS));
    const ids = await Promise.all(Array.from({ length: CLIENTS }, () => reportIncident(app)));
    await timed(`postgres firebreak append, ${CLIENTS} clients on ${CLIENTS} incidents`, EVENTS, () => appendConcurrent(app, ids, EVENTS, CLIENTS));
    const perWorker = Math.ceil(EVENTS / 2 / CLIENTS);
    const total = perWorker * CLIENTS * 2;
    // Includes each worker's start-up (about a second), so it understates steady throughput.
    await timed(`postgres firebreak append, 2 processes × ${CLIENTS} clients on 1 incident (incl. process start)`, total, () =>
      Promise.all([runWorker(database.url, id, 'A', CLIENTS, perWorker), runWorker(database.url, id, 'B', CLIENTS, perWorker)]).then(() => undefined),
    );
    const [verdict] = await app.incidents.verify([id]);
    if (!verdict?.verdict.ok) throw new Error('chain broken after the two-process run');
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
process.stdout.write(`\nmachine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown'}; node ${process.version}; ${EVENTS} events per row\n\n`);
process.stdout.write('| what | events/s | ratio to raw loop |\n| --- | ---: | ---: |\n');
for (const row of rows) {
  const raw = rawOf(row.what.split(' ')[0]!);
  const ratio = raw && raw !== row ? (perSecond(row) / perSecond(raw)).toFixed(2) : '1.00';
  process.stdout.write(`| ${row.what} | ${perSecond(row).toFixed(0)} | ${ratio} |\n`);
}
