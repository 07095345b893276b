/**
 * Load: the incident-room mix (70 % reads, 30 % writes; see load-mix.ts) against the real
 * server in a child process on a seeded SQLite file, then a bare Fastify route with the
 * same connections and duration in the same run, and the ratio between them. Afterwards
 * every hash chain is verified through the API.
 *
 *   npm run bench:load -- [--duration 60] [--connections 200] [--incidents 200]
 *
 * Writes bench/results/load.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../src/app/firebreak-app.js';
import { startRun } from './bench-results.js';
import { seedIncidents } from './bench-seed.js';
import { startBenchServer } from './bench-server.js';
import { MIX, round, runBare, runMix } from './load-mix.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '200' }, incidents: { type: 'string', default: '200' } } });
const seconds = Number(values.duration);
const connections = Number(values.connections);
const incidents = Number(values.incidents);
const run = startRun('load', `npm run bench:load -- --duration ${seconds} --connections ${connections} --incidents ${incidents}`);

const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-load-'));
const database = join(dir, 'firebreak.db');
try {
  const seedStart = performance.now();
  const app = await createApp({ database });
  const seeded = await seedIncidents(app, incidents, 12);
  await app.close();
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const seededEvents = seeded.reduce((a, s) => a + s.events, 0);
  process.stderr.write(`seeded ${incidents} incidents, ${seededEvents} events in ${seedSeconds.toFixed(1)} s\n`);

  const server = await startBenchServer('firebreak', database);
  let firebreak: Awaited<ReturnType<typeof runMix>>;
  let verified: { incidents: number; ok: number };
  try {
    firebreak = await runMix(server, seeded.map((s) => s.id), { seconds, connections });
    // Right after the load the server may still be shedding: wait as its Retry-After says.
    let response = await fetch(`${server.url}/api/v1/verify`, { headers: { authorization: `Bearer ${server.token}` } });
    for (let attempt = 0; response.status === 503 && attempt < 30; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
      response = await fetch(`${server.url}/api/v1/verify`, { headers: { authorization: `Bearer ${server.token}` } });
    }
    const body = (await response.json()) as { items: { ok: boolean }[] };
    verified = { incidents: body.items.length, ok: body.items.filter((i) => i.ok).length };
  } finally {
    await server.stop();
  }
  const bareServer = await startBenchServer('bare');
  let bare: Awaited<ReturnType<typeof runBare>>;
  try {
    bare = await runBare(bareServer, { seconds, connections });
  } finally {
    await bareServer.stop();
  }

  const results = {
    seconds,
    connections,
    seed: { incidents, events: seededEvents, seconds: round(seedSeconds) },
    mix: MIX.map((k) => ({ name: k.name, weight: k.weight, write: k.write })),
    firebreak,
    bare,
    ratio: { throughput: round(firebreak.requestsPerSecond / bare.requestsPerSecond, 4), p50: bare.p50Ms ? round(firebreak.p50Ms / bare.p50Ms) : null, p99: bare.p99Ms ? round(firebreak.p99Ms / bare.p99Ms) : null },
    verifiedAfter: verified,
  };
  const path = run.save(results);
  console.log(`Load, ${seconds} s at ${connections} connections, loopback, ${incidents} seeded incidents (${seededEvents} events)`);
  console.log(`firebreak mix: ${firebreak.requestsPerSecond} req/s, p50 ${firebreak.p50Ms} ms, p99 ${firebreak.p99Ms} ms, errors ${firebreak.errors} (timeouts ${firebreak.timeouts}), non-2xx ${firebreak.non2xx} (shed 503 ${firebreak.shed}, other ${firebreak.non2xx - firebreak.shed}), writes ${(firebreak.writeShare * 100).toFixed(1)} %`);
  console.log(`goodput (2xx): ${firebreak.ok.perSecond} req/s (${firebreak.ok.requests} answers), p50 ${firebreak.ok.p50Ms} ms, p99 ${firebreak.ok.p99Ms} ms`);
  for (const k of firebreak.kinds) console.log(`  ${k.name}: ${k.requests} requests, p50 ${k.p50Ms} ms, p99 ${k.p99Ms} ms (2xx p99 ${k.okP99Ms} ms), shed ${k.shed}, statuses ${JSON.stringify(k.statuses)}`);
  console.log(`bare Fastify route: ${bare.requestsPerSecond} req/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms, errors ${bare.errors}, non-2xx ${bare.non2xx}`);
  console.log(`ratio firebreak/bare: throughput ${(results.ratio.throughput * 100).toFixed(2)} %`);
  console.log(`hash chains after the run: ${verified.ok}/${verified.incidents} verify`);
  console.log(`results: ${path}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
