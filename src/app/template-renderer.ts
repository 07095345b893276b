/**
 * Renders the plan's message templates with LiquidJS in a sandbox: no file system (no
 * `include`/`render` of files), own properties only (no prototype walking), strict
 * filters, and limits on template size, render time and memory, because plan files come
 * from people and must not be able to read the server or hang it.
 */
import { Liquid } from 'liquidjs';
import type { Clock } from '../domain/clocks/clocks.js';
import { FirebreakError, fieldError } from '../domain/errors.js';
import { describeEvent } from '../domain/incident/describe.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentState } from '../domain/incident/state.js';
import { findPhase, findSeverity } from '../domain/plan/plan-rules.js';
import type { Plan } from '../domain/plan/plan-schema.js';

const engine = new Liquid({
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: false,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
});

/**
 * The same sandbox, strict about variables: a message composed to be sent must not print
 * nothing where the template expected a fact. `lenientIf` still lets `{% if x %}` and
 * `| default:` test for a variable that is absent, which is how templates mark optional parts.
 */
const strictEngine = new Liquid({
  templates: {},
  relativeReference: false,
  dynamicPartials: false,
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: true,
  lenientIf: true,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
});

export type TemplateContext = Record<string, unknown>;

export interface RenderedMessage {
  readonly subject: string | null;
  readonly body: string;
}

export function renderString(source: string, context: TemplateContext): string {
  try {
    return engine.parseAndRenderSync(source, context) as string;
  } catch (error) {
    throw new FirebreakError('FB_ERR_PLAN_INVALID', `template failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function renderPlanTemplate(plan: Plan, name: string, context: TemplateContext): RenderedMessage {
  const template = (plan.templates as Record<string, { subject?: string; body: string } | undefined>)[name];
  if (!template) throw new FirebreakError('FB_ERR_PLAN_INVALID', `plan ${plan.id} has no template "${name}"`);
  return {
    subject: template.subject ? renderString(template.subject, context).trim() : null,
    body: renderString(template.body, context).trim(),
  };
}

/**
 * Renders one part (subject or body) of a plan template for sending: an undefined variable
 * is an input error on `variables.<name>` that names it, so the sender knows which fact to supply.
 */
export function renderStrict(source: string, context: TemplateContext, what: string): string {
  try {
    return (strictEngine.parseAndRenderSync(source, context) as string).trim();
  } catch (error) {
    const missing = error instanceof Error ? /undefined variable: ([\w.-]+)/.exec(error.message)?.[1] : undefined;
    if (missing) throw fieldError('FB_ERR_MESSAGE_PLACEHOLDER', `variables.${missing}`, `${what} uses {{ ${missing} }}, which nothing fills; give it a value or edit the text`);
    throw new FirebreakError('FB_ERR_PLAN_INVALID', `template failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function durationText(fromIso: string | null, toIso: string | null): string | null {
  if (!fromIso || !toIso) return null;
  const minutes = Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * The variables every plan template can use; see the README's template section. `events`
 * become `timeline`; `timelineTotal` is how many events the window they were taken from
 * held (more than `events` when only the newest were read: see messages/template-timeline.ts).
 */
export function incidentTemplateContext(
  plan: Plan,
  state: IncidentState,
  clocks: readonly Clock[],
  events: readonly IncidentEventEnvelope[] = [],
  timelineTotal: number = events.length,
): TemplateContext {
  const severity = state.severity ? findSeverity(plan, state.severity) : undefined;
  const category = state.category ? plan.categories.find((c) => c.id === state.category) : undefined;
  const roles: Record<string, string> = {};
  for (const [role, holding] of Object.entries(state.roles)) roles[role] = holding.holder;
  const containedAt = state.phaseHistory.find((p, i) => i > 0 && /contain|recover|remediat|eradicat/i.test(p.phase))?.at ?? null;
  const sitrep = clocks.find((c) => c.id === 'sitrep');
  const ack = clocks.find((c) => c.id === 'ack');
  return {
    incident: {
      id: state.id,
      title: state.title,
      summary: state.summary,
      status: state.status,
      kind: state.kind,
      severity: state.severity,
      severityName: severity?.name ?? null,
      category: state.category,
      categoryName: category?.name ?? null,
      phase: state.phase,
      phaseName: findPhase(plan, state.phase)?.name ?? state.phase,
      reporter: state.reporter.anonymous ? 'anonymous' : state.reporter.name,
      reportedAt: state.reportedAt,
      declaredAt: state.declaredAt,
      acknowledgedAt: state.acknowledgedAt,
      resolvedAt: state.resolvedAt,
      closedAt: state.closedAt,
      planName: plan.name,
      drill: state.drill,
    },
    roles,
    responders: Object.values(roles).filter((v, i, all) => all.indexOf(v) === i).join(', '),
    clocks: { nextSitrepDue: sitrep?.dueAt ?? null, ackDue: ack?.dueAt ?? null },
    timeline: events.map((e) => ({ occurredAt: e.occurredAt, type: e.type, actor: e.actor, summary: describeEvent(e) })),
    timelineTotal: Math.max(timelineTotal, events.length),
    timelineTruncated: timelineTotal > events.length,
    metrics: {
      timeToAcknowledge: durationText(state.reportedAt, state.acknowledgedAt),
      timeToContain: durationText(state.reportedAt, containedAt),
      timeToResolve: durationText(state.reportedAt, state.resolvedAt),
    },
  };
}
