/**
 * Exactly once across real server processes: two `firebreak serve` children share one
 * PostgreSQL database and race through 10,000 due clocks, claiming with FOR UPDATE SKIP
 * LOCKED. Every clock yields exactly one `clock_fired` event, both processes take part,
 * and every chain verifies. (The in-process variant, which also runs on SQLite, is
 * exactly-once.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readJson } from '../../../src/store/database.js';
import { testBackend } from '../../support/postgres.js';
import { type ServeProcess, startServeProcess } from '../../support/serve-process.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { insertLoadClocks, reportIncident } from './scheduler-fixtures.js';

const CLOCKS = 10_000;
const INCIDENTS = 50;
const LOAD_KEY = 'checklist:load-';

const onSqlite = testBackend() === 'sqlite';
if (onSqlite) console.log('two-process scheduler test: runs on the PostgreSQL leg only (SQLite allows one writer process)');

describe.skipIf(onSqlite)('two server processes on one PostgreSQL database', () => {
  let app: TestApp | undefined;
  const servers: ServeProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await app?.close();
  });

  it('fire 10,000 due clocks, each exactly once', { timeout: 300_000 }, async () => {
    app = await createTestApp();
    const ids: string[] = [];
    for (let i = 0; i < INCIDENTS; i += 1) ids.push(await reportIncident(app, 'nist-800-61r3', `Load ${i}`));
    await app.scheduler.settled();

    // A short poll, so each process sees rows it did not schedule itself within 200 ms.
    for (const _ of [1, 2]) servers.push(await startServeProcess({ database: app.database, env: { FIREBREAK_SCHEDULER_POLL_MS: '200' } }));

    // Written after both processes resynced, as another process would: rows neither owns.
    const due = new Date(Date.now() - 1000).toISOString();
    const started = Date.now();
    await insertLoadClocks(app.store, ids, CLOCKS, due);

    const db = app.store.db;
    const pendingLoad = async () =>
      Number(
        (
          await db
            .selectFrom('scheduled_clocks')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', '=', 'pending')
            .where('clock_key', 'like', `${LOAD_KEY}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    while ((await pendingLoad()) > 0) {
      if (Date.now() - started > 240_000) throw new Error(`clocks still pending after 240 s; stderr: ${servers.map((s) => s.logs()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const elapsed = Date.now() - started;

    const events = await db.selectFrom('events').select(['incident_id', 'data']).where('type', '=', 'clock_fired').execute();
    const loadKeys = events.map((e) => `${e.incident_id} ${readJson<{ clock: string }>(e.data).clock}`).filter((k) => k.includes(LOAD_KEY));
    const byWorker = await db
      .selectFrom('scheduled_clocks')
      .select(['claimed_by', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', '=', 'fired')
      .where('clock_key', 'like', `${LOAD_KEY}%`)
      .groupBy('claimed_by')
      .execute();
    const split = byWorker.map((r) => `${r.claimed_by}: ${r.n}`).join(', ');
    console.log(`two processes fired ${loadKeys.length} clocks (${new Set(loadKeys).size} distinct) in ${elapsed} ms; per process: ${split}`);

    expect(loadKeys).toHaveLength(CLOCKS);
    expect(new Set(loadKeys).size).toBe(CLOCKS);
    expect(byWorker).toHaveLength(2);
    expect(byWorker.reduce((sum, r) => sum + Number(r.n), 0)).toBe(CLOCKS);
    const verdicts = await app.incidents.verify();
    expect(verdicts).toHaveLength(INCIDENTS);
    expect(verdicts.every((v) => v.verdict.ok && v.projectionMatches)).toBe(true);
  });
});
