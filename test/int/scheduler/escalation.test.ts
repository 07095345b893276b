/**
 * Acknowledgement escalation with a manual clock: under nist-team-procedures an
 * unacknowledged report escalates at exactly +10 min to the first rung (responder), at
 * +20 min to the next (IC), and an acknowledgement stops the ladder; under
 * iso27001-library the ladder is security-lead → ic → project-owner. One step is pending
 * at a time: the fired step writes the next (app/paging/pager.ts).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listScheduledClocks } from '../../../src/app/scheduler/schedule-store.js';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';
import { firedEvents, reportIncident } from './scheduler-fixtures.js';

let app: TestApp;
afterEach(async () => {
  await app?.close();
});

describe('acknowledgement escalation', () => {
  it('escalates at exactly +10 min to the responder, then +20 min to the IC, and an ack stops it', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    await app.scheduler.settled();

    const pendingAck = async () =>
      (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).filter((r) => r.kind === 'ack').map((r) => [r.clockKey, r.dueAt, r.details.role]);
    expect(await pendingAck()).toEqual([['ack:escalation:1', '2026-03-02T09:10:00.000Z', 'responder']]);

    app.time.advance(minutes(10) - 1);
    await app.scheduler.tick();
    expect((await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'))).toEqual([]);

    app.time.advance(1);
    await app.scheduler.tick();
    let ack = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'));
    expect(ack.map((e) => [e.data.clock, e.data.level, e.data.late, e.occurredAt])).toEqual([['ack:escalation:1', 1, false, '2026-03-02T09:10:00.000Z']]);
    expect(ack[0]!.actor).toBe('firebreak-scheduler');
    expect(ack[0]!.data.next).toEqual({ step: 2, at: '2026-03-02T09:20:00.000Z' });
    expect(await pendingAck()).toEqual([['ack:escalation:2', '2026-03-02T09:20:00.000Z', 'ic']]);

    app.time.advance(minutes(10));
    await app.scheduler.tick();
    ack = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'));
    expect(ack.map((e) => [e.data.clock, e.data.level])).toEqual([
      ['ack:escalation:1', 1],
      ['ack:escalation:2', 2],
    ]);

    // Ticking again fires nothing more.
    await app.scheduler.tick();
    expect((await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'))).toHaveLength(2);
  });

  it('an acknowledgement before a rung is due cancels the rest of the ladder', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    app.time.advance(minutes(10));
    await app.scheduler.tick();
    app.time.advance(minutes(5));
    await app.incidents.execute(id, { type: 'acknowledge' }, { actor: 'sam' });
    app.time.advance(minutes(60));
    await app.scheduler.tick();

    const ack = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'));
    expect(ack.map((e) => e.data.clock)).toEqual(['ack:escalation:1']);
    const rows = await listScheduledClocks(app.store.db, { incidentId: id });
    expect(rows.find((r) => r.clockKey === 'ack:escalation:2')?.state).toBe('cancelled');
    expect(rows.find((r) => r.clockKey === 'ack:escalation:1')?.state).toBe('fired');
  });

  it('iso27001-library escalates security-lead → ic → project-owner', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'iso27001-library');
    await app.scheduler.settled();
    const ladder = [];
    for (;;) {
      const rung = (await listScheduledClocks(app.store.db, { incidentId: id, state: 'pending' })).find((r) => r.kind === 'ack');
      if (!rung) break;
      ladder.push(rung);
      app.time.set(rung.dueAt);
      await app.scheduler.tick();
    }
    expect(ladder.map((r) => r.details.role)).toEqual(['security-lead', 'ic', 'project-owner']);
    const fired = (await firedEvents(app, id)).filter((e) => e.data.clock.startsWith('ack:'));
    expect(fired.map((e) => [e.data.level, e.occurredAt])).toEqual(ladder.map((r) => [r.details.level, r.dueAt]));
  });

  it('dismissing the report as a false alarm cancels its pending clocks', async () => {
    app = await createTestApp();
    const id = await reportIncident(app, 'nist-team-procedures');
    app.time.advance(minutes(2));
    await app.incidents.execute(id, { type: 'triage', decision: 'dismiss', reason: 'maintenance window' }, { actor: 'sam' });
    app.time.advance(minutes(120));
    await app.scheduler.tick();
    expect(await firedEvents(app, id)).toEqual([]);
    const rows = await listScheduledClocks(app.store.db, { incidentId: id });
    expect(rows.every((r) => r.state === 'cancelled')).toBe(true);
  });
});

describe('plan templates for escalation', () => {
  it("uses the plan's own escalation template, and a broken one neither blocks nor loses the clock", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-plans-'));
    try {
      const base = readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8');
      const own = base
        .replace('id: nist-team-procedures', 'id: own-escalation')
        .replace('templates:\n', 'templates:\n  escalation:\n    subject: "PAGE {{ clock.level }}: {{ incident.id }}"\n    body: "Wake up, {{ clock.roleName }}."\n');
      const broken = base
        .replace('id: nist-team-procedures', 'id: broken-escalation')
        .replace('templates:\n', 'templates:\n  escalation:\n    body: "{{ incident.id | no_such_filter }}"\n');
      writeFileSync(join(dir, 'own.yaml'), own);
      writeFileSync(join(dir, 'broken.yaml'), broken);
      app = await createTestApp({ planDirs: [dir] });
      await setChannelEndpoint(app.store.db, { channel: 'incident-channel', kind: 'slack', target: 'http://127.0.0.1:9/unused' }, app.time.now());
      const good = await reportIncident(app, 'own-escalation');
      const bad = await reportIncident(app, 'broken-escalation');
      app.time.advance(minutes(10));
      const { deliveries } = app;
      await app.scheduler.tick(app.time.now());
      const sent = await deliveries.list({ incidentId: good });
      expect(sent.filter((d) => d.clock === 'ack:escalation:1').map((d) => [d.subject, d.body.split('\n')[0]])).toEqual([[`PAGE 1: ${good}`, 'Wake up, Responder.']]);
      const badFired = (await firedEvents(app, bad)).filter((e) => e.data.clock === 'ack:escalation:1');
      expect(badFired.map((e) => e.data.notified)).toEqual([[]]);
      expect((await deliveries.list({ incidentId: bad })).filter((d) => d.clock === 'ack:escalation:1')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
