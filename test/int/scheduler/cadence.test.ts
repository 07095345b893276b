/**
 * Sitrep reminders, shift warnings, checklist deadlines and regulatory clocks under a
 * manual clock, with nist-team-procedures (sitreps: high 1h, medium 12h, low 1d; shifts 3h).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';
import { firedEvents, reportIncident } from './scheduler-fixtures.js';

let app: TestApp;
afterEach(async () => {
  await app?.close();
});

const HOUR = minutes(60);

async function declared(severity: string): Promise<string> {
  const id = await reportIncident(app, 'nist-team-procedures');
  await app.incidents.execute(id, { type: 'acknowledge' }, { actor: 'sam' });
  await app.incidents.execute(id, { type: 'triage', decision: 'confirm', severity }, { actor: 'sam' });
  await app.incidents.execute(id, { type: 'assign_role', role: 'ic', to: 'sam' }, { actor: 'sam' });
  await app.scheduler.settled();
  return id;
}

async function sitrepRow(id: string) {
  return (await listScheduledClocks(app.store.db, { incidentId: id })).filter((r) => r.kind === 'sitrep');
}

describe('sitrep cadence', () => {
  it.each([
    ['high', '2026-03-02T10:00:00.000Z'],
    ['medium', '2026-03-02T21:00:00.000Z'],
    ['low', '2026-03-03T09:00:00.000Z'],
  ])('a %s incident gets its first sitrep reminder at %s, to the IC', async (severity, due) => {
    app = await createTestApp();
    const id = await declared(severity);
    expect((await sitrepRow(id)).map((r) => [r.clockKey, r.dueAt, r.state])).toEqual([['sitrep:1', due, 'pending']]);

    app.time.set(new Date(new Date(due).getTime() - 1));
    await app.scheduler.tick();
    expect((await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('sitrep:'))).toEqual([]);
    expect((await app.incidents.get(id)).sitrepOverdueSince).toBeUndefined();

    app.time.set(due);
    await app.scheduler.tick();
    const fired = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('sitrep:'));
    expect(fired.map((e) => e.data.clock)).toEqual(['sitrep:1']);
    // The overdue mark stays on the incident until a sitrep is posted.
    expect((await app.incidents.get(id)).sitrepOverdueSince).toBe(due);
  });

  it('posting a sitrep clears the overdue mark and starts the next interval (high: hourly)', async () => {
    app = await createTestApp();
    const id = await declared('high');
    app.time.advance(HOUR);
    await app.scheduler.tick();
    app.time.advance(minutes(5));
    await app.incidents.execute(id, { type: 'post_sitrep', text: 'Contained; rotating keys' }, { actor: 'sam' });
    expect((await app.incidents.get(id)).sitrepOverdueSince).toBeUndefined();
    await app.scheduler.settled();
    expect((await sitrepRow(id)).map((r) => [r.clockKey, r.state, r.dueAt])).toEqual([
      ['sitrep:1', 'fired', '2026-03-02T10:00:00.000Z'],
      ['sitrep:2', 'pending', '2026-03-02T11:05:00.000Z'],
    ]);
  });

  it('reminds the Communications Officer instead of the IC when that role is held', async () => {
    app = await createTestApp();
    const id = await declared('high');
    await app.incidents.execute(id, { type: 'assign_role', role: 'co', to: 'cora' }, { actor: 'sam' });
    await app.scheduler.settled();
    expect((await sitrepRow(id))[0]?.details.role).toBe('co');
  });
});

describe('deadlines move with the log', () => {
  it('raising severity from low to high moves the sitrep deadline from +1 day to +1 hour', async () => {
    app = await createTestApp();
    const id = await declared('low');
    expect((await sitrepRow(id))[0]?.dueAt).toBe('2026-03-03T09:00:00.000Z');
    app.time.advance(minutes(20));
    await app.incidents.execute(id, { type: 'change_severity', severity: 'high', reason: 'PII confirmed' }, { actor: 'sam' });
    await app.scheduler.settled();
    expect((await sitrepRow(id)).map((r) => [r.clockKey, r.dueAt, r.state])).toEqual([['sitrep:1', '2026-03-02T10:00:00.000Z', 'pending']]);
    app.time.set('2026-03-02T10:00:00.000Z');
    await app.scheduler.tick();
    expect((await firedEvents(app, id)).map((e) => e.data.clock)).toContain('sitrep:1');
  });

  it('completing a checklist item cancels its deadline', async () => {
    app = await createTestApp();
    const id = await declared('high');
    const before = (await listScheduledClocks(app.store.db, { incidentId: id })).find((r) => r.clockKey === 'checklist:long-remediation-plan');
    expect(before?.dueAt).toBe('2026-03-02T12:00:00.000Z');
    await app.incidents.execute(id, { type: 'complete_item', item: 'long-remediation-plan' }, { actor: 'sam' });
    await app.scheduler.settled();
    const after = (await listScheduledClocks(app.store.db, { incidentId: id })).find((r) => r.clockKey === 'checklist:long-remediation-plan');
    expect(after?.state).toBe('cancelled');
    app.time.advance(4 * HOUR);
    await app.scheduler.tick();
    expect((await firedEvents(app, id)).map((e) => e.data.clock)).not.toContain('checklist:long-remediation-plan');
  });

  it('resolving an incident cancels its response clocks', async () => {
    app = await createTestApp();
    const id = await declared('high');
    await app.incidents.execute(id, { type: 'resolve', summary: 'fixed' }, { actor: 'sam' });
    await app.scheduler.settled();
    const pending = (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).map((r) => r.clockKey);
    expect(pending).toEqual(['retrospective']);
  });
});

describe('shift warnings', () => {
  it('warns the holder and the IC when a role is held past 3 h, once per stint', async () => {
    app = await createTestApp();
    const id = await declared('high');
    await app.incidents.execute(id, { type: 'assign_role', role: 'responder', to: 'rui' }, { actor: 'sam' });
    await app.scheduler.settled();
    const shifts = (await listScheduledClocks(app.store.db, { incidentId: id })).filter((r) => r.kind === 'shift');
    expect(shifts.map((r) => [r.clockKey, r.dueAt, r.details.holder])).toEqual([
      ['shift:ic:2026-03-02T09:00:00.000Z', '2026-03-02T12:00:00.000Z', 'sam'],
      ['shift:responder:2026-03-02T09:00:00.000Z', '2026-03-02T12:00:00.000Z', 'rui'],
    ]);
    app.time.advance(3 * HOUR);
    await app.scheduler.tick();
    await app.scheduler.tick();
    const fired = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('shift:'));
    expect(fired.map((e) => e.data.clock).sort()).toEqual(shifts.map((r) => r.clockKey));

    // A handoff starts a new stint with its own warning.
    await app.incidents.execute(id, { type: 'initiate_handoff', role: 'ic', to: 'ivy', briefing: 'keys rotated' }, { actor: 'sam' });
    await app.incidents.execute(id, { type: 'confirm_handoff', role: 'ic' }, { actor: 'ivy' });
    await app.scheduler.settled();
    const next = (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).filter((r) => r.kind === 'shift');
    expect(next.map((r) => [r.clockKey, r.details.holder])).toEqual([['shift:ic:2026-03-02T12:00:00.000Z', 'ivy']]);
  });
});

describe('regulatory clocks', () => {
  it('the GDPR clock starts with the personal-data flag, fires at 72 h unless filed, and filing stops it', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-800-61r3');
    await app.incidents.execute(id, { type: 'set_flag', flag: 'personal-data' }, { actor: 'sam' });
    await app.scheduler.settled();
    const row = (await listScheduledClocks(app.store.db, { incidentId: id })).find((r) => r.clockKey === 'regulatory:gdpr-art33');
    expect(row?.dueAt).toBe('2026-03-05T09:00:00.000Z');

    app.time.advance(10 * HOUR);
    await app.incidents.execute(id, { type: 'file_regulatory', clock: 'gdpr-art33', reference: 'DPA-2026-17' }, { actor: 'dana' });
    await app.scheduler.settled();
    expect((await listScheduledClocks(app.store.db, { incidentId: id })).find((r) => r.clockKey === 'regulatory:gdpr-art33')?.state).toBe('cancelled');
    const filed = (await app.incidents.get(id)).regulatoryFiled['gdpr-art33'];
    expect(filed).toMatchObject({ by: 'dana', reference: 'DPA-2026-17' });
  });
});
