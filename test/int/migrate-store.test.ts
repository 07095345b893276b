/**
 * Moving a team's store: a SQLite store of 1,000 incidents and 100,000 events copied into
 * this leg's back end (PostgreSQL on the PostgreSQL leg, another SQLite file on the SQLite
 * leg) with `copyIntoStore`, as `firebreak migrate-store` does. Counts must match and every
 * chain must verify; the time is printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, type FirebreakApp } from '../../src/app/firebreak-app.js';
import { copyIntoStore, storeRowSource } from '../../src/app/store-transfer.js';
import { openStore } from '../../src/store/store.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-app.js';
import { fillStore } from '../support/store-fixture.js';

const INCIDENTS = 1_000;
const EVENTS_PER_INCIDENT = 100;

let dir: string;
let source: FirebreakApp;
let target: TestDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'firebreak-migrate-'));
  source = await createApp({ database: join(dir, 'source.db') });
  const started = performance.now();
  await fillStore(source.store, await source.plans.get('nist-800-61r3'), { incidents: INCIDENTS, eventsPerIncident: EVENTS_PER_INCIDENT, perTransaction: 100 });
  process.stdout.write(`migrate-store test: built the SQLite source (${INCIDENTS} incidents, ${INCIDENTS * EVENTS_PER_INCIDENT} events) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  target = await createEmptyDatabase();
}, 600_000);

afterAll(async () => {
  await source?.close();
  await target?.drop();
  rmSync(dir, { recursive: true, force: true });
});

it(`copies 1,000 incidents and 100,000 events from SQLite to ${process.env['FIREBREAK_TEST_BACKEND'] ?? 'sqlite'} with every chain verified`, async () => {
  const store = await openStore(target.location);
  try {
    let lastProgress = 0;
    const report = await copyIntoStore(await storeRowSource(source.store, 2000), store, {
      onProgress: (done) => {
        expect(done).toBeGreaterThanOrEqual(lastProgress);
        lastProgress = done;
      },
    });
    process.stdout.write(`migrate-store test: SQLite → ${store.dialect}: ${report.incidents} incidents, ${report.events} events copied and verified in ${(report.milliseconds / 1000).toFixed(1)} s\n`);
    expect(report.incidents).toBe(INCIDENTS);
    expect(report.events).toBe(INCIDENTS * EVENTS_PER_INCIDENT);
    expect(report.chainsVerified).toBe(INCIDENTS);
    for (const t of report.tables) expect(t.target, t.table).toBe(t.source);
    expect(lastProgress).toBe(report.tables.reduce((n, t) => n + t.source, 0));
    const events = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(events.n)).toBe(INCIDENTS * EVENTS_PER_INCIDENT);
  } finally {
    await store.close();
  }
}, 600_000);
