/**
 * Ingest throughput: alerts per second committed through `POST /api/v1/ingest/{source}`
 * (batches of 1 and of 100 repeats of one fingerprint, as in an alert storm, the single
 * repeat also with no two bodies alike, and single alerts that each open a new triage
 * event) on SQLite and on PostgreSQL with one and
 * with two `firebreak` server processes, compared in the same run with a bare Fastify
 * route that answers 202 and with raw insert loops committing one row per transaction
 * (better-sqlite3 with synchronous=FULL; `pg` against the same durable PostgreSQL).
 *
 *   npm run bench:ingest                         # 10 s per run, at 10 and at 50 connections
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=100 npm run bench:ingest
 *   BENCH_BACKENDS=sqlite npm run bench:ingest   # skip PostgreSQL
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:ingest   # a .cpuprofile per target process
 *   BENCH_SHAPES=repeat,varied,batch,new npm run bench:ingest   # only these runs
 *
 * PostgreSQL: DATABASE_URL (a server the bench may create databases on), else a
 * throw-away cluster with fsync and synchronous_commit ON (initdb/pg_ctl, as the tests
 * start one). Every run is repeated at each connection count, with its own bare-route and
 * ceiling runs (the bare route committing to raw better-sqlite3 by group commit: the most
 * a durable single-writer design can do here), and compared with those. With two
 * processes the connections are split between them (two autocannon instances at once):
 * requests/s is the sum, latency the worse of the two.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { percentile } from './bench-results.js';
import { positiveIntegerSetting } from './bench-settings.js';
import { STORM_ALERT, variedStormAlert } from './storm-alert.js';
import { createTestDatabase, findPostgresBinDir, startThrowawayCluster, type ThrowawayCluster } from '../test/support/postgres.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTION_COUNTS = (process.env['BENCH_CONNECTIONS'] ?? '10,50').split(',').map(Number);
if (CONNECTION_COUNTS.some((n) => !Number.isInteger(n) || n < 1)) {
  process.stderr.write(`BENCH_CONNECTIONS must be a comma-separated list of positive integers (e.g. 10,50), not "${process.env['BENCH_CONNECTIONS']}"\n`);
  process.exit(2);
}
const BACKENDS = (process.env['BENCH_BACKENDS'] ?? 'sqlite,postgres').split(',');
const ROUNDS = positiveIntegerSetting('BENCH_ROUNDS', 3);
/** Seconds of load before each measured run, so both targets are measured with their hot paths compiled. */
const WARMUP_SECONDS = positiveIntegerSetting('BENCH_WARMUP_SECONDS', 2);

interface Target {
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
  /** The lines the target printed after it was ready (its `{ transactions, cpuMicros }` on exit). */
  readonly lines: string[];
}

async function startTarget(args: readonly string[]): Promise<Target> {
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each target (one file per run) to DIR.
  const profile = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', new URL('./ingest-target.ts', import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const later: string[] = [];
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (first) => {
      lines.on('line', (next) => later.push(next));
      resolve(first);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} target exited with ${code}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { port, token, child, lines: later };
}

/** Has the target zero its transaction and CPU counters (SIGUSR2) and waits until it says it did. */
async function startCounting(target: Target): Promise<void> {
  const before = target.lines.length;
  target.child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 10) {
    if (target.lines.slice(before).some((line) => line.includes('"counting"'))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the target did not confirm that it zeroed its counters (SIGUSR2)');
}

/** Stops the targets; answers how many store transactions they ran and the CPU time they used (µs), in all. */
async function stop(targets: readonly Target[]): Promise<{ transactions: number; cpuMicros: number }> {
  await Promise.all(targets.map((t) => new Promise((resolve) => {
    t.child.once('close', resolve);
    t.child.kill('SIGTERM');
  })));
  let transactions = 0;
  let cpuMicros = 0;
  for (const t of targets) {
    const last = t.lines.at(-1);
    const counted = last ? (JSON.parse(last) as { transactions?: number; cpuMicros?: number }) : {};
    transactions += counted.transactions ?? 0;
    cpuMicros += counted.cpuMicros ?? 0;
  }
  return { transactions, cpuMicros };
}

interface Row {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly alertsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly requests: number;
  /** Requests answered per store transaction (per commit), when the target counted them. */
  perCommit?: number;
  /** The target processes' CPU time (user + system) per request answered, in µs. */
  cpuPerRequest?: number;
}

/**
 * What each request carries. `same`: every body identical (a monitor repeating itself);
 * `summary`: the same alert (one fingerprint) with a per-request summary, so no two bodies
 * are alike and each is parsed afresh; `host`: a new host each time, so a new fingerprint.
 */
type Shape = { readonly batch: number; readonly varies: 'same' | 'summary' | 'host' };
const ALL_SHAPES: readonly (Shape & { readonly id: string; readonly label: string })[] = [
  { id: 'repeat', label: 'batch of 1 (repeats of one fingerprint)', batch: 1, varies: 'same' },
  { id: 'varied', label: 'batch of 1 (repeats of one fingerprint, no two bodies alike)', batch: 1, varies: 'summary' },
  { id: 'batch', label: 'batch of 100 (repeats of one fingerprint)', batch: 100, varies: 'same' },
  { id: 'new', label: 'batch of 1 (each a new triage event)', batch: 1, varies: 'host' },
];
const SHAPES = process.env['BENCH_SHAPES'] ? ALL_SHAPES.filter((s) => process.env['BENCH_SHAPES']!.split(',').includes(s.id)) : ALL_SHAPES;

function alertBody(shape: Shape, prefix: string, i: number): string {
  if (shape.batch > 1) return JSON.stringify(Array.from({ length: shape.batch }, () => STORM_ALERT));
  if (shape.varies === 'host') return JSON.stringify({ ...STORM_ALERT, host: `${prefix}-${i}` });
  if (shape.varies === 'summary') return JSON.stringify(variedStormAlert(prefix, i));
  return JSON.stringify(STORM_ALERT);
}

async function loadOne(target: Target, token: string, shape: Shape, connections: number, prefix: string, seconds: number): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: `http://127.0.0.1:${target.port}/api/v1/ingest/bench`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(shape.varies === 'same' ? { body: alertBody(shape, prefix, 0) } : { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: alertBody(shape, prefix, n++) }) }] }),
  });
}

/** Loads every target at once, the connections split between them. */
async function load(name: string, targets: readonly Target[], shape: Shape, connections: number): Promise<Row> {
  const token = targets[0]!.token;
  const share = Math.max(1, Math.round(connections / targets.length));
  // Warm-up: V8 compiles the hot paths in the first seconds (far more code on the ingest
  // path than on the bare route); the counters start after it.
  await Promise.all(targets.map((t, i) => loadOne(t, token, shape, share, `w${i}`, WARMUP_SECONDS)));
  await Promise.all(targets.map(startCounting));
  const results = await Promise.all(targets.map((t, i) => loadOne(t, token, shape, share, `p${i}`, SECONDS)));
  const rps = results.reduce((sum, r) => sum + r.requests.average, 0);
  const row = {
    name,
    requestsPerSecond: rps,
    alertsPerSecond: rps * shape.batch,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    requests: results.reduce((sum, r) => sum + r.requests.total, 0),
  };
  process.stderr.write(`${connections} connections, ${name}: ${Math.round(row.requestsPerSecond)} requests/s\n`);
  return row;
}

function rawSqliteLoop(): number {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-raw-'));
  const db = new SqliteDatabase(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE alerts (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, title TEXT NOT NULL, count INTEGER NOT NULL, last_seen TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO alerts (fingerprint, title, count, last_seen) VALUES (?, ?, 1, ?)');
  const oneTransaction = db.transaction((i: number) => insert.run(`fp-${i}`, STORM_ALERT.title, new Date().toISOString()));
  const end = Date.now() + SECONDS * 1000;
  let i = 0;
  while (Date.now() < end) oneTransaction(i++);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return i / SECONDS;
}

/** One client, one INSERT per transaction (autocommit), waiting for each commit. */
async function rawPgLoop(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE bench_raw_alerts (id bigserial PRIMARY KEY, fingerprint text NOT NULL, title text NOT NULL, count integer NOT NULL, last_seen text NOT NULL)');
  const end = Date.now() + SECONDS * 1000;
  let i = 0;
  while (Date.now() < end) {
    await client.query({ name: 'raw-insert', text: 'INSERT INTO bench_raw_alerts (fingerprint, title, count, last_seen) VALUES ($1, $2, 1, $3)', values: [`fp-${i}`, STORM_ALERT.title, new Date().toISOString()] });
    i += 1;
  }
  await client.end();
  return i / SECONDS;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Section {
  readonly backend: string;
  readonly raw: { readonly name: string; readonly commitsPerSecond: number };
  readonly rows: readonly Row[];
}
interface Sweep {
  readonly connections: number;
  readonly bare: Row;
  /** The bare route with a raw better-sqlite3 group commit (SQLite runs only). */
  readonly ceiling: Row | null;
  readonly sections: Section[];
}

/** Starts the targets one after another (a `--join` target needs the first one's source), loads them, stops them. */
async function runTargets(argLists: readonly (readonly string[])[], name: string, shape: Shape, connections: number): Promise<Row> {
  const targets: Target[] = [];
  for (const args of argLists) targets.push(await startTarget(args));
  const row = await load(name, targets, shape, connections);
  const { transactions, cpuMicros } = await stop(targets);
  if (transactions > 0) row.perCommit = row.requests / transactions;
  if (cpuMicros > 0) row.cpuPerRequest = cpuMicros / row.requests;
  return row;
}

let postgresVersion = '';
let cluster: ThrowawayCluster | undefined;
let serverUrl = process.env['DATABASE_URL'];
if (BACKENDS.includes('postgres') && !serverUrl && findPostgresBinDir()) {
  cluster = await startThrowawayCluster({ durable: true });
  serverUrl = cluster.url;
  postgresVersion = cluster.version;
}
if (BACKENDS.includes('postgres') && !serverUrl) process.stderr.write('PostgreSQL skipped: no DATABASE_URL and no initdb/pg_ctl binary\n');

/**
 * The machine's speed drifts between runs minutes apart (the bare route alone has ranged
 * from 13,000 to 25,000 requests/s in one hour here), so every run is repeated
 * `BENCH_ROUNDS` times, interleaved, each row of a round compared with that round's own
 * bare route and ceiling; the table shows medians and each round's ratio.
 */
const rounds: Sweep[][] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`round ${round + 1} of ${ROUNDS}\n`);
    const sweepsOfRound: Sweep[] = [];
    for (const connections of CONNECTION_COUNTS) {
      const single: Shape = { batch: 1, varies: 'same' };
      const bareRow = await runTargets([['bare']], 'bare Fastify route (202, no work)', single, connections);
      const sections: Section[] = [];
      let ceiling: Row | null = null;
      if (BACKENDS.includes('sqlite')) {
        ceiling = await runTargets([['ceiling']], 'ceiling: bare route + raw better-sqlite3 group commit', single, connections);
        const rows: Row[] = [];
        for (const shape of SHAPES) rows.push(await runTargets([['ingest', '-']], `SQLite, ${shape.label}`, shape, connections));
        sections.push({ backend: 'SQLite (WAL, synchronous=FULL)', raw: { name: 'raw better-sqlite3 loop, 1 insert per transaction', commitsPerSecond: rawSqliteLoop() }, rows });
      }
      if (BACKENDS.includes('postgres') && serverUrl) {
        const rows: Row[] = [];
        for (const processes of [1, 2]) {
          for (const shape of SHAPES) {
            const database = await createTestDatabase(serverUrl);
            const argLists = [['ingest', database.url], ...(processes === 2 ? [['ingest', database.url, '--join']] : [])];
            rows.push(await runTargets(argLists, `PostgreSQL, ${processes} process${processes === 2 ? 'es' : ''}, ${shape.label}`, shape, connections));
            await database.drop();
          }
        }
        const rawDatabase = await createTestDatabase(serverUrl);
        const raw = await rawPgLoop(rawDatabase.url);
        await rawDatabase.drop();
        sections.push({ backend: `PostgreSQL ${postgresVersion || '(DATABASE_URL)'}${cluster ? ' (throw-away cluster, fsync and synchronous_commit on)' : ''}`, raw: { name: 'raw pg loop, 1 insert per transaction', commitsPerSecond: raw }, rows });
      }
      sweepsOfRound.push({ connections, bare: bareRow, ceiling, sections });
    }
    rounds.push(sweepsOfRound);
  }
} finally {
  cluster?.stop();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}`;
const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);
const ratio = (a: number, b: number) => (100 * a) / b;
const percent = (n: number) => `${n.toFixed(1)} %`;

/** A run's figures over the rounds: medians (non-2xx summed), and its ratio to the bare route in each round. */
interface Summary {
  readonly row: Row;
  readonly vsBare: number;
  readonly vsBareByRound: readonly number[];
  readonly vsCeiling: number | null;
}

function summarise(runs: readonly Row[], bares: readonly Row[], ceilings: readonly (Row | null)[]): Summary {
  const perCommits = runs.flatMap((r) => (r.perCommit === undefined ? [] : [r.perCommit]));
  const cpus = runs.flatMap((r) => (r.cpuPerRequest === undefined ? [] : [r.cpuPerRequest]));
  const row: Row = {
    name: runs[0]!.name,
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    alertsPerSecond: median(runs.map((r) => r.alertsPerSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    requests: runs.reduce((sum, r) => sum + r.requests, 0),
    ...(perCommits.length > 0 ? { perCommit: median(perCommits) } : {}),
    ...(cpus.length > 0 ? { cpuPerRequest: median(cpus) } : {}),
  };
  const vsBareByRound = runs.map((r, i) => ratio(r.requestsPerSecond, bares[i]!.requestsPerSecond));
  const ceilingRatios = runs.flatMap((r, i) => (ceilings[i] ? [ratio(r.requestsPerSecond, ceilings[i]!.requestsPerSecond)] : []));
  return { row, vsBare: median(vsBareByRound), vsBareByRound, vsCeiling: ceilingRatios.length > 0 ? median(ceilingRatios) : null };
}

const perCommit = (r: Row) => (r.perCommit === undefined ? '–' : r.perCommit.toFixed(1));
const cpuPerRequest = (r: Row) => (r.cpuPerRequest === undefined ? '–' : r.cpuPerRequest.toFixed(1));
const byRound = (s: Summary) => (ROUNDS === 1 ? '–' : s.vsBareByRound.map((n) => n.toFixed(1)).join(' / '));
console.log(`\nIngest benchmark: ${SECONDS} s per run, loopback, at ${CONNECTION_COUNTS.join(' and ')} connections, ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} (medians; each ratio against the bare route of its own round)`);
console.log(`Machine: ${machine}\n`);
console.log('| connections | run | requests/s | alerts/s | vs bare route (req/s) | vs ceiling (req/s) | vs raw insert loop (alerts/s) | requests per commit | p50 ms | p99 ms | non-2xx | vs bare route, each round (%) | server CPU µs per request |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
for (const [index, connections] of CONNECTION_COUNTS.entries()) {
  const sweeps = rounds.map((r) => r[index]!);
  const bares = sweeps.map((s) => s.bare);
  const ceilings = sweeps.map((s) => s.ceiling);
  const bare = summarise(bares, bares, ceilings);
  console.log(`| ${connections} | ${bare.row.name} | ${fmt(bare.row.requestsPerSecond)} | – | 100 % | – | – | – | ${bare.row.p50} | ${bare.row.p99} | ${bare.row.non2xx} | ${ROUNDS === 1 ? '–' : `${bares.map((b) => fmt(b.requestsPerSecond)).join(' / ')} req/s`} | ${cpuPerRequest(bare.row)} |`);
  if (ceilings[0]) {
    const ceiling = summarise(ceilings as Row[], bares, ceilings);
    console.log(`| ${connections} | ${ceiling.row.name} | ${fmt(ceiling.row.requestsPerSecond)} | ${fmt(ceiling.row.alertsPerSecond)} | ${percent(ceiling.vsBare)} | 100 % | – | ${perCommit(ceiling.row)} | ${ceiling.row.p50} | ${ceiling.row.p99} | ${ceiling.row.non2xx} | ${byRound(ceiling)} | ${cpuPerRequest(ceiling.row)} |`);
  }
  for (const [s, section] of sweeps[0]!.sections.entries()) {
    const raws = sweeps.map((sweep) => sweep.sections[s]!.raw.commitsPerSecond);
    for (const r of section.rows.keys()) {
      const summary = summarise(sweeps.map((sweep) => sweep.sections[s]!.rows[r]!), bares, ceilings);
      const vsRaw = median(sweeps.map((sweep, i) => ratio(sweep.sections[s]!.rows[r]!.alertsPerSecond, raws[i]!)));
      console.log(`| ${connections} | ${summary.row.name} | ${fmt(summary.row.requestsPerSecond)} | ${fmt(summary.row.alertsPerSecond)} | ${percent(summary.vsBare)} | ${summary.vsCeiling === null ? '–' : percent(summary.vsCeiling)} | ${percent(vsRaw)} | ${perCommit(summary.row)} | ${summary.row.p50} | ${summary.row.p99} | ${summary.row.non2xx} | ${byRound(summary)} | ${cpuPerRequest(summary.row)} |`);
    }
    console.log(`| ${connections} | ${section.backend}: ${section.raw.name} | – | ${fmt(median(raws))} | – | – | 100 % | – | – | – | – | – | – |`);
  }
}
