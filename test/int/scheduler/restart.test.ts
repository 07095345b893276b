/**
 * Durability: clock rows survive a restart, and a clock that fell due while the server
 * was down fires once on the next pass, marked late. The app is closed and reopened on
 * the same database (SQLite file or PostgreSQL database), as a restarted server would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type FirebreakApp } from '../../../src/app/firebreak-app.js';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { ManualTime } from '../../../src/app/time-source.js';
import { createEmptyDatabase, minutes, T0, type TestDatabase } from '../../support/test-app.js';
import { firedEvents, reportIncident } from './scheduler-fixtures.js';

const databases: TestDatabase[] = [];
const apps: FirebreakApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const database of databases.splice(0)) await database.drop();
});

async function freshDatabase(): Promise<string> {
  const database = await createEmptyDatabase();
  databases.push(database);
  return database.location;
}

async function open(database: string, time: ManualTime): Promise<FirebreakApp> {
  const app = await createApp({ database, time });
  apps.push(app);
  return app;
}

describe('restart', () => {
  it('a clock due during downtime fires exactly once after the restart, marked late', async () => {
    const database = await freshDatabase();
    const time = new ManualTime(T0);

    const first = await open(database, time);
    const id = await reportIncident(first, 'nist-team-procedures');
    time.advance(minutes(9));
    await first.scheduler.tick();
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // Down from +9 min to +15 min: escalation level 1 (due +10 min) falls due meanwhile.
    time.advance(minutes(6));
    const second = await open(database, time);
    expect((await listScheduledClocks(second.store.db, { incidentId: id, state: 'pending' })).map((r) => r.clockKey)).toContain('ack:escalation:1');
    await second.scheduler.resync();
    const result = await second.scheduler.tick();
    expect(result.late).toBeGreaterThanOrEqual(1);
    await second.scheduler.tick();

    const ack = (await firedEvents(second, id)).filter((e) => e.data.clock === 'ack:escalation:1');
    expect(ack).toHaveLength(1);
    expect(ack[0]!.data).toMatchObject({ dueAt: '2026-03-02T09:10:00.000Z', late: true, level: 1 });
    expect(ack[0]!.occurredAt).toBe('2026-03-02T09:15:00.000Z');
    const row = (await listScheduledClocks(second.store.db, { incidentId: id })).find((r) => r.clockKey === 'ack:escalation:1');
    expect(row).toMatchObject({ state: 'fired', late: true, firedAt: '2026-03-02T09:15:00.000Z' });

    // A third start on the same database fires nothing again.
    await second.close();
    apps.splice(apps.indexOf(second), 1);
    const third = await open(database, time);
    await third.scheduler.resync();
    expect((await third.scheduler.tick()).fired).toBe(0);
    expect((await firedEvents(third, id)).filter((e) => e.data.clock === 'ack:escalation:1')).toHaveLength(1);
    expect((await third.incidents.verify([id]))[0]).toMatchObject({ projectionMatches: true, verdict: { ok: true } });
  });

  it('resync at start-up schedules clocks of incidents changed while no scheduler listened', async () => {
    const database = await freshDatabase();
    const time = new ManualTime(T0);
    const app = await open(database, time);
    const id = await reportIncident(app, 'nist-team-procedures');
    await app.scheduler.settled();
    // Simulate a writer without a reactor: drop the rows, then resync restores them.
    await app.store.db.deleteFrom('scheduled_clocks').execute();
    expect(await app.scheduler.resync()).toBe(1);
    expect((await listScheduledClocks(app.store.db, { incidentId: id })).map((r) => r.clockKey)).toContain('ack:escalation:1');
  });
});
