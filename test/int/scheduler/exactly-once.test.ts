/**
 * Exactly once under concurrency: two scheduler workers in one process race through
 * 10,000 due clocks, sharing SQLite's one writer; every clock yields exactly one
 * `clock_fired` event. On the PostgreSQL leg two real server processes do the same
 * (two-processes.test.ts), so this in-process variant runs on SQLite only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type FirebreakApp } from '../../../src/app/firebreak-app.js';
import { Scheduler } from '../../../src/app/scheduler/scheduler.js';
import { readJson } from '../../../src/store/database.js';
import { testBackend } from '../../support/postgres.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';
import { insertLoadClocks, reportIncident } from './scheduler-fixtures.js';

let app: TestApp;
let second: FirebreakApp | undefined;
afterEach(async () => {
  await second?.close();
  second = undefined;
  await app?.close();
});

const CLOCKS = 10_000;
const INCIDENTS = 50;

describe.skipIf(testBackend() === 'postgres')('exactly once', () => {
  it('two workers fire 10,000 clocks, each exactly once', { timeout: 240_000 }, async () => {
    app = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < INCIDENTS; i += 1) ids.push(await reportIncident(app, 'nist-800-61r3', `Drill ${i}`));
    await app.scheduler.settled();

    const due = new Date(app.time.now().getTime() + minutes(1)).toISOString();
    await insertLoadClocks(app.store, ids, CLOCKS, due);

    if (app.backend === 'postgres') second = await createApp({ database: app.database, time: app.time });
    const other = second ?? app;
    const depsOf = (a: FirebreakApp) => ({ store: a.store, plans: a.plans, incidents: a.incidents, deliveries: a.deliveries, time: app.time });
    const workers = [new Scheduler(depsOf(app), { workerId: 'worker-a', batchSize: 200 }), new Scheduler(depsOf(other), { workerId: 'worker-b', batchSize: 200 })];
    app.time.advance(minutes(2));
    const results = await Promise.all(workers.map((w) => w.tick()));

    const events = await app.store.db.selectFrom('events').select(['incident_id', 'data']).where('type', '=', 'clock_fired').execute();
    const loadKeys = events
      .map((e) => `${e.incident_id} ${readJson<{ clock: string }>(e.data).clock}`)
      .filter((k) => k.includes('checklist:load-'));
    expect(loadKeys).toHaveLength(CLOCKS);
    expect(new Set(loadKeys).size).toBe(CLOCKS);
    // Both workers took part, and their counts add up to the events written.
    expect(results.every((r) => r.fired > 0)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.fired, 0)).toBe(events.length);
    const byWorker = await app.store.db
      .selectFrom('scheduled_clocks')
      .select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', '=', 'fired')
      .where('clock_key', 'like', 'checklist:load-%')
      .groupBy('claimed_by')
      .execute();
    expect(byWorker.reduce((sum, r) => sum + Number(r.n), 0)).toBe(CLOCKS);
    expect(byWorker.map((r) => r.claimed_by).sort()).toEqual(['worker-a', 'worker-b']);
    const verdicts = await app.incidents.verify();
    expect(verdicts.every((v) => v.verdict.ok && v.projectionMatches)).toBe(true);
  });
});
