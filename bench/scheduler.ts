/**
 * Scheduler benchmark: 100,000 pending clocks on SQLite, all falling due within a few
 * seconds, fired by the real timer loop (`Scheduler.start`); then the CPU the scheduler
 * spends while idle with 100,000 clocks pending in the future.
 *
 *   npm run bench:scheduler            (BENCH_CLOCKS=20000 for a quicker run)
 *
 * Lateness of a clock = when it fired − when it was due (fired_at − due_at on its row).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app/firebreak-app.js';
import { idleCpu, percentile } from './bench-results.js';

const CLOCKS = Number(process.env['BENCH_CLOCKS'] ?? 100_000);
const INCIDENTS = Number(process.env['BENCH_INCIDENTS'] ?? 100);
const SPREAD_MS = 5_000;
const LEAD_MS = 3_000;
const IDLE_MS = 10_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
  const app = await createApp({ database: join(dir, 'bench.db') });
  try {
    const ids: string[] = [];
    for (let i = 0; i < INCIDENTS; i += 1) {
      const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: `Bench ${i}`, reporter: { anonymous: true } }, { actor: 'bench' });
      ids.push(state.id);
    }
    await app.scheduler.settled();

    const insert = async (count: number, prefix: string, dueAt: (n: number) => string) => {
      const now = new Date().toISOString();
      await app.store.transaction(async (trx) => {
        for (let start = 0; start < count; start += 500) {
          const rows = [];
          for (let n = start; n < Math.min(count, start + 500); n += 1) {
            rows.push({
              incident_id: ids[n % INCIDENTS]!,
              clock_key: `checklist:${prefix}-${n}`,
              kind: 'checklist',
              due_at: dueAt(n),
              state: 'pending' as const,
              claimed_by: null,
              claimed_until: null,
              fired_at: null,
              late: 0,
              details: JSON.stringify({ label: `Bench clock ${n}`, role: null, window: '1m' }),
              updated_at: now,
            });
          }
          await trx.insertInto('scheduled_clocks').values(rows).execute();
        }
      });
    };

    // Phase 1: CLOCKS clocks due uniformly over SPREAD_MS, starting LEAD_MS from now. The
    // rows are written straight to the table (after start-up's resync, which would cancel
    // clocks the plan does not derive), then the running scheduler is poked to look again.
    await app.scheduler.start();
    const t0 = Date.now() + LEAD_MS;
    await insert(CLOCKS, 'due', (n) => new Date(t0 + Math.floor((n / CLOCKS) * SPREAD_MS)).toISOString());
    const started = performance.now();
    app.scheduler.poke();
    for (;;) {
      const row = await app.store.db.selectFrom('scheduled_clocks').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'fired').executeTakeFirst();
      if (Number(row?.n) >= CLOCKS) break;
      await sleep(250);
    }
    const wall = (performance.now() - started) / 1000;
    const fired = await app.store.db.selectFrom('scheduled_clocks').select(['due_at', 'fired_at']).where('state', '=', 'fired').where('clock_key', 'like', 'checklist:due-%').execute();
    const lateness = fired.map((r) => new Date(r.fired_at!).getTime() - new Date(r.due_at).getTime()).sort((a, b) => a - b);
    const last = [...fired].sort((a, b) => a.due_at.localeCompare(b.due_at) || a.fired_at!.localeCompare(b.fired_at!)).at(-1);
    const allDone = fired.map((r) => r.fired_at!).sort().at(-1);
    const events = await app.store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('type', '=', 'clock_fired').executeTakeFirst();

    // Phase 2: idle, with CLOCKS clocks pending a day from now.
    const tomorrow = Date.now() + 86_400_000;
    await insert(CLOCKS, 'idle', (n) => new Date(tomorrow + n).toISOString());
    app.scheduler.poke();
    await sleep(500);
    const { cpuMs, passes: passesIdle } = await idleCpu(() => app.scheduler.stats().passes, IDLE_MS);
    await app.scheduler.stop();

    console.log('Firebreak scheduler benchmark (SQLite, one process, one worker)');
    console.log(`command: npm run bench:scheduler${CLOCKS !== 100_000 ? ` (BENCH_CLOCKS=${CLOCKS})` : ''}`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
    console.log(`clocks: ${CLOCKS} over ${INCIDENTS} incidents, due uniformly within ${SPREAD_MS / 1000} s`);
    console.log(`fired: ${fired.length} rows, ${Number(events?.n)} clock_fired events, in ${wall.toFixed(1)} s wall (${Math.round(fired.length / wall)}/s incl. ${LEAD_MS / 1000} s lead)`);
    console.log(`lateness: p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms`);
    console.log(`last-due clock: due ${last?.due_at}, fired ${last?.fired_at} (${new Date(last?.fired_at ?? 0).getTime() - new Date(last?.due_at ?? 0).getTime()} ms late); all fired by ${allDone}`);
    console.log(`idle (${CLOCKS} pending a day ahead): CPU ${cpuMs.toFixed(1)} ms over ${IDLE_MS / 1000} s (${((cpuMs / IDLE_MS) * 100).toFixed(3)} % of one core), ${passesIdle} passes`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
