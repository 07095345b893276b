/**
 * Paging benchmark: how long after an escalation step's deadline its page leaves the
 * process, beside the scheduler's own lateness for the same steps, on a store holding
 * 10,000 on-call schedules and 100,000 pending escalation steps (SQLite, one process, the
 * real timer loop `Scheduler.start`, the real pager and delivery service, a real HTTP
 * receiver on loopback).
 *
 *   npm run bench:paging
 *   BENCH_SCHEDULES=1000 BENCH_PENDING=10000 BENCH_DUE=300 npm run bench:paging   (quicker)
 *
 * Scheduler lateness of a step = fired_at − due_at on its `ack:escalation:<step>` row.
 * Page delay = when the receiver saw the page's request arrive − due_at of its step.
 * A page lost (a delivery row never received) or duplicated (received twice) fails the run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app/firebreak-app.js';
import { addContactPoint } from '../src/integrations/delivery/contact-points.js';
import { readJson } from '../src/store/database.js';
import { idleCpu, percentile } from './bench-results.js';

const SCHEDULES = Number(process.env['BENCH_SCHEDULES'] ?? 10_000);
const PENDING = Number(process.env['BENCH_PENDING'] ?? 100_000);
const DUE = Number(process.env['BENCH_DUE'] ?? 2_000);
const PEOPLE = Number(process.env['BENCH_PEOPLE'] ?? 1_000);
const LOAD_INCIDENTS = Number(process.env['BENCH_LOAD_INCIDENTS'] ?? 100);
/** How many schedules level 2 pages (each resolves to one person with one webhook). */
const LEVEL2_SCHEDULES = Number(process.env['BENCH_LEVEL2_SCHEDULES'] ?? 2);
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 10_000);
const SPREAD_MS = 5_000;
const LEAD_MS = 3_000;
const PLAN = 'bench-paging';
const POLICY = 'bench-oncall';
const MEASURED_STEP = 'ack:escalation:2';

/** Loopback receiver: when each delivery id arrived (a page answered 200 at once). */
async function startReceiver() {
  const arrivals = new Map<string, number[]>();
  const server = createServer((req, res) => {
    const at = Date.now();
    const id = String(req.headers['x-firebreak-delivery'] ?? '');
    const list = arrivals.get(id);
    if (list) list.push(at);
    else arrivals.set(id, [at]);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** nist-800-61r3 as `bench-paging`, escalating by the policy (as test/int/paging does). */
function planDir(): string {
  const base = readFileSync(new URL('../plans/nist-800-61r3.yaml', import.meta.url), 'utf8');
  const text = base.replace(/^id: nist-800-61r3$/m, `id: ${PLAN}`).replace('    path: [ic, tech-lead]\n', `    path: [ic, tech-lead]\n    policy: ${POLICY}\n`);
  if (!text.includes(`policy: ${POLICY}`) || !text.includes(`id: ${PLAN}`)) throw new Error('the nist-800-61r3 plan changed shape; update bench/paging.ts');
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-plans-'));
  writeFileSync(join(dir, `${PLAN}.yaml`), text);
  return dir;
}

const handle = (n: number) => `p-${String(n % PEOPLE).padStart(5, '0')}`;
const scheduleId = (n: number) => `sched-${String(n).padStart(5, '0')}`;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const log = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  if (PEOPLE < 3 * (LEVEL2_SCHEDULES + 2)) throw new Error('BENCH_PEOPLE is too small for disjoint rotations on the paged schedules');
  // Deliveries go to the loopback receiver: the outbound guard must allow it (as an operator would).
  process.env['FIREBREAK_OUTBOUND_ALLOW'] = [process.env['FIREBREAK_OUTBOUND_ALLOW'], '127.0.0.1'].filter(Boolean).join(',');
  const receiver = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
  const plans = planDir();
  const app = await createApp({ database: join(dir, 'bench.db'), planDirs: [plans] });
  const timings: string[] = [];
  try {
    // People: a bulk insert of what an SSO-only account stores (no password hash to compute).
    let t = performance.now();
    const now = new Date().toISOString();
    const people = Array.from({ length: PEOPLE }, (_, n) => handle(n));
    for (let start = 0; start < PEOPLE; start += 500) {
      const rows = people.slice(start, start + 500).map((h) => ({ id: randomUUID(), email: `${h}@example.org`, name: `Person ${h}`, handle: h, role: 'responder', password_hash: null, oidc_subject: null, disabled: 0, created_at: now, time_zone: null }));
      await app.store.db.insertInto('users').values(rows).execute();
    }
    for (const h of people) await addContactPoint(app.store.db, { user: h, kind: 'webhook', target: `${receiver.url}/hook/${h}` }, new Date());
    timings.push(`${PEOPLE} people + webhook contact points ${seconds(t)} s`);

    // Schedules through the real ScheduleService (validation, users checked, history row).
    // Schedule n rotates daily through three people, 3n..3n+2 (mod BENCH_PEOPLE), so the
    // schedules the policy pages have disjoint rotations and exactly one person on call.
    t = performance.now();
    for (let n = 0; n < SCHEDULES; n += 1) {
      await app.schedules.create(
        { id: scheduleId(n), name: `Schedule ${n}`, timeZone: 'UTC', layers: [{ name: 'Daily', users: [handle(3 * n), handle(3 * n + 1), handle(3 * n + 2)], shift: { days: 1 }, start: '2026-01-01', handover: '09:00', timeZone: 'UTC' }] },
        'bench',
      );
      if (n > 0 && n % 2_000 === 0) log(`  ${n} schedules (${seconds(t)} s)`);
    }
    timings.push(`${SCHEDULES} schedules ${seconds(t)} s`);
    const level2 = Array.from({ length: LEVEL2_SCHEDULES }, (_, i) => ({ schedule: scheduleId(1 + i), mode: 'on-call' as const }));
    await app.paging.savePolicy(
      {
        id: POLICY,
        name: 'Bench on call',
        levels: [
          { targets: [{ schedule: scheduleId(0), mode: 'on-call' }], wait: '24h' },
          { targets: level2, wait: '24h' },
          { targets: [{ schedule: scheduleId(LEVEL2_SCHEDULES + 1), mode: 'on-call' }], wait: '10m' },
        ],
        repeat: 0,
      },
      'bench',
    );

    // Incidents: DUE measured ones (one measured step each) and LOAD_INCIDENTS that carry the load.
    t = performance.now();
    const measured: string[] = [];
    const loaded: string[] = [];
    for (let i = 0; i < DUE + LOAD_INCIDENTS; i += 1) {
      const { state } = await app.incidents.report(PLAN, { type: 'report', title: `Bench ${i}`, reporter: { anonymous: true } }, { actor: 'bench' });
      (i < DUE ? measured : loaded).push(state.id);
    }
    await app.scheduler.settled();
    timings.push(`${DUE + LOAD_INCIDENTS} incidents ${seconds(t)} s`);

    // Warm-up: level 1 of every incident is paged the moment the scheduler starts; each
    // fired step names step 2, due in 24 h.
    t = performance.now();
    await app.scheduler.start();
    const warmPages = DUE + LOAD_INCIDENTS;
    for (;;) {
      const row = await app.store.db.selectFrom('scheduled_clocks').select((eb) => eb.fn.countAll<number>().as('n')).where('clock_key', '=', MEASURED_STEP).where('state', '=', 'pending').executeTakeFirst();
      if (Number(row?.n) >= DUE + LOAD_INCIDENTS && receiver.arrivals.size >= warmPages) break;
      await sleep(250);
    }
    await app.scheduler.settled();
    timings.push(`warm-up (level 1 paged for every incident, ${warmPages} pages) ${seconds(t)} s`);

    // Load: pending escalation rows due over the next day, on the load incidents (the
    // rows copy the details the scheduler wrote for their step 2), up to PENDING in all.
    const template = await app.store.db.selectFrom('scheduled_clocks').selectAll().where('incident_id', '=', loaded[0]!).where('clock_key', '=', MEASURED_STEP).executeTakeFirstOrThrow();
    const extra = PENDING - DUE - LOAD_INCIDENTS;
    const perIncident = Math.ceil(extra / LOAD_INCIDENTS);
    const tomorrow = Date.now() + 86_400_000;
    t = performance.now();
    await app.store.transaction(async (trx) => {
      for (let start = 0; start < extra; start += 500) {
        const rows = [];
        for (let n = start; n < Math.min(extra, start + 500); n += 1) {
          rows.push({
            incident_id: loaded[n % LOAD_INCIDENTS]!,
            clock_key: `ack:escalation:${4 + Math.floor(n / LOAD_INCIDENTS)}`,
            kind: 'ack',
            due_at: new Date(tomorrow + Math.floor((n / extra) * 86_400_000)).toISOString(),
            state: 'pending' as const,
            claimed_by: null,
            claimed_until: null,
            fired_at: null,
            late: 0,
            details: JSON.stringify(readJson<unknown>(template.details)),
            updated_at: now,
          });
        }
        await trx.insertInto('scheduled_clocks').values(rows).execute();
      }
    });
    timings.push(`${extra} load rows (${perIncident} per load incident) ${seconds(t)} s`);
    const pendingRow = await app.store.db.selectFrom('scheduled_clocks').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'ack').where('state', '=', 'pending').executeTakeFirst();
    const pendingSteps = Number(pendingRow?.n);

    // The measured batch: step 2 of each measured incident moved to fall due uniformly
    // within SPREAD_MS, LEAD_MS from now (a row write, as a 24 h wait ending would leave).
    const t0 = Date.now() + LEAD_MS;
    const warmIds = new Set(receiver.arrivals.keys());
    await app.store.transaction(async (trx) => {
      for (let i = 0; i < DUE; i += 1) {
        await trx.updateTable('scheduled_clocks').set({ due_at: new Date(t0 + Math.floor((i / DUE) * SPREAD_MS)).toISOString() }).where('incident_id', '=', measured[i]!).where('clock_key', '=', MEASURED_STEP).execute();
      }
    });
    app.scheduler.poke();
    const expectedPages = DUE * LEVEL2_SCHEDULES;
    const started = performance.now();
    const newArrivals = () => [...receiver.arrivals.keys()].filter((id) => !warmIds.has(id)).length;
    let lastProgress = performance.now();
    let seen = -1;
    for (;;) {
      const got = newArrivals();
      if (got >= expectedPages) break;
      if (got !== seen) {
        seen = got;
        lastProgress = performance.now();
      }
      // A page that never arrives: stop waiting 30 s after the last progress.
      if (performance.now() - lastProgress > 30_000 && performance.now() - started > LEAD_MS + SPREAD_MS) break;
      await sleep(100);
    }
    const wall = (performance.now() - started) / 1000;
    await sleep(1_000); // time for a duplicate to show
    await app.scheduler.settled();

    const steps = new Map<string, { dueAt: number; firedAt: number | null }>();
    const deliveries: { id: string; incident_id: string | null; status: string }[] = [];
    for (let start = 0; start < DUE; start += 500) {
      const chunk = measured.slice(start, start + 500);
      const rows = await app.store.db.selectFrom('scheduled_clocks').select(['incident_id', 'due_at', 'fired_at', 'state']).where('clock_key', '=', MEASURED_STEP).where('incident_id', 'in', chunk).execute();
      for (const r of rows) steps.set(r.incident_id, { dueAt: Date.parse(r.due_at), firedAt: r.fired_at ? Date.parse(r.fired_at) : null });
      deliveries.push(...(await app.store.db.selectFrom('deliveries').select(['id', 'incident_id', 'status']).where('clock_key', '=', MEASURED_STEP).where('incident_id', 'in', chunk).execute()));
    }
    const fired = [...steps.values()].filter((s) => s.firedAt !== null);
    const lateness = fired.map((s) => s.firedAt! - s.dueAt).sort((a, b) => a - b);
    const delays: number[] = [];
    const lost: string[] = [];
    const duplicated: string[] = [];
    for (const d of deliveries) {
      const at = receiver.arrivals.get(d.id);
      if (!at) lost.push(`${d.id} (${d.status})`);
      else {
        if (at.length > 1) duplicated.push(`${d.id} (${at.length} times)`);
        delays.push(at[0]! - steps.get(d.incident_id ?? '')!.dueAt);
      }
    }
    delays.sort((a, b) => a - b);
    const rowIds = new Set(deliveries.map((d) => d.id));
    const stray = [...receiver.arrivals.keys()].filter((id) => !warmIds.has(id) && !rowIds.has(id));

    // Idle: the load still pending (plus the measured incidents' step 3, 10 min ahead), nothing due.
    await sleep(500);
    const idleRow = await app.store.db.selectFrom('scheduled_clocks').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'ack').where('state', '=', 'pending').executeTakeFirst();
    const { cpuMs, passes: passesIdle } = await idleCpu(() => app.scheduler.stats().passes, IDLE_MS);
    await app.scheduler.stop();

    const env = [
      ['BENCH_SCHEDULES', SCHEDULES, 10_000],
      ['BENCH_PENDING', PENDING, 100_000],
      ['BENCH_DUE', DUE, 2_000],
      ['BENCH_PEOPLE', PEOPLE, 1_000],
      ['BENCH_LOAD_INCIDENTS', LOAD_INCIDENTS, 100],
      ['BENCH_LEVEL2_SCHEDULES', LEVEL2_SCHEDULES, 2],
      ['BENCH_IDLE_MS', IDLE_MS, 10_000],
    ]
      .filter(([, v, d]) => v !== d)
      .map(([k, v]) => `${k}=${v}`);
    const p = (xs: number[], q: number) => (xs.length ? `${percentile(xs, q)} ms` : '–');
    console.log('Firebreak paging benchmark (SQLite, one process: scheduler, pager, delivery worker, loopback webhook receiver)');
    console.log(`command: ${env.length ? `${env.join(' ')} ` : ''}npm run bench:paging`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`);
    console.log(`store: ${SCHEDULES} on-call schedules (ScheduleService.create), ${PEOPLE} people with one webhook each, ${pendingSteps} pending ack:escalation steps before the measured batch fell due`);
    console.log(`measured: step 2 of ${DUE} incidents, due uniformly within ${SPREAD_MS / 1000} s; each pages ${LEVEL2_SCHEDULES} schedules (one on-call person, one webhook each)`);
    console.log(`seeding: ${timings.join('; ')}`);
    console.log(`steps fired: ${fired.length} of ${DUE}; pages expected ${expectedPages}, delivery rows ${deliveries.length}, received ${delays.length}, lost ${lost.length}, duplicated ${duplicated.length}, unexpected ${stray.length}; all received ${wall.toFixed(1)} s after the batch was written (${LEAD_MS / 1000} s lead)`);
    console.log();
    console.log('| measured from due_at | p50 | p99 | max | n |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(`| scheduler lateness (fired_at − due_at) | ${p(lateness, 50)} | ${p(lateness, 99)} | ${lateness.length ? `${lateness.at(-1)} ms` : '–'} | ${lateness.length} |`);
    console.log(`| page delay (arrival at the loopback receiver − due_at) | ${p(delays, 50)} | ${p(delays, 99)} | ${delays.length ? `${delays.at(-1)} ms` : '–'} | ${delays.length} |`);
    console.log();
    const ratio = lateness.length && delays.length ? (percentile(delays, 99) / Math.max(1, percentile(lateness, 99))).toFixed(1) : '–';
    console.log(`ratio page p99 / scheduler p99: ${ratio} ×`);
    console.log(`idle (${Number(idleRow?.n)} steps pending, nothing due): CPU ${cpuMs.toFixed(1)} ms over ${IDLE_MS / 1000} s (${((cpuMs / IDLE_MS) * 100).toFixed(3)} % of one core), ${passesIdle} passes`);
    const problems = [
      ...lost.map((d) => `lost page: delivery ${d}`),
      ...duplicated.map((d) => `duplicated page: delivery ${d}`),
      ...stray.map((d) => `unexpected page: delivery ${d}`),
      ...(fired.length !== DUE ? [`${DUE - fired.length} measured steps did not fire`] : []),
      ...(deliveries.length !== expectedPages ? [`${deliveries.length} delivery rows for the measured steps, expected ${expectedPages}`] : []),
    ];
    for (const problem of problems) console.log(`FAILED: ${problem}`);
    if (problems.length) process.exitCode = 1;
  } finally {
    await app.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(plans, { recursive: true, force: true });
  }
}

await main();
