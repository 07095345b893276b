import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/http/server.js';
import { iso27001Incident, nistTeamIncident } from '../../support/after-fixtures.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
let isoId: string;
let nistId: string;

beforeAll(async () => {
  app = await createTestApp();
  isoId = await iso27001Incident(app);
  nistId = await nistTeamIncident(app);
  // A drill with a very slow acknowledgement: it must not move any figure.
  app.time.set('2026-03-04T09:00:00Z');
  const drill = await app.incidents.report('nist-team-procedures', { type: 'report', title: 'Tabletop: ransomware', reporter: { anonymous: false, name: 'x' }, drill: true }, { actor: 'x' });
  await app.incidents.execute(drill.state.id, { type: 'triage', decision: 'confirm', severity: 'low' }, { actor: 'x' });
  app.time.set('2026-03-04T15:00:00Z');
  await app.incidents.execute(drill.state.id, { type: 'acknowledge' }, { actor: 'x' });
  // A false alarm: counted as such, not as an incident.
  const alarm = await app.incidents.report('nist-team-procedures', { type: 'report', title: 'Maintenance window', reporter: { anonymous: false, name: 'y' } }, { actor: 'y' });
  await app.incidents.execute(alarm.state.id, { type: 'triage', decision: 'dismiss', reason: 'planned maintenance' }, { actor: 'y' });
  app.time.set('2026-04-01T12:00:00Z');
});

afterAll(async () => {
  await app.close();
});

const MIN = 60_000;

describe('metrics across incidents', () => {
  it('equal the figures computed by hand from the fixture logs', async () => {
    const report = await app.metrics.report({ from: '2026-03-01', to: '2026-04-01' });
    expect(report.drillsExcluded).toBe(1);
    expect(report.falseAlarms).toBe(1);
    const o = report.overall;
    expect(o.count).toBe(2);
    // TTA: 40 min (000) and 6 min (002).
    expect(o.mttaMs).toBe(23 * MIN);
    // TTC: 5 h (000, left containment at 14:00) and 1 h 30 min (002, contained flag at 10:30).
    expect(o.meanContainMs).toBe(195 * MIN);
    expect(o.p90ContainMs).toBe(300 * MIN);
    // TTR: 2 d 7 h = 3300 min (000) and 4 h = 240 min (002).
    expect(o.meanResolveMs).toBe(1770 * MIN);
    expect(o.p90ResolveMs).toBe(3300 * MIN);
    // 002's sitreps (hourly from 09:04): 10:00 and 11:00 on time, 12:30 late (due 12:00); none owed after.
    expect([o.sitrepsOwed, o.sitrepsOnTime]).toEqual([3, 2]);
    expect(o.sitrepPunctuality).toBeCloseTo(2 / 3, 10);
    // Both acknowledged within their plan's window (24 h for P2, 10 min for high).
    expect(o.sla.ack).toEqual({ onTime: 2, late: 0, missed: 0, compliance: 1 });
    // Both reviews completed before their due dates.
    expect(o.sla.retrospective).toEqual({ onTime: 2, late: 0, missed: 0, compliance: 1 });
    // 000: confirm (2 h) and mitigation (8 h) on time, exploitation (4 h) and user notice (12 h) never done;
    // 002: the 3-hour long-remediation plan never done.
    expect(o.sla.checklist).toEqual({ onTime: 2, late: 0, missed: 3, compliance: 0.4 });
    // On 2026-04-01: 000's plan item (due 04-15) is not overdue; 002's rate-limit item (due 03-20) is.
    expect(o.actionItemsOverdue).toBe(1);
    expect(Object.keys(report.bySeverity).sort()).toEqual(['P2', 'high']);
    expect(report.bySeverity['high']!.mttaMs).toBe(6 * MIN);
    expect(report.byPlan['iso27001-library']!.count).toBe(1);
    expect(report.byCategory['availability']!.count).toBe(1);
  });

  it('a period that holds only the drill has no incidents', async () => {
    const report = await app.metrics.report({ from: '2026-03-04T08:00:00Z', to: '2026-03-04T10:00:00Z' });
    expect(report.overall.count).toBe(0);
    expect(report.overall.mttaMs).toBeNull();
    expect(report.drillsExcluded).toBe(1);
  });

  it('exports CSV, one row per group, durations in minutes', async () => {
    const csv = await app.metrics.csv({ from: '2026-03-01', to: '2026-04-01' });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^group,key,count,open,mtta_min,mean_contain_min,p90_contain_min,mean_resolve_min,p90_resolve_min,sla_ack,/);
    expect(lines[1]).toMatch(/^overall,all,2,0,23\.0,195\.0,300\.0,1770\.0,3300\.0,1\.000,/);
    expect(lines.some((l) => l.startsWith('plan,nist-team-procedures,1,'))).toBe(true);
  });

  it('refuses a bad period naming the field', async () => {
    await expect(app.metrics.report({ from: 'last week' })).rejects.toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'from' }] });
    await expect(app.metrics.report({ from: '2026-04-01', to: '2026-03-01' })).rejects.toMatchObject({ fields: [{ path: 'to' }] });
  });

  it('serves Prometheus gauges at /metrics over loopback HTTP', async () => {
    const open = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Open one', reporter: { anonymous: true } }, { actor: 'z' });
    await app.incidents.execute(open.state.id, { type: 'triage', decision: 'confirm', severity: (await app.plans.get('nist-800-61r3')).severities[0]!.id }, { actor: 'z' });
    const server = await buildServer({ app, logger: false });
    await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      const text = await response.text();
      expect(text).toContain('# TYPE firebreak_open_incidents gauge');
      expect(text).toMatch(/firebreak_open_incidents\{severity="[^"]+"\} 1/);
      expect(text).toContain('firebreak_action_items_overdue 1');
      expect(text).toContain('firebreak_active_drills 1');
      expect(text).toContain('firebreak_evidence_items 2');
    } finally {
      await server.close();
    }
    void isoId;
    void nistId;
  });
});
