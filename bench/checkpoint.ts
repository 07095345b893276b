/**
 * What signed checkpoints cost (issue 26), on SQLite in one process:
 *
 * 1. Append throughput with interval checkpoints off, every 1 s and every 60 s (the default
 *    of FIREBREAK_CHECKPOINT_INTERVAL_SECONDS), in the same run, rounds alternating so
 *    drift on this shared machine falls on every mode alike. The workload is the real use
 *    case (`incidents.execute` add_note, one client, round-robin over 50 incidents) on a
 *    store seeded to the full size; the checkpoint is the real `record.checkpoint()` the
 *    server's interval timer calls (chain heads over the whole store, the extension check
 *    against the previous checkpoint, Merkle tree, Ed25519 signature, one row in the log).
 *    Each mode's interval runs on that mode's own time, carried across its rounds, so a
 *    60 s interval fires as often as it would in one long run; the first fires at once, as
 *    at server start. The hourly self-check is not in these rounds: it is the full check
 *    of the store against a checkpoint, timed in part 3.
 * 2. The cost of one checkpoint at this size (and of its chain-head read alone).
 * 3. Verify of the whole store at the seeded size (run before the append rounds): plain `verify` (what `firebreak verify` runs) and
 *    `verifyCheckpoint` against a fresh checkpoint (what `firebreak verify --checkpoint`
 *    runs), seconds, events/s and the ratio. Exits 1 when either reports a problem.
 *
 *   npm run bench:checkpoint                  1,000,000 events over ~12,400 incidents, 5 rounds of 20 s
 *   npm run bench:checkpoint -- --short       100,000 events over ~1,240 incidents, 2 rounds of 5 s
 *   options: --events N  --round-seconds S  --rounds R
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createApp, type FirebreakApp } from '../src/app/firebreak-app.js';
import { loadChainHeads } from '../src/store/checkpoint-store.js';
import { percentile } from './bench-results.js';
import { seedIncidents } from './bench-seed.js';

const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    events: { type: 'string' },
    'round-seconds': { type: 'string' },
    rounds: { type: 'string' },
  },
});
const SHORT = values.short;
const EVENTS = Number(values.events ?? (SHORT ? 100_000 : 1_000_000));
const ROUND_SECONDS = Number(values['round-seconds'] ?? (SHORT ? 5 : 20));
const ROUNDS = Number(values.rounds ?? (SHORT ? 2 : 5));
/** Notes per seeded incident: about 81 events each on average, so 1M events are about 12,400 incidents. */
const NOTES_EACH = 96;
const WRITERS = 50;

interface Mode {
  readonly label: string;
  readonly intervalMs: number;
  /** This mode's time spent appending so far, over all its rounds. */
  onMs: number;
  /** When (on this mode's own time) the next checkpoint is due. */
  nextDueMs: number;
  appends: number;
  seconds: number;
  readonly latencies: number[];
  readonly checkpointMs: number[];
}

const modes: Mode[] = [
  { label: 'off (interval 0)', intervalMs: 0 },
  { label: 'every 1 s', intervalMs: 1_000 },
  { label: 'every 60 s (default)', intervalMs: 60_000 },
].map((m) => ({ ...m, onMs: 0, nextDueMs: 0, appends: 0, seconds: 0, latencies: [], checkpointMs: [] }));

const n = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (text: string) => process.stderr.write(`${text}\n`);

/** Appends notes for `seconds` while this mode's checkpoints fire on its own clock. */
async function round(app: FirebreakApp, mode: Mode, ids: readonly string[], seconds: number): Promise<void> {
  const started = performance.now();
  const elapsed = () => mode.onMs + (performance.now() - started);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const fire = async () => {
    const t = performance.now();
    await app.record.checkpoint();
    mode.checkpointMs.push(performance.now() - t);
    // As setInterval with a busy guard: ticks that fell inside a long checkpoint are skipped.
    while (mode.nextDueMs <= elapsed()) mode.nextDueMs += mode.intervalMs;
    schedule();
  };
  const schedule = () => {
    if (stopped || mode.intervalMs <= 0) return;
    timer = setTimeout(() => {
      running = fire();
    }, Math.max(0, mode.nextDueMs - elapsed()));
  };
  schedule();
  let appends = 0;
  while (performance.now() - started < seconds * 1000) {
    const id = ids[(mode.appends + appends) % ids.length]!;
    const t = performance.now();
    await app.incidents.execute(id, { type: 'add_note', text: `Checkpoint bench note ${appends}: blocked 198.51.100.${appends % 250} at the edge.` }, { actor: 'bench' });
    mode.latencies.push(performance.now() - t);
    appends += 1;
  }
  const ms = performance.now() - started;
  stopped = true;
  clearTimeout(timer);
  await running;
  mode.onMs += ms;
  mode.appends += appends;
  mode.seconds += ms / 1000;
  log(`round ${mode.label}: ${appends} appends in ${(ms / 1000).toFixed(1)} s (${n(appends / (ms / 1000), 1)}/s)`);
}

async function countEvents(app: FirebreakApp): Promise<number> {
  const row = await app.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-checkpoint-'));
  const app = await createApp({ database: join(dir, 'bench.db') });
  try {
    // ---- seed ----
    const seedStart = performance.now();
    let seededEvents = 0;
    let incidents = 0;
    while (seededEvents < EVENTS) {
      // About 81 events per incident on average (every fifth is an untriaged alert of a few notes).
      const chunk = await seedIncidents(app, Math.max(1, Math.min(500, Math.ceil((EVENTS - seededEvents) / 81))), NOTES_EACH, incidents + 1);
      seededEvents += chunk.reduce((sum, s) => sum + s.events, 0);
      incidents += chunk.length;
      log(`seeded ${n(seededEvents)} events over ${n(incidents)} incidents`);
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const ids = (await app.store.db.selectFrom('incidents').select('id').orderBy('id').limit(WRITERS).execute()).map((r) => r.id);

    // ---- 3 (run first, at the seeded size). verify the whole store, plain and against a checkpoint ----
    const totalEvents = await countEvents(app);
    const { checkpoint } = await app.record.checkpoint();
    const p = performance.now();
    const verdicts = await app.incidents.verify();
    const plainSeconds = (performance.now() - p) / 1000;
    const plainBad = verdicts.filter((v) => !v.verdict.ok || !v.projectionMatches || v.problems.length > 0);
    const c = performance.now();
    const verdict = await app.record.verifyCheckpoint(checkpoint.text);
    const checkpointSeconds = (performance.now() - c) / 1000;

    // ---- 1. append throughput, modes alternating ----
    for (let r = 0; r < ROUNDS; r += 1) {
      for (let k = 0; k < modes.length; k += 1) await round(app, modes[(r + k) % modes.length]!, ids, ROUND_SECONDS);
    }

    // ---- 2. one checkpoint at this size ----
    const costs: { ms: number; headsMs: number; leaves: number; bytes: number }[] = [];
    for (let i = 0; i < 3; i += 1) {
      await app.incidents.execute(ids[i]!, { type: 'add_note', text: `Checkpoint cost probe ${i}` }, { actor: 'bench' });
      const h = performance.now();
      const leaves = await loadChainHeads(app.store.db);
      const headsMs = performance.now() - h;
      const t = performance.now();
      const { checkpoint, created } = await app.record.checkpoint();
      if (!created) throw new Error('the store moved but no checkpoint was made');
      costs.push({ ms: performance.now() - t, headsMs, leaves: leaves.length, bytes: Buffer.byteLength(checkpoint.text) });
    }
    const afterEvents = await countEvents(app);
    const checkpointRows = await app.store.db.selectFrom('checkpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

    // ---- print ----
    const off = modes[0]!;
    const rate = (m: Mode) => m.appends / m.seconds;
    const args = process.argv.slice(2).join(' ');
    console.log('Firebreak checkpoint benchmark (SQLite, one process)');
    console.log(`command: npm run bench:checkpoint${args ? ` -- ${args}` : ''}`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`);
    console.log(`store: ${n(seededEvents)} events over ${n(incidents)} incidents seeded in ${seedSeconds.toFixed(1)} s (bench-seed.ts), verified at ${n(totalEvents)} events, before the append rounds`);
    console.log(`appends: add_note through incidents.execute, one client, round-robin over ${ids.length} incidents; ${ROUNDS} rounds of ${ROUND_SECONDS} s per mode, modes alternating`);
    console.log();
    console.log('| checkpoints | appends | seconds | appends/s | p50 ms | p99 ms | checkpoints made | ms per checkpoint (median) | time in checkpoints | ratio to off |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const m of modes) {
      const lat = [...m.latencies].sort((a, b) => a - b);
      const cps = [...m.checkpointMs].sort((a, b) => a - b);
      console.log(
        `| ${m.label} | ${n(m.appends)} | ${m.seconds.toFixed(1)} | ${n(rate(m), 1)} | ${percentile(lat, 50).toFixed(1)} | ${percentile(lat, 99).toFixed(1)} | ${cps.length} | ${cps.length ? n(percentile(cps, 50), 0) : '–'} | ${((cps.reduce((a, b) => a + b, 0) / (m.seconds * 1000)) * 100).toFixed(2)} % | ${(rate(m) / rate(off)).toFixed(3)} |`,
      );
    }
    console.log();
    console.log('| one checkpoint at | leaves | text KiB | ms (chain heads only) |');
    console.log('|---|---:|---:|---|');
    for (const cost of costs) console.log(`| ${n(afterEvents)} events | ${n(cost.leaves)} | ${n(cost.bytes / 1024, 0)} | ${n(cost.ms, 0)} (${n(cost.headsMs, 0)}) |`);
    console.log(`checkpoint log: ${Number(checkpointRows.n)} rows after this run`);
    console.log();
    console.log('| verify | events | seconds | events/s | problems | ratio to plain |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(`| plain (firebreak verify) | ${n(totalEvents)} | ${plainSeconds.toFixed(1)} | ${n(totalEvents / plainSeconds)} | ${plainBad.length} | 1.000 |`);
    console.log(`| against checkpoint ${checkpoint.seq} (firebreak verify --checkpoint) | ${n(checkpoint.tree_size)} leaves | ${checkpointSeconds.toFixed(1)} | ${n(totalEvents / checkpointSeconds)} | ${verdict.problems.length} | ${(checkpointSeconds / plainSeconds).toFixed(3)} |`);
    if (plainBad.length > 0 || !verdict.ok) {
      console.log(`FAILED: verify found problems on the clean store: ${[...plainBad.map((v) => v.incidentId), ...verdict.problems.map((pr) => `${pr.chain}: ${pr.reason}`)].slice(0, 10).join('; ')}`);
      return 1;
    }
    return 0;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
