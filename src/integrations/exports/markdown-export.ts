/**
 * Markdown from the plan's own `advisory` template, so each team's advisory reads the way
 * its plan says. This module builds the `advisory` variables the templates use
 * (documented in the plans) beside the incident's variables.
 */
import { vulnerableRange } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryDocument } from '../../domain/advisory/advisory-document.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import { renderPlanTemplate, type TemplateContext } from '../../app/template-renderer.js';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function advisoryTemplateContext(doc: AdvisoryDocument): TemplateContext {
  const c = doc.content;
  const primary = doc.cvss.v4 ?? doc.cvss.v3;
  return {
    id: doc.id,
    title: c.title,
    summary: c.summary ?? null,
    impact: c.impact ?? null,
    components: c.components,
    cwes: c.cwes.map((w) => (w.name ? `${w.id}: ${w.name}` : w.id)),
    cve: c.cve?.startsWith('CVE-') ? c.cve : c.cve === 'reserved' ? 'requested' : null,
    severity: doc.severity ? capitalise(doc.severity) : null,
    cvss: {
      score: primary?.baseScore ?? null,
      vector: primary?.vector ?? null,
      v3: doc.cvss.v3 ? { score: doc.cvss.v3.baseScore, vector: doc.cvss.v3.vector } : null,
      v4: doc.cvss.v4 ? { score: doc.cvss.v4.baseScore, vector: doc.cvss.v4.vector } : null,
    },
    affectedVersions: c.packages.map((p) => `${p.name} ${vulnerableRange(p)}`),
    fixedVersions: c.packages.filter((p) => p.fixed).map((p) => `${p.name} ${p.fixed}`),
    affected: c.packages.map((p) => ({ package: p.name, ecosystem: p.ecosystem, ranges: vulnerableRange(p), introduced: p.introduced, fixed: p.fixed ?? null })),
    mitigation: c.mitigation ?? null,
    resolution: c.resolution ?? null,
    credit: doc.credit,
    references: c.references.map((r) => r.url),
    timeline: doc.timeline.map((t) => ({ label: t.label, date: t.date, at: t.at })),
    revision: doc.revision,
    published: doc.status === 'final' ? doc.initialReleaseAt : null,
    updated: doc.currentReleaseAt,
  };
}

/** Renders the plan's `advisory` template; `incidentContext` holds the incident variables. */
export function toMarkdown(plan: Plan, doc: AdvisoryDocument, incidentContext: TemplateContext = {}): string {
  const rendered = renderPlanTemplate(plan, 'advisory', { ...incidentContext, advisory: advisoryTemplateContext(doc) });
  return `${rendered.body}\n`;
}
