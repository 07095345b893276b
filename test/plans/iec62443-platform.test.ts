import { describe, expect, it } from 'vitest';
import { commanderRole, communicationsRole, requiredRoles } from '../../src/domain/plan/plan-rules.js';
import { expectWellFormed, item, loadPlan, phase, severity, templateText } from './plan-fixture.js';

const plan = loadPlan('iec62443-platform');

describe('plan iec62443-platform (seed 001)', () => {
  it('is well formed and its templates render', () => {
    expectWellFormed('iec62443-platform', plan);
  });

  it('has P0–P3 with response times < 1h, < 4h, < 24h, < 7d', () => {
    expect(plan.severities.map((s) => s.id)).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(plan.severities.map((s) => s.name)).toEqual(['Critical', 'High', 'Medium', 'Low']);
    expect(plan.severities.map((s) => s.respondWithin)).toEqual(['1h', '4h', '24h', '7d']);
    // Alerts are acknowledged within the response time of their severity.
    expect(plan.severities.map((s) => s.ackWithin)).toEqual(['1h', '4h', '24h', '7d']);
    expect(severity(plan, 'P0').examples).toHaveLength(3);
  });

  it('tells stakeholders about P0/P1 incidents', () => {
    expect(severity(plan, 'P0').notify).toEqual(['stakeholders']);
    expect(severity(plan, 'P1').notify).toEqual(['stakeholders']);
    expect(severity(plan, 'P2').notify).toEqual([]);
  });

  it('has IC, Security Lead, Communications Lead and Scribe', () => {
    expect(plan.roles.map((r) => r.id)).toEqual(['ic', 'security-lead', 'comms', 'scribe']);
    expect(commanderRole(plan).name).toBe('Incident Commander');
    expect(communicationsRole(plan)?.name).toBe('Communications Lead');
    expect(requiredRoles(plan, 'P3').map((r) => r.id)).toEqual(['ic', 'security-lead', 'scribe']);
    expect(requiredRoles(plan, 'P0').map((r) => r.id)).toEqual(['ic', 'security-lead', 'comms', 'scribe']);
  });

  it('runs the seven phases, ending with the update-controls loop', () => {
    expect(plan.phases.map((p) => p.id)).toEqual([
      'detection',
      'analysis',
      'containment',
      'eradication',
      'recovery',
      'review',
      'update-controls',
    ]);
    expect(phase(plan, 'update-controls').checklist.some((i) => i.required)).toBe(true);
  });

  it('splits containment into short-term and long-term items', () => {
    const ids = phase(plan, 'containment').checklist.map((i) => i.id);
    expect(ids.filter((id) => id.startsWith('short-'))).toHaveLength(4);
    expect(ids.filter((id) => id.startsWith('long-'))).toHaveLength(3);
    expect(item(plan, 'short-revoke-credentials').required).toBe(true);
  });

  it('preserves evidence before containment, with chain of custody', () => {
    for (const id of ['evidence-no-modify', 'evidence-ci-logs', 'evidence-git-history', 'evidence-images', 'evidence-access-logs', 'evidence-storage']) {
      expect(item(plan, id).phase).toBe('analysis');
    }
    expect(item(plan, 'evidence-storage').text).toMatch(/chain-of-custody/);
  });

  it('updates the VEX register during eradication and puts the GHSA before disclosure', () => {
    expect(item(plan, 'update-vex').phase).toBe('eradication');
    expect(item(plan, 'ghsa-before-disclosure').gates).toEqual(['advisory-publish']);
  });

  it('starts the GDPR Art. 33 clock when personal data is involved', () => {
    expect(plan.regulatory.find((r) => r.id === 'gdpr-art33')).toMatchObject({
      id: 'gdpr-art33',
      regulation: 'GDPR Art. 33',
      trigger: 'flag:personal-data',
      within: '72h',
    });
  });

  it('reports to ENISA under the Cyber Resilience Act from the regulatory library', () => {
    const cra = plan.regulatory.filter((r) => r.regulation.startsWith('Cyber Resilience Act'));
    expect(cra.map((r) => [r.id, r.trigger, r.within])).toEqual([
      ['cra-art14-vulnerability-early-warning', 'flag:actively-exploited', '24h'],
      ['cra-art14-vulnerability-notification', 'flag:actively-exploited', '72h'],
      ['cra-art14-vulnerability-final-report', 'flag:fix-available', '14d'],
      ['cra-art14-incident-early-warning', 'flag:severe-incident', '24h'],
      ['cra-art14-incident-notification', 'flag:severe-incident', '72h'],
      ['cra-art14-incident-final-report', 'filed:cra-art14-incident-notification', '1 month'],
    ]);
  });

  it('reviews within five business days and exercises quarterly', () => {
    expect(plan.clocks.retrospectiveDue).toBe('5 business days');
    expect(plan.clocks.retrospectiveFrom).toBe('resolved');
    expect(plan.clocks.tabletop).toBe('quarterly');
    expect(plan.clocks.planReview).toBe('1y');
  });

  it('carries the internal notification and external disclosure fields', () => {
    const internal = templateText(plan, 'internalNotification');
    for (const field of ['Security Incident]', 'Severity:', 'Status:', 'Incident Commander:', 'Affected Components:', 'Summary:', 'Current Actions:', 'Next Update:']) {
      expect(internal).toContain(field);
    }
    const external = templateText(plan, 'externalDisclosure');
    for (const field of ['Security Advisory]', 'Affected Versions:', 'Fixed Versions:', 'Severity:', '(CVSS:', 'Description:', 'Remediation:', 'Timeline:', 'Credit:']) {
      expect(external).toContain(field);
    }
    expect(plan.templates.externalDisclosure.reviewBeforeSend).toBe(true);
  });
});
