/**
 * Soak: the load mix (load-mix.ts) at a moderate, fixed rate for 10 minutes against the
 * real server in a child process started with --expose-gc. Every 30 s the bench-only hook
 * of load-target.ts (FIREBREAK_BENCH_HOOKS=1; not part of the production server) forces
 * a full GC and reports `process.memoryUsage()`. The heap is stable when the mean heap
 * after GC of the last quarter of the samples under load is within 10 % of the first
 * quarter's (the sample before the first request is shown but not counted).
 *
 *   npm run bench:soak -- [--duration 600] [--rate 50] [--connections 10] [--every 30]
 *   npm run bench:soak -- --short          (120 s, a sample every 10 s)
 *
 * Writes bench/results/soak.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app/firebreak-app.js';
import { startRun } from './bench-results.js';
import { seedIncidents } from './bench-seed.js';
import { startBenchServer } from './bench-server.js';
import { round, runMix } from './load-mix.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    rate: { type: 'string', default: '50' },
    connections: { type: 'string', default: '10' },
    every: { type: 'string' },
    short: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.duration ?? (values.short ? 120 : 600));
const every = Number(values.every ?? (values.short ? 10 : 30));
const rate = Number(values.rate);
const connections = Number(values.connections);
const STABLE_WITHIN = 0.1;
const run = startRun('soak', `npm run bench:soak -- --duration ${seconds} --rate ${rate} --connections ${connections} --every ${every}`);

interface Sample {
  readonly atSeconds: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly rssMiB: number;
  readonly externalMiB: number;
}

const mib = (bytes: number) => round(bytes / 2 ** 20);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-soak-'));
const database = join(dir, 'firebreak.db');
try {
  const app = await createApp({ database });
  const seeded = await seedIncidents(app, 100, 12);
  await app.close();
  const server = await startBenchServer('firebreak', database, { hooks: true });
  const samples: Sample[] = [];
  let gcAvailable = false;
  try {
    const t0 = performance.now();
    const sample = async () => {
      const response = await fetch(`${server.url}/__bench/heap`);
      const m = (await response.json()) as { gc: boolean; heapUsed: number; heapTotal: number; rss: number; external: number };
      gcAvailable = m.gc;
      samples.push({ atSeconds: round((performance.now() - t0) / 1000, 1), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), rssMiB: mib(m.rss), externalMiB: mib(m.external) });
      process.stderr.write(`  ${samples.at(-1)!.atSeconds} s: heap after GC ${samples.at(-1)!.heapUsedMiB} MiB, rss ${samples.at(-1)!.rssMiB} MiB\n`);
    };
    await sample();
    let pending: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      pending = pending.then(sample, sample);
    }, every * 1000);
    let figures: Awaited<ReturnType<typeof runMix>>;
    try {
      figures = await runMix(server, seeded.map((s) => s.id), { seconds, connections, overallRate: rate });
    } finally {
      clearInterval(timer);
      await pending;
    }
    await sample();
    // The first sample is taken before any request (code not yet loaded lazily, caches
    // empty): it is reported but the quarters are taken from the samples under load.
    const underLoad = samples.slice(1);
    const quarter = Math.max(1, Math.floor(underLoad.length / 4));
    const first = mean(underLoad.slice(0, quarter).map((s) => s.heapUsedMiB));
    const last = mean(underLoad.slice(-quarter).map((s) => s.heapUsedMiB));
    const growth = (last - first) / first;
    const results = {
      seconds,
      rate,
      connections,
      everySeconds: every,
      gcForced: gcAvailable,
      seeded: { incidents: seeded.length, events: seeded.reduce((a, s) => a + s.events, 0) },
      mix: figures,
      samples,
      heapAfterGc: { firstQuarterMiB: round(first), lastQuarterMiB: round(last), growth: round(growth, 4), stableWithin: STABLE_WITHIN, stable: Math.abs(growth) <= STABLE_WITHIN },
    };
    const path = run.save(results);
    console.log(`Soak, ${seconds} s at ${rate} req/s over ${connections} connections; heap sampled after a forced GC every ${every} s (${samples.length} samples)`);
    console.log(`mix: ${figures.requests} requests, ${figures.requestsPerSecond} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, errors ${figures.errors}, non-2xx ${figures.non2xx}`);
    console.log(`heap after GC: first quarter ${round(first)} MiB, last quarter ${round(last)} MiB (${(growth * 100).toFixed(1)} %): ${results.heapAfterGc.stable ? 'stable' : 'NOT stable'} within ${STABLE_WITHIN * 100} %`);
    console.log(`results: ${path}`);
  } finally {
    await server.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
