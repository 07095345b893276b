import { describe, expect, it } from 'vitest';
import { commanderRole, communicationsRole } from '../../src/domain/plan/plan-rules.js';
import { expectWellFormed, item, loadPlan, phase } from './plan-fixture.js';

const plan = loadPlan('community-disclosure');

describe('plan community-disclosure (seed 003)', () => {
  it('is well formed and its templates render', () => {
    expectWellFormed('community-disclosure', plan);
  });

  it('runs the four stages', () => {
    expect(plan.phases.map((p) => p.id)).toEqual([
      'discovery-assignment',
      'assessment-remediation',
      'disclosure-release',
      'retrospective',
    ]);
  });

  it('rates severity with the CVSS qualitative scale', () => {
    expect(plan.severities.map((s) => s.id)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(plan.severities.map((s) => s.description)).toEqual([
      'CVSS base score 9.0–10.0.',
      'CVSS base score 7.0–8.9.',
      'CVSS base score 4.0–6.9.',
      'CVSS base score 0.1–3.9.',
    ]);
    expect(item(plan, 'classify-cvss')).toMatchObject({ phase: 'assessment-remediation', required: true });
  });

  it('lets the Project Architect lead and the Board hear of every report', () => {
    expect(commanderRole(plan).id).toBe('architect');
    expect(communicationsRole(plan)?.id).toBe('architect');
    expect(plan.roles.map((r) => r.id)).toEqual(['architect', 'incident-manager', 'technical-resource', 'board']);
    for (const s of plan.severities) expect(s.notify).toEqual(['board']);
  });

  it('anonymises the intake on request and acknowledges the reporter', () => {
    expect(item(plan, 'open-issue').text).toMatch(/anonymised/);
    expect(phase(plan, 'discovery-assignment').checklist.map((i) => i.id)).toEqual(['open-issue', 'notify-board', 'acknowledge-reporter']);
  });

  it('identifies affected versions and adds a regression test', () => {
    expect(item(plan, 'affected-versions').required).toBe(true);
    expect(item(plan, 'regression-test').required).toBe(true);
    expect(item(plan, 'validate-fix').role).toBe('technical-resource');
  });

  it('needs a patch release and a CVE ID before the advisory is published', () => {
    expect(item(plan, 'patch-release').gates).toEqual(['advisory-publish']);
    expect(item(plan, 'obtain-cve').gates).toEqual(['advisory-publish']);
    expect(item(plan, 'consult-incident-manager').gates).toEqual(['advisory-publish']);
    expect(item(plan, 'disclosure-notice').phase).toBe('disclosure-release');
  });

  it('ends with the Board retrospective and the technical discussion', () => {
    expect(phase(plan, 'retrospective').checklist.map((i) => i.id)).toEqual(['board-retrospective', 'technical-discussion']);
    expect(plan.clocks.retrospectiveDue).toBe('2w');
  });
});
