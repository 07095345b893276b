import { describe, expect, it } from 'vitest';
import { commanderRole, communicationsRole } from '../../src/domain/plan/plan-rules.js';
import { expectWellFormed, item, loadPlan, role, severity, templateText } from './plan-fixture.js';

const plan = loadPlan('nist-team-procedures');

describe('plan nist-team-procedures (seed 002)', () => {
  it('is well formed and its templates render', () => {
    expectWellFormed('nist-team-procedures', plan);
  });

  it('has high, medium and low severities', () => {
    expect(plan.severities.map((s) => s.id)).toEqual(['high', 'medium', 'low']);
  });

  it('escalates a report nobody acknowledges within 10 minutes', () => {
    for (const s of plan.severities) expect(s.ackWithin).toBe('10m');
    expect(plan.clocks.escalation.after).toBe('10m');
    expect(plan.clocks.escalation.path.length).toBeGreaterThan(0);
  });

  it('gives five minutes to tell an event from a false alarm', () => {
    expect(plan.clocks.triageWithin).toBe('5m');
  });

  it('shares sitreps hourly, twice daily and daily', () => {
    expect(severity(plan, 'high').sitrepEvery).toBe('1h');
    expect(severity(plan, 'medium').sitrepEvery).toBe('12h');
    expect(severity(plan, 'low').sitrepEvery).toBe('1d');
  });

  it('states a disruption policy per severity', () => {
    expect(severity(plan, 'high').disruption).toMatch(/no permission/i);
    expect(severity(plan, 'medium').disruption).toMatch(/unreachable for an hour/i);
    expect(severity(plan, 'low').disruption).toMatch(/agreed/i);
  });

  it('limits shifts to three hours', () => {
    expect(plan.clocks.shiftMax).toBe('3h');
    expect(item(plan, 'long-remediation-plan').due).toEqual({ default: '3h' });
  });

  it('has Responder, First Responder, Incident Commander and Communications Officer', () => {
    expect(plan.roles.map((r) => r.id)).toEqual(['responder', 'first-responder', 'ic', 'co']);
    expect(commanderRole(plan).name).toBe('Incident Commander');
    expect(communicationsRole(plan)?.name).toBe('Communications Officer');
    expect(role(plan, 'ic').requiredFrom).toBe('low');
  });

  it('describes the explicit handoff ceremony in the duties of the roles that hand off', () => {
    for (const id of ['responder', 'ic', 'co']) {
      expect(role(plan, id).duties.some((d) => d.startsWith('Handoff ceremony') && d.includes('15–20 minutes'))).toBe(true);
    }
    expect(plan.templates.handoffSitrep).toBeDefined();
  });

  it('follows the six steps, each with at least one required item', () => {
    expect(plan.phases.map((p) => p.id)).toEqual(['breathe', 'document', 'initiate', 'assess', 'remediate', 'conclude']);
    for (const p of plan.phases) expect(p.checklist.some((i) => i.required), `phase ${p.id}`).toBe(true);
  });

  it('carries the broadcast and sitrep fields', () => {
    const broadcast = templateText(plan, 'broadcast');
    for (const field of ['Description', 'Status', 'Severity', 'Reporter', 'IC', 'Responders', 'Details']) {
      expect(broadcast).toContain(`**${field}**`);
    }
    const sitrep = templateText(plan, 'sitrep');
    for (const field of ['Subject', 'Severity', 'IC', 'Responders', 'Description']) {
      expect(sitrep).toContain(`**${field}**`);
    }
    expect(sitrep).toContain('[sitrep]');
  });

  it('reports the response metrics in the incident report', () => {
    const report = templateText(plan, 'postIncidentReport');
    expect(report).toContain('review.discoveryMethod');
    expect(report).toContain('metrics.timeToDiscovery');
    expect(report).toContain('metrics.timeToContain');
    expect(report).toContain('review.threatActions');
    expect(report).toContain('Cause analysis');
  });
});
