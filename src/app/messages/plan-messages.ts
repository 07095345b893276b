/**
 * Sending one of the plan's message templates (broadcast, sitrep, internal notification,
 * external disclosure, …) about an incident to the template's audience: rendered with
 * `renderPlanTemplate`, one delivery per configured channel of the audience, held for
 * review when the template says `reviewBeforeSend` (the external disclosure always is).
 */
import { fieldError } from '../../domain/errors.js';
import type { PlanTemplate } from '../../domain/plan/plan-schema.js';
import type { DeliveryRecord, DeliveryService } from '../../integrations/delivery/delivery-service.js';
import type { Store } from '../../store/store.js';
import type { IncidentService } from '../incident-service.js';
import { audienceRecipients } from '../scheduler/clock-notices.js';
import { renderPlanTemplate, type TemplateContext } from '../template-renderer.js';
import type { TimeSource } from '../time-source.js';
import { loadIncidentTemplateContext } from './template-timeline.js';

export interface PlanMessageDeps {
  readonly store: Store;
  readonly incidents: IncidentService;
  readonly deliveries: DeliveryService;
  readonly time: TimeSource;
}

/** Queues (or holds for review) the template's message to its audience; returns the records. */
export async function sendPlanTemplate(
  deps: PlanMessageDeps,
  incidentId: string,
  templateName: string,
  extra: TemplateContext = {},
  audienceOverride?: string,
): Promise<DeliveryRecord[]> {
  const state = await deps.incidents.get(incidentId);
  const plan = await deps.incidents.planOf(state);
  const template = (plan.templates as Record<string, PlanTemplate | undefined>)[templateName];
  if (!template) throw fieldError('FB_ERR_INPUT_INVALID', 'template', `plan ${plan.id} has no template "${templateName}" (${Object.keys(plan.templates).join(', ')})`);
  const audience = audienceOverride ?? template.audience;
  if (!audience) throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `template "${templateName}" names no audience; say which audience to send it to`);
  if (!plan.audiences.some((a) => a.id === audience)) {
    throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `"${audience}" is not an audience of plan ${plan.id} (${plan.audiences.map((a) => a.id).join(', ')})`);
  }
  const now = deps.time.now();
  const context = await loadIncidentTemplateContext(deps.incidents, plan, state, templateName, now);
  const rendered = renderPlanTemplate(plan, templateName, { ...context, ...extra });
  const ids = await deps.store.transaction(async (trx) => {
    const recipients = await audienceRecipients(trx, plan, audience);
    if (recipients.length === 0) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `audience "${audience}" has no deliverable channel configured; set one with firebreak channels set`);
    }
    return deps.deliveries.enqueue(
      trx,
      recipients.map((r) => ({
        incidentId,
        template: templateName,
        recipient: r.label,
        destination: r.destination,
        subject: rendered.subject,
        body: rendered.body,
        review: template.reviewBeforeSend,
      })),
      now,
    );
  });
  return Promise.all(ids.map((id) => deps.deliveries.get(id)));
}
