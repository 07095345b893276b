import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';

const SCENARIO = readFileSync(join(import.meta.dirname, '../../fixtures/drill-credential-stuffing.yaml'), 'utf8');

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp({ start: '2026-03-02T10:00:00Z' });
});
afterEach(async () => {
  await app.close();
});

describe('drills', () => {
  it('start as a drill, deliver injects at their offsets and score the team against plan clocks and expected actions', async () => {
    const { incidentId, delivered } = await app.drills.start(SCENARIO, 'facilitator');
    expect(delivered).toBe(1);
    const state = await app.incidents.get(incidentId);
    expect(state).toMatchObject({ drill: true, kind: 'incident', severity: 'high', category: 'availability' });

    app.time.advance(minutes(5));
    await app.incidents.execute(incidentId, { type: 'acknowledge' }, { actor: 'pat' });
    app.time.advance(minutes(15)); // 10:20: the 15-minute inject is due
    expect(await app.drills.deliverDue(incidentId)).toBe(1);
    await app.incidents.execute(incidentId, { type: 'assign_role', role: 'ic', to: 'quinn' }, { actor: 'pat' }); // late (due 10:15)
    app.time.advance(minutes(30)); // 10:50
    expect(await app.drills.deliverAllDue()).toBe(1);
    expect(await app.drills.deliverAllDue()).toBe(0);
    await app.incidents.execute(incidentId, { type: 'post_sitrep', text: 'Investigating' }, { actor: 'quinn' });
    app.time.advance(minutes(100)); // 12:30: no containment flag

    const notes = (await app.incidents.timeline(incidentId)).filter((e) => e.type === 'note_added');
    expect(notes.map((n) => [n.occurredAt, n.actor])).toEqual([
      ['2026-03-02T10:00:00.000Z', 'drill'],
      ['2026-03-02T10:15:00.000Z', 'drill'],
      ['2026-03-02T10:45:00.000Z', 'drill'],
    ]);

    const report = await app.drills.report(incidentId);
    expect(report.expected.map((e) => [e.action, e.outcome])).toEqual([
      ['acknowledge', 'on_time'],
      ['assign:ic', 'late'],
      ['sitrep', 'on_time'],
      ['flag:contained', 'missed'],
    ]);
    const ack = report.clocks.find((c) => c.id === 'ack')!;
    expect(ack.outcome).toBe('on_time');
    const response = report.clocks.find((c) => c.id === 'response')!;
    expect(response.outcome).toBe('late'); // high: IC within 15 minutes
    expect(report.score).toBeCloseTo(report.onTime / report.scored, 10);
    expect(report.scored).toBeGreaterThan(4);
  });

  it('is excluded from real metrics and counted as a tabletop for plan upkeep', async () => {
    const { incidentId } = await app.drills.start(SCENARIO, 'facilitator');
    app.time.advance(minutes(30));
    await app.incidents.execute(incidentId, { type: 'acknowledge' }, { actor: 'pat' });
    const metrics = await app.metrics.report({});
    expect(metrics.overall.count).toBe(0);
    expect(metrics.drillsExcluded).toBe(1);
    expect((await app.metrics.operational()).activeDrills).toBe(1);
    const reminders = await app.upkeep.reminders('nist-team-procedures');
    void reminders; // nist-team-procedures sets no upkeep cadence
    expect(reminders).toEqual([]);
  });

  it('refuses an invalid scenario naming each problem, starting nothing', async () => {
    await expect(app.drills.start('title: x\nplan: nist-team-procedures\nseverity: high\ninjects: [{ at: soon, text: hi }]\nexpectedActions: [{ action: dance, within: 1h }]\n', 'f')).rejects.toMatchObject({
      code: 'FB_ERR_DRILL_SCENARIO_INVALID',
      fields: [{ path: 'injects.0.at' }, { path: 'expectedActions.0.action' }],
    });
    await expect(app.drills.start('title: [', 'f')).rejects.toMatchObject({ code: 'FB_ERR_DRILL_SCENARIO_INVALID' });
    expect(await app.incidents.list({})).toEqual([]);
  });
});

describe('plan upkeep', () => {
  it('000: reminds of the annual review and tabletop and the quarterly contact verification, from the last time each was done', async () => {
    let reminders = await app.upkeep.reminders('iso27001-library');
    expect(reminders.map((r) => [r.kind, r.dueAt, r.state])).toEqual([
      ['contactVerification', '2026-06-02T10:00:00.000Z', 'pending'],
      ['planReview', '2027-03-02T10:00:00.000Z', 'pending'],
      ['tabletop', '2027-03-02T10:00:00.000Z', 'pending'],
    ]);
    await app.upkeep.record('iso27001-library', 'contactVerification', 'sam', 'all numbers answered', '2026-05-20T09:00:00Z');
    app.time.set('2026-08-21T09:00:00Z');
    reminders = await app.upkeep.reminders('iso27001-library');
    expect(reminders[0]).toMatchObject({ kind: 'contactVerification', lastDoneAt: '2026-05-20T09:00:00.000Z', dueAt: '2026-08-20T09:00:00.000Z', state: 'overdue' });
    await expect(app.upkeep.record('iso27001-library', 'party', 'sam')).rejects.toMatchObject({ fields: [{ path: 'kind' }] });
  });

  it('diffs two stored plan versions by path, matching list entries by id', async () => {
    const base = await app.plans.get('iso27001-library');
    const changed = structuredClone(base) as typeof base;
    (changed as { version: string }).version = '9.0.0';
    changed.severities[0] = { ...changed.severities[0]!, ackWithin: '30m' };
    changed.phases[1]!.checklist.push({ id: 'timing-review', text: 'Review secret-dependent timing', required: false, gates: [] });
    changed.clocks = { ...changed.clocks, tabletop: 'quarterly' };
    await app.plans.register(changed, null);
    const diff = await app.upkeep.diff('iso27001-library', base.version, '9.0.0');
    expect(diff.map((d) => [d.path, d.change])).toEqual([
      ['clocks.tabletop', 'changed'],
      ['phases[containment].checklist[timing-review]', 'added'],
      ['severities[P1].ackWithin', 'changed'],
      ['version', 'changed'],
    ]);
    expect(diff[2]).toMatchObject({ before: base.severities[0]!.ackWithin, after: '30m' });
    expect((await app.upkeep.versions('iso27001-library')).map((v) => v.version)).toEqual([base.version, '9.0.0']);
    await expect(app.upkeep.diff('iso27001-library', base.version, '7.7.7')).rejects.toMatchObject({ code: 'FB_ERR_PLAN_NOT_FOUND' });
  });
});
