/**
 * Clock rows change in the command's own write transaction (the schedule projection),
 * not in a second transaction afterwards: they are there as soon as the command returns,
 * and a command whose transaction rolls back leaves the rows as they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { reportIncident } from './scheduler-fixtures.js';

let app: TestApp;
afterEach(async () => {
  await app?.close();
});

async function pendingKeys(id: string): Promise<string[]> {
  return (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).map((r) => r.clockKey).sort();
}

describe('schedule projection', () => {
  it('writes the rows with the report, and cancels them with the acknowledgement, without waiting', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    expect(await pendingKeys(id)).toContain('ack:escalation:1');
    await app.incidents.execute(id, { type: 'acknowledge' }, { actor: 'sam' });
    expect(await pendingKeys(id)).not.toContain('ack:escalation:1');
  });

  it('a command whose transaction rolls back leaves the clock rows untouched', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    const before = await listScheduledClocks(app.store.db, { incidentId: id });
    await expect(
      app.incidents.withinTransaction(async (writer) => {
        await writer.execute(id, { type: 'acknowledge' }, { actor: 'sam' });
        throw new Error('the caller gives up after the command');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await listScheduledClocks(app.store.db, { incidentId: id })).toEqual(before);
    expect((await app.incidents.get(id)).version).toBe(1);
  });

  it('tells clock listeners once per committed change, and not for schedule-neutral events', async () => {
    app = await createTestApp();
    const changed: string[] = [];
    app.scheduler.onClocksChanged((incidentId) => changed.push(incidentId));
    const id = await reportIncident(app, 'nist-team-procedures');
    expect(changed).toEqual([id]);
    await app.incidents.execute(id, { type: 'add_note', text: 'looking at the logs' }, { actor: 'sam' });
    expect(changed).toEqual([id]);
    await app.incidents.execute(id, { type: 'acknowledge' }, { actor: 'sam' });
    expect(changed).toEqual([id, id]);
  });
});
