/**
 * Shared helpers for the built-in plan tests: load a plan file through the real parser,
 * look things up by id, and check that every template parses and renders as LiquidJS.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { expect } from 'vitest';
import { parsePlanText } from '../../src/domain/plan/plan-parse.js';
import type { ChecklistItem, Phase, Plan, Role, Severity } from '../../src/domain/plan/plan-schema.js';

export function planPath(id: string): string {
  return fileURLToPath(new URL(`../../plans/${id}.yaml`, import.meta.url));
}

export function planText(id: string): string {
  return readFileSync(planPath(id), 'utf8');
}

export function loadPlan(id: string): Plan {
  const result = parsePlanText(planText(id));
  if (!result.ok) throw new Error(`plan ${id} does not parse: ${JSON.stringify(result.problems, null, 1)}`);
  return result.plan;
}

export function severity(plan: Plan, id: string): Severity {
  const found = plan.severities.find((s) => s.id === id);
  if (!found) throw new Error(`no severity ${id} in ${plan.id}`);
  return found;
}

export function role(plan: Plan, id: string): Role {
  const found = plan.roles.find((r) => r.id === id);
  if (!found) throw new Error(`no role ${id} in ${plan.id}`);
  return found;
}

export function phase(plan: Plan, id: string): Phase {
  const found = plan.phases.find((p) => p.id === id);
  if (!found) throw new Error(`no phase ${id} in ${plan.id}`);
  return found;
}

export function item(plan: Plan, id: string): ChecklistItem & { phase: string } {
  for (const p of plan.phases) {
    const found = p.checklist.find((i) => i.id === id);
    if (found) return { ...found, phase: p.id };
  }
  throw new Error(`no checklist item ${id} in ${plan.id}`);
}

/** A context shaped like the one the message renderer passes, filled in. */
export const SAMPLE_CONTEXT = {
  incident: {
    id: 'INC-2025-001',
    title: 'Timing side channel in key exchange',
    summary: 'A remote attacker can recover key bits.',
    status: 'active',
    kind: 'incident',
    severity: 'high',
    severityName: 'High',
    category: 'cryptographic',
    categoryName: 'Cryptographic',
    phase: 'containment',
    phaseName: 'Containment',
    reporter: 'anonymous',
    reportedAt: '2025-03-01T10:00:00Z',
    declaredAt: '2025-03-01T11:00:00Z',
    acknowledgedAt: '2025-03-01T10:30:00Z',
    resolvedAt: '2025-03-03T10:00:00Z',
    closedAt: '2025-03-04T10:00:00Z',
    planName: 'plan',
    drill: false,
  },
  roles: { ic: 'Alice', 'tech-lead': 'Bob' },
  clocks: { nextSitrepDue: '2025-03-01T12:00:00Z', ackDue: '2025-03-01T11:00:00Z' },
  timeline: [
    { occurredAt: '2025-03-01T10:00:00Z', type: 'reported', actor: 'anonymous', summary: 'Reported' },
    { occurredAt: '2025-03-01T11:00:00Z', type: 'declared', actor: 'alice', summary: 'Declared high' },
  ],
  metrics: { timeToAcknowledge: '30m', timeToContain: '4h', timeToResolve: '2d', timeToDiscovery: '1d' },
  advisory: {
    id: 'ADV-2025-001',
    title: 'Timing side channel',
    severity: 'High',
    cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', score: 5.9 },
    cve: 'CVE-2025-0001',
    summary: 'Key bits leak through timing.',
    impact: 'Session keys can be recovered.',
    affected: [{ package: 'lib', ecosystem: 'npm', introduced: '1.0.0', fixed: '1.4.2', ranges: '>=1.0.0 <1.4.2' }],
    affectedVersions: ['1.0.0 - 1.4.1'],
    fixedVersions: ['1.4.2'],
    components: ['kex'],
    mitigation: 'Disable the fast path.',
    resolution: 'Upgrade to 1.4.2.',
    credit: 'A. Researcher',
    timeline: [
      { date: '2025-03-01', label: 'Reported' },
      { date: '2025-03-03', label: 'Fixed' },
    ],
  },
  review: {
    rootCause: 'Data-dependent branch.',
    discoveryMethod: 'External report',
    threatActions: ['timing measurement'],
    wentWell: ['Fast triage'],
    toImprove: ['Constant-time tests'],
    whys: ['Branch on secret', 'No constant-time review'],
    actionItems: [{ title: 'Add dudect tests', owner: 'bob', due: '2025-04-01', status: 'open' }],
  },
};

/** Every template subject and body must parse, and render both with and without data. */
export function expectTemplatesRender(plan: Plan): void {
  const liquid = new Liquid();
  for (const [name, template] of Object.entries(plan.templates)) {
    for (const source of [template.subject, template.body]) {
      if (source === undefined) continue;
      expect(() => liquid.parse(source), `${plan.id} template ${name}`).not.toThrow();
      expect(() => liquid.parseAndRenderSync(source, {}), `${plan.id} template ${name} (empty)`).not.toThrow();
      const rendered = liquid.parseAndRenderSync(source, SAMPLE_CONTEXT);
      expect(rendered, `${plan.id} template ${name}`).not.toContain('[object Object]');
    }
  }
}

/** Checks that hold for every built-in plan. */
export function expectWellFormed(id: string, plan: Plan): void {
  expect(plan.id).toBe(id);
  expect(planText(id).split('\n')[0]).toBe('# yaml-language-server: $schema=./plan.schema.json');
  expect(plan.roles.filter((r) => r.commander)).toHaveLength(1);
  expect(plan.roles.filter((r) => r.communications)).toHaveLength(1);
  for (const p of plan.phases) expect(p.checklist.length, `phase ${p.id} has a checklist`).toBeGreaterThan(0);
  expectTemplatesRender(plan);
}

/** The text of a template, for field checks. */
export function templateText(plan: Plan, name: string): string {
  const template = plan.templates[name];
  if (!template) throw new Error(`no template ${name} in ${plan.id}`);
  return `${template.subject ?? ''}\n${template.body}`;
}
