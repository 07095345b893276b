/**
 * Ingest throughput: alerts per second committed through `POST /api/v1/ingest/{source}`
 * (batches of 1 and of 100, repeats of one fingerprint as in an alert storm, and single
 * alerts that each open a new triage event), compared with a bare Fastify route that
 * answers 202 and with a raw better-sqlite3 loop committing one insert per transaction,
 * all measured in the same run on loopback. Run: `npm run bench:ingest`
 * (BENCH_SECONDS=10 by default, BENCH_CONNECTIONS=10).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import SqliteDatabase from 'better-sqlite3';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);

interface Target {
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
}

async function startTarget(mode: 'bare' | 'ingest'): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./ingest-target.ts', import.meta.url).pathname, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} target exited with ${code}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { port, token, child };
}

interface Row {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly alertsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
}

const alert = { title: 'Signer answered 403 to an unknown client', rule: 'signer-forbidden', severity: 'critical', host: 'signer-1' };

async function load(name: string, target: Target, batch: number, distinct = false): Promise<Row> {
  let n = 0;
  const body = (i: number) => JSON.stringify(batch === 1 ? (distinct ? { ...alert, host: `signer-${i}` } : alert) : Array.from({ length: batch }, () => alert));
  const fixed = body(0);
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/api/v1/ingest/bench`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    ...(distinct
      ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: body(n++) }) }] }
      : { body: fixed }),
  });
  const rps = result.requests.average;
  return { name, requestsPerSecond: rps, alertsPerSecond: rps * batch, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx + result.errors };
}

function rawInsertLoop(): number {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-raw-'));
  const db = new SqliteDatabase(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE alerts (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, title TEXT NOT NULL, count INTEGER NOT NULL, last_seen TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO alerts (fingerprint, title, count, last_seen) VALUES (?, ?, 1, ?)');
  const oneTransaction = db.transaction((i: number) => insert.run(`fp-${i}`, alert.title, new Date().toISOString()));
  const end = Date.now() + SECONDS * 1000;
  let i = 0;
  while (Date.now() < end) oneTransaction(i++);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return i / SECONDS;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const bare = await startTarget('bare');
const bareRow = await load('bare Fastify route (202, no work)', bare, 1);
bare.child.kill();

const rows: Row[] = [];
for (const [name, batch, distinct] of [
  ['ingest, batch of 1 (repeats of one fingerprint)', 1, false],
  ['ingest, batch of 100 (repeats of one fingerprint)', 100, false],
  ['ingest, batch of 1 (each a new triage event)', 1, true],
] as const) {
  const target = await startTarget('ingest');
  rows.push(await load(name, target, batch, distinct));
  target.child.kill();
}
const raw = rawInsertLoop();

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()}, Node ${process.version}`;
console.log(`\nIngest benchmark: ${SECONDS} s per run, ${CONNECTIONS} connections, loopback; SQLite WAL, synchronous=FULL`);
console.log(`Machine: ${machine}\n`);
console.log('| run | requests/s | alerts/s | vs bare route (req/s) | vs raw insert loop (alerts/s) | p50 ms | p99 ms | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
console.log(`| ${bareRow.name} | ${fmt(bareRow.requestsPerSecond)} | – | 100 % | – | ${bareRow.p50} | ${bareRow.p99} | ${bareRow.non2xx} |`);
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.requestsPerSecond)} | ${fmt(r.alertsPerSecond)} | ${((100 * r.requestsPerSecond) / bareRow.requestsPerSecond).toFixed(1)} % | ${((100 * r.alertsPerSecond) / raw).toFixed(1)} % | ${r.p50} | ${r.p99} | ${r.non2xx} |`,
  );
}
console.log(`| raw better-sqlite3 loop, 1 insert per transaction | – | ${fmt(raw)} | – | 100 % | – | – | – |`);
