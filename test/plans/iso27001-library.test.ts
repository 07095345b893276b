import { describe, expect, it } from 'vitest';
import { commanderRole, communicationsRole, itemDueOffset } from '../../src/domain/plan/plan-rules.js';
import { expectWellFormed, item, loadPlan, phase, role, severity, templateText } from './plan-fixture.js';

const plan = loadPlan('iso27001-library');

describe('plan iso27001-library (seed 000)', () => {
  it('is well formed and its templates render', () => {
    expectWellFormed('iso27001-library', plan);
  });

  it('has P1–P4, most severe first, with the stated response times', () => {
    expect(plan.severities.map((s) => s.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(plan.severities.map((s) => s.name)).toEqual(['Critical', 'High', 'Medium', 'Low']);
    // P1 is "Immediate" in the source: a one-hour bound.
    expect(severity(plan, 'P1').respondWithin).toBe('1h');
    expect(severity(plan, 'P2').respondWithin).toBe('24h');
    expect(severity(plan, 'P3').respondWithin).toBe('72h');
    expect(severity(plan, 'P4').respondWithin).toBe('1 week');
  });

  it('acknowledges reports within 48 hours, never later than the response time', () => {
    expect(severity(plan, 'P1').ackWithin).toBe('1h');
    expect(severity(plan, 'P2').ackWithin).toBe('24h');
    expect(severity(plan, 'P3').ackWithin).toBe('48h');
    expect(severity(plan, 'P4').ackWithin).toBe('48h');
    expect(plan.clocks.triageWithin).toBe('48h');
  });

  it('has the six categories of section 2.2', () => {
    expect(plan.categories.map((c) => c.id)).toEqual([
      'cryptographic',
      'memory-safety',
      'authentication',
      'supply-chain',
      'infrastructure',
      'information-disclosure',
    ]);
  });

  it('has the team, the Incident Commander and the escalation path', () => {
    expect(plan.roles.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Incident Commander', 'Technical Lead', 'Communications Lead', 'Release Manager', 'Security Lead', 'Project Owner']),
    );
    expect(commanderRole(plan).id).toBe('ic');
    expect(communicationsRole(plan)?.id).toBe('comms');
    expect(plan.clocks.escalation.path).toEqual(['security-lead', 'ic', 'project-owner']);
    expect(role(plan, 'ic').name).toBe('Incident Commander');
  });

  it('runs five phases in order', () => {
    expect(plan.phases.map((p) => p.id)).toEqual(['detection', 'containment', 'eradication', 'recovery', 'lessons-learned']);
  });

  it('merges both containment tables into one checklist with per-severity dues', () => {
    const confirm = item(plan, 'confirm-vulnerability');
    expect(confirm.phase).toBe('containment');
    expect(confirm.required).toBe(true);
    expect(confirm.role).toBe('tech-lead');
    expect(confirm.due).toEqual({ P1: '2h', P2: '2h', P3: '24h', P4: '24h' });
    expect(item(plan, 'assess-exploitation')).toMatchObject({ role: 'security-lead', due: { P1: '4h', P2: '4h' } });
    expect(item(plan, 'temporary-mitigation')).toMatchObject({ role: 'tech-lead', due: { P1: '8h', P2: '8h' } });
    expect(item(plan, 'notify-affected-users')).toMatchObject({ role: 'comms', due: { P1: '12h', P2: '12h' } });
    expect(item(plan, 'document-mitigations')).toMatchObject({ role: 'tech-lead', due: { P3: '48h', P4: '48h' } });
    expect(item(plan, 'plan-fix-release')).toMatchObject({ role: 'release-manager', due: { P3: '72h', P4: '72h' } });
    expect(itemDueOffset(confirm, 'P2')).toMatchObject({ amount: 2, unit: 'hour' });
    expect(itemDueOffset(confirm, 'P4')).toMatchObject({ amount: 24, unit: 'hour' });
    expect(itemDueOffset(item(plan, 'assess-exploitation'), 'P3')).toBeUndefined();
  });

  it('has the four eradication steps as required items', () => {
    expect(phase(plan, 'eradication').checklist.filter((i) => i.required).map((i) => i.id)).toEqual([
      'root-cause-analysis',
      'fix-implementation',
      'fix-review',
      'fix-testing',
    ]);
  });

  it('gates the advisory on the six release-checklist items', () => {
    const gated = plan.phases.flatMap((p) => p.checklist).filter((i) => i.gates.includes('advisory-publish'));
    expect(gated.map((i) => i.id)).toEqual([
      'fix-merged',
      'version-incremented',
      'platforms-built',
      'artifacts-signed',
      'advisory-prepared',
      'comms-plan-ready',
    ]);
    for (const i of gated) expect(i.required).toBe(true);
    expect(item(plan, 'publish-advisory').gates).toEqual([]);
  });

  it('has the review and maintenance clocks', () => {
    expect(plan.clocks.retrospectiveDue).toBe('2w');
    expect(plan.clocks.retrospectiveFrom).toBe('closed');
    expect(plan.clocks.planReview).toBe('1y');
    expect(plan.clocks.tabletop).toBe('1y');
    expect(plan.clocks.contactVerification).toBe('quarterly');
  });

  it('restricts incidents to need-to-know and numbers advisories ESA-YYYY-XXX', () => {
    expect(plan.warRoom).toBe(true);
    expect(plan.advisory?.idPattern).toBe('ESA-{year}-{seq:3}');
  });

  it('has the audiences and channels of section 5.3', () => {
    expect(plan.audiences.map((a) => a.id)).toEqual(expect.arrayContaining(['reporter', 'users', 'community', 'media']));
    expect(plan.channels.map((c) => c.id)).toEqual(
      expect.arrayContaining(['reporter-email', 'github-advisory', 'release-notes', 'official-statement']),
    );
  });

  it('carries the fields of the reporting, post-incident and advisory templates', () => {
    const report = templateText(plan, 'internalNotification');
    for (const field of ['Date Reported', 'Reporter', 'Severity', 'Category', 'Description', 'Affected Versions', 'Reproduction Steps', 'Potential Impact', 'Initial Assessment']) {
      expect(report).toContain(field);
    }
    const pir = templateText(plan, 'postIncidentReport');
    for (const field of ['Incident ID', 'Severity', 'Date Closed', 'Summary', '| Time | Event |', 'Root Cause', 'Impact', 'Resolution', 'Lessons Learned', '| Action | Owner | Due Date | Status |']) {
      expect(pir).toContain(field);
    }
    const advisory = templateText(plan, 'advisory');
    for (const field of ['Advisory ID', 'Severity', 'CVE', 'Affected Versions', 'Fixed Version', 'Summary', 'Impact', 'Affected Components', 'Mitigation', 'Resolution', 'Credit', 'Timeline']) {
      expect(advisory).toContain(field);
    }
  });
});
