/**
 * How cost grows with size, measured over real HTTP against the server in a child process:
 *
 * - one incident with 100, 10,000 and 1,000,000 events (and 20 ordinary incidents beside
 *   it): the incident page, the first and the last timeline page (500 events, as the web
 *   app asks), the incident list and the sitrep draft;
 * - a dashboard with 10, 1,000 and 100,000 incidents: the web app's list query
 *   (`kind=incident&limit=200`), the API's default page (`limit=50`) and one incident page.
 *
 * Seeding writes sealed event rows through the store in large transactions
 * (bench-seed.ts); its time is recorded too. Requests are sequential (one client), so a
 * figure is the latency of that request alone. A request with no answer within
 * --timeout-seconds is recorded as such (and that figure stops there).
 *
 *   npm run bench:scaling -- [--events 100,10000,1000000] [--incidents 10,1000,100000] [--reps 20] [--timeout-seconds 120]
 *
 * Writes bench/results/scaling.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app/firebreak-app.js';
import { percentile, startRun } from './bench-results.js';
import { growIncident, seedIncidents } from './bench-seed.js';
import { type BenchServer, startBenchServer } from './bench-server.js';
import { round } from './load-mix.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100,10000,1000000' },
    incidents: { type: 'string', default: '10,1000,100000' },
    reps: { type: 'string', default: '20' },
    'budget-seconds': { type: 'string', default: '30' },
    'timeout-seconds': { type: 'string', default: '120' },
  },
});
const EVENT_SIZES = values.events.split(',').filter(Boolean).map(Number);
const INCIDENT_SIZES = values.incidents.split(',').filter(Boolean).map(Number);
const REPS = Number(values.reps);
const BUDGET_MS = Number(values['budget-seconds']) * 1000;
const TIMEOUT_MS = Number(values['timeout-seconds']) * 1000;
const run = startRun('scaling', `npm run bench:scaling -- --events ${EVENT_SIZES.join(',')} --incidents ${INCIDENT_SIZES.join(',')} --reps ${REPS}`);

export interface Measured {
  readonly what: string;
  readonly path: string;
  /** Requests that got no answer within the timeout (the figures then cover the others). */
  readonly timedOut: number;
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly responseBytes: number;
}

/** One warm-up request, then up to REPS sequential requests within the time budget. */
async function measure(server: BenchServer, what: string, path: string): Promise<Measured> {
  const headers = { authorization: `Bearer ${server.token}` };
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  const started = performance.now();
  let timedOut = 0;
  for (let i = 0; i <= REPS; i += 1) {
    const t0 = performance.now();
    try {
      const response = await fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = await response.arrayBuffer();
      const ms = performance.now() - t0;
      if (i > 0 || REPS === 0) {
        times.push(ms);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
      bytes = body.byteLength;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      // No answer in time: record it and stop asking (the server is still busy with it).
      timedOut += 1;
      break;
    }
    if (performance.now() - started > BUDGET_MS && times.length >= 3) break;
  }
  times.sort((a, b) => a - b);
  const row = { what, path, timedOut, requests: times.length, statuses, p50Ms: round(percentile(times, 50)), p99Ms: round(percentile(times, 99)), maxMs: round(times.at(-1) ?? Number.NaN), responseBytes: bytes };
  process.stderr.write(`  ${what}: p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms (${row.requests} requests, ${JSON.stringify(statuses)}, ${bytes} bytes${timedOut ? `, no answer within ${TIMEOUT_MS / 1000} s` : ''})\n`);
  return row;
}

async function withDatabase<T>(work: (database: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-scaling-'));
  try {
    return await work(join(dir, 'firebreak.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function eventScaling(events: number) {
  return withDatabase(async (database) => {
    const t0 = performance.now();
    const app = await createApp({ database });
    const seeded = await seedIncidents(app, 21, 8);
    const big = seeded[seeded.length - 1]!.id;
    await growIncident(app, big, events);
    const state = await app.incidents.get(big);
    await app.close();
    const seedSeconds = (performance.now() - t0) / 1000;
    process.stderr.write(`events ${events}: seeded ${state.version} events on ${big} in ${seedSeconds.toFixed(1)} s\n`);
    const server = await startBenchServer('firebreak', database);
    try {
      const lastAfter = Math.max(0, state.version - 500);
      return {
        events: state.version,
        seedSeconds: round(seedSeconds),
        rows: [
          await measure(server, 'incident page', `/api/v1/incidents/${big}`),
          await measure(server, 'timeline, first page of 500', `/api/v1/incidents/${big}/timeline?limit=500`),
          await measure(server, 'timeline, last page of 500', `/api/v1/incidents/${big}/timeline?after=${lastAfter}&limit=500`),
          await measure(server, 'incident list (limit=200)', '/api/v1/incidents?limit=200'),
          // Last: it reads the whole log, and if it times out the server is still busy with it.
          await measure(server, 'sitrep draft', `/api/v1/incidents/${big}/sitreps/draft`),
        ],
      };
    } finally {
      await server.stop();
    }
  });
}

async function dashboardScaling(incidents: number) {
  return withDatabase(async (database) => {
    const t0 = performance.now();
    const app = await createApp({ database });
    const seeded = await seedIncidents(app, incidents, 2);
    await app.close();
    const seedSeconds = (performance.now() - t0) / 1000;
    process.stderr.write(`incidents ${incidents}: seeded ${seeded.reduce((a, s) => a + s.events, 0)} events in ${seedSeconds.toFixed(1)} s\n`);
    const server = await startBenchServer('firebreak', database);
    try {
      return {
        incidents,
        seedSeconds: round(seedSeconds),
        rows: [
          await measure(server, 'dashboard (kind=incident&limit=200)', '/api/v1/incidents?kind=incident&limit=200'),
          await measure(server, 'incident list, default page (limit=50)', '/api/v1/incidents'),
          await measure(server, 'incident page', `/api/v1/incidents/${seeded[Math.floor(seeded.length / 2)]!.id}`),
        ],
      };
    } finally {
      await server.stop();
    }
  });
}

// Saved after every size, so a long run that is stopped still leaves what it measured.
const byEvents: Awaited<ReturnType<typeof eventScaling>>[] = [];
const byIncidents: Awaited<ReturnType<typeof dashboardScaling>>[] = [];
const save = () => run.save({ reps: REPS, budgetSeconds: BUDGET_MS / 1000, timeoutSeconds: TIMEOUT_MS / 1000, byEvents, byIncidents });
for (const n of EVENT_SIZES) {
  byEvents.push(await eventScaling(n));
  save();
}
for (const n of INCIDENT_SIZES) {
  byIncidents.push(await dashboardScaling(n));
  save();
}
const path = save();

const table = (rows: { size: number; seedSeconds: number; rows: Measured[] }[], unit: string) => {
  const names = rows[0]?.rows.map((r) => r.what) ?? [];
  console.log(`| ${unit} | seed s | ${names.map((n) => `${n} p50 / p99 ms`).join(' | ')} |`);
  console.log(`|---:|---:|${names.map(() => '---:').join('|')}|`);
  for (const r of rows) console.log(`| ${r.size.toLocaleString('en-US')} | ${r.seedSeconds} | ${r.rows.map((m) => `${m.p50Ms} / ${m.p99Ms}`).join(' | ')} |`);
};
console.log('Scaling with events on one incident');
table(byEvents.map((r) => ({ size: r.events, ...r })), 'events');
console.log('\nScaling with incidents (dashboard)');
table(byIncidents.map((r) => ({ size: r.incidents, ...r })), 'incidents');
console.log(`results: ${path}`);
