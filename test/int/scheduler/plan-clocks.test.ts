/**
 * Plan-cadence clocks under a manual clock (nist-800-61r3: plan review 1y, tabletop 1y,
 * contact verification quarterly): durable rows in the plan's scope, fired once when due
 * with a `reminded:<kind>` record in plan upkeep and a reminder to the broadcast audience
 * on a real loopback webhook; recording the activity schedules the next cycle.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app/firebreak-app.js';
import { testBackend } from '../../support/postgres.js';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
import { type HttpReceiver, startHttpReceiver } from '../delivery/loopback-receivers.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';

let app: TestApp | undefined;
let hook: HttpReceiver | undefined;
afterEach(async () => {
  await app?.close();
  await hook?.close();
  app = undefined;
  hook = undefined;
});

const SCOPE = 'plan:nist-800-61r3';

async function activities(a: TestApp) {
  return a.store.db.selectFrom('plan_activities').select(['kind', 'done_at', 'done_by', 'note']).where('plan_id', '=', 'nist-800-61r3').orderBy('id').execute();
}

describe('plan-cadence clocks', () => {
  it('schedules review, tabletop and contact verification, fires the due one once, and records it with plan upkeep', async () => {
    hook = await startHttpReceiver([200]);
    app = await createTestApp();
    await setChannelEndpoint(app.store.db, { channel: 'responders-chat', kind: 'webhook', target: hook.url }, app.time.now());
    await app.scheduler.resync();

    const rows = await listScheduledClocks(app.store.db, { incidentId: SCOPE });
    expect(rows.map((r) => [r.clockKey, r.state]).sort()).toEqual([
      ['upkeep:contactVerification:never', 'pending'],
      ['upkeep:planReview:never', 'pending'],
      ['upkeep:tabletop:never', 'pending'],
    ]);
    const due = (await app.upkeep.reminders('nist-800-61r3')).find((r) => r.kind === 'contactVerification')!.dueAt;
    expect(rows.find((r) => r.clockKey === 'upkeep:contactVerification:never')?.dueAt).toBe(due);

    app.time.set(new Date(new Date(due).getTime() - 1));
    expect((await app.scheduler.tick()).fired).toBe(0);
    app.time.set(due);
    // Other built-in plans verify contacts quarterly too: their rows fire in the same pass.
    expect((await app.scheduler.tick()).fired).toBeGreaterThanOrEqual(1);
    expect((await listScheduledClocks(app.store.db, { incidentId: SCOPE, state: 'fired' })).map((r) => r.clockKey)).toEqual(['upkeep:contactVerification:never']);
    expect((await app.scheduler.tick()).fired).toBe(0);

    const recorded = await activities(app);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ kind: 'reminded:contactVerification', done_at: due, done_by: 'firebreak-scheduler' });
    expect(recorded[0]!.note).toContain('audience:responders (webhook)');
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.body).toContain('Verify team contacts and channels');
    // A reminder is not the activity itself: the activity is still not done.
    expect((await app.upkeep.reminders('nist-800-61r3')).find((r) => r.kind === 'contactVerification')).toMatchObject({ lastDoneAt: null, dueAt: due });

    // Doing it schedules the next quarter's row; the fired one stays as history.
    app.time.advance(minutes(60));
    await app.upkeep.record('nist-800-61r3', 'contactVerification', 'sam', 'all numbers rung');
    const after = await listScheduledClocks(app.store.db, { incidentId: SCOPE });
    const verification = after.filter((r) => r.clockKey.startsWith('upkeep:contactVerification:'));
    expect(verification.map((r) => r.state).sort()).toEqual(['fired', 'pending']);
    const next = (await app.upkeep.reminders('nist-800-61r3')).find((r) => r.kind === 'contactVerification')!;
    expect(verification.find((r) => r.state === 'pending')?.dueAt).toBe(next.dueAt);
    expect(next.state).toBe('pending');
  });

  it('a reminder that fell due while the server was down fires once, marked late', async () => {
    app = await createTestApp();
    await app.scheduler.resync();
    app.time.advance(minutes(60 * 24 * 400));
    const tick = await app.scheduler.tick();
    expect(tick.late).toBe(tick.fired);
    const fired = await listScheduledClocks(app.store.db, { incidentId: SCOPE, state: 'fired' });
    expect(fired.map((r) => [r.clockKey, r.late]).sort()).toEqual([
      ['upkeep:contactVerification:never', true],
      ['upkeep:planReview:never', true],
      ['upkeep:tabletop:never', true],
    ]);
    expect((await activities(app)).map((a) => a.kind).sort()).toEqual(['reminded:contactVerification', 'reminded:planReview', 'reminded:tabletop']);
    expect((await app.scheduler.tick()).fired).toBe(0);
  });
});

// SQLite is one process by design (a second writer process gets "database is locked").
describe.skipIf(testBackend() === 'sqlite')('plan-cadence rows synced by two processes at once on PostgreSQL', () => {
  let second: Awaited<ReturnType<typeof createApp>> | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
  });

  it('both processes start: the one that finds its row already inserted by the other does not fail', async () => {
    app = await createTestApp();
    // A second app on the same database, as a second server process would be: the two really race.
    second = await createApp({ database: app.database, time: app.time, planDirs: [], dataDir: mkdtempSync(join(tmpdir(), 'firebreak-second-')) });
    for (let round = 0; round < 20; round++) {
      await app.store.db.deleteFrom('scheduled_clocks').where('incident_id', '=', SCOPE).execute();
      await Promise.all([app.upkeep.syncSchedule(), second.upkeep.syncSchedule()]);
    }
    const rows = await listScheduledClocks(app.store.db, { incidentId: SCOPE });
    expect(rows.map((r) => r.clockKey).sort()).toEqual(['upkeep:contactVerification:never', 'upkeep:planReview:never', 'upkeep:tabletop:never']);
  });
});
