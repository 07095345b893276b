/**
 * What a page says. Written for a phone at 3 a.m.: severity and title first, then the
 * two links (acknowledge, open the incident), then the deadlines in the reader's own time
 * zone — never raw ISO. A plan's own `escalation` template is used when it has one; the
 * acknowledge link is added below it when the template leaves it out, so every page
 * carries one.
 */
import type { Plan, PlanTemplate } from '../../domain/plan/plan-schema.js';
import { isKnownZone } from '../../domain/paging/wall-time.js';
import { formatForReader } from '../../domain/time/reader-time.js';
import { renderString, type TemplateContext } from '../template-renderer.js';

/** Stands for the acknowledge link until the page leaves the process (see ack-links.ts). */
export const ACK_LINK_PLACEHOLDER = '[[firebreak-ack-link]]';
export const PAGE_TEMPLATE = 'page';

const DEFAULT_PAGE = {
  subject: '[{{ incident.severityName | default: "not yet rated" }}] {{ incident.id }} needs you: {{ incident.title }}',
  body: [
    '{{ incident.id }}: {{ incident.title }}',
    'Severity: {{ incident.severityName | default: "not yet rated" }}. Reported {{ page.reportedAt }}; nobody has acknowledged it yet.',
    '{% if page.ackDue %}Acknowledgement due {{ page.ackDue }}.{% endif %} You are paged at level {{ page.level }}{% if page.pass > 1 %} (round {{ page.pass }}){% endif %}{% if page.policy %} of {{ page.policy }}{% endif %}.',
    '',
    'Acknowledge (stops the escalation): {{ page.ackUrl }}',
    'Open the incident: {{ page.incidentUrl }}',
  ].join('\n'),
};

export interface PageFacts {
  readonly incidentUrl: string;
  readonly reportedAt: string;
  readonly ackDueAt: string | null;
  readonly level: number;
  readonly pass: number;
  readonly policy: string | null;
  /** The reader's IANA zone. */
  readonly zone: string;
}

export function renderPage(plan: Plan, context: TemplateContext, facts: PageFacts): { subject: string | null; body: string; review: boolean } {
  const own = (plan.templates as Record<string, PlanTemplate | undefined>)['escalation'];
  const source = own ?? DEFAULT_PAGE;
  const zone = isKnownZone(facts.zone) ? facts.zone : 'UTC';
  const page = {
    ackUrl: ACK_LINK_PLACEHOLDER,
    incidentUrl: facts.incidentUrl,
    reportedAt: formatForReader(facts.reportedAt, zone),
    ackDue: facts.ackDueAt ? formatForReader(facts.ackDueAt, zone) : null,
    level: facts.level,
    pass: facts.pass,
    policy: facts.policy,
    zone,
  };
  const full = { ...context, page };
  let body = renderString(source.body, full).trim();
  if (!body.includes(ACK_LINK_PLACEHOLDER)) body += `\n\nAcknowledge (stops the escalation): ${ACK_LINK_PLACEHOLDER}\nOpen the incident: ${facts.incidentUrl}`;
  return { subject: source.subject ? renderString(source.subject, full).trim() : null, body, review: own?.reviewBeforeSend ?? false };
}
