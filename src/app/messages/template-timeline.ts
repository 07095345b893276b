/**
 * The `timeline` a plan template is rendered with: bounded, so a message about an
 * incident with a million events reads a few hundred rows, not the log (bench/scaling.ts:
 * the sitrep draft of such an incident gave no answer within 120 s). A sitrep gets the
 * events since the previous sitrep, every other template the latest events; either way at
 * most `TEMPLATE_TIMELINE_LIMIT`, read with a SQL LIMIT. `total` says how many the window
 * held, so a template can write "… and N earlier events" (`timelineTotal`, `timelineTruncated`).
 */
import type { IncidentEventEnvelope } from '../../domain/incident/events.js';
import { deriveClocks } from '../../domain/clocks/clocks.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import type { IncidentService } from '../incident-service.js';
import { incidentTemplateContext, type TemplateContext } from '../template-renderer.js';

/** The most events a template's `timeline` holds (the newest of its window). */
export const TEMPLATE_TIMELINE_LIMIT = 200;

export interface TemplateTimeline {
  /** The newest events of the window, oldest first. */
  readonly events: readonly IncidentEventEnvelope[];
  /** How many events the window holds, shown or not. */
  readonly total: number;
}

export async function loadTemplateTimeline(
  incidents: Pick<IncidentService, 'timeline'>,
  state: IncidentState,
  templateName: string,
  limit: number = TEMPLATE_TIMELINE_LIMIT,
): Promise<TemplateTimeline> {
  let afterSeq = 0;
  if (templateName === 'sitrep' && state.sitreps.length > 0) {
    const [previous] = await incidents.timeline(state.id, { types: ['sitrep_posted'], latest: true, limit: 1 });
    afterSeq = previous?.seq ?? 0;
  }
  const events = await incidents.timeline(state.id, { afterSeq, latest: true, limit });
  // An incident's seqs run 1, 2, 3, … without gaps, so the newest one read tells how many the window holds.
  const newest = events[events.length - 1];
  return { events, total: newest ? newest.seq - afterSeq : 0 };
}

/** The variables a plan template about an incident is rendered with at `now`: its clocks and its bounded timeline. */
export async function loadIncidentTemplateContext(
  incidents: Pick<IncidentService, 'timeline'>,
  plan: Plan,
  state: IncidentState,
  templateName: string,
  now: Date,
): Promise<TemplateContext> {
  const timeline = await loadTemplateTimeline(incidents, state, templateName);
  return incidentTemplateContext(plan, state, deriveClocks(plan, state, now), timeline.events, timeline.total);
}
