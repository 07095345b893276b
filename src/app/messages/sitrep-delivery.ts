/**
 * A posted sitrep goes to the people the plan says should hear about an incident of its
 * severity: the audiences the severity notifies (else the sitrep template's audience), on
 * each of their configured channels. The deliveries are written in the transaction that
 * records the sitrep (the outbox), so a sitrep is never posted without them, nor sent twice.
 */
import type { TransactionalProjection } from '../incident-service.js';
import { findSeverity } from '../../domain/plan/plan-rules.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { localizeInstants } from '../../domain/messages/message-time.js';
import type { DeliveryService, NewDelivery } from '../../integrations/delivery/delivery-service.js';
import type { PlanCatalog } from '../plan-catalog.js';
import { audienceRecipients } from '../scheduler/clock-notices.js';
import { incidentTemplateContext, renderString } from '../template-renderer.js';

/** The audiences a sitrep of `state` goes to. */
export function sitrepAudiences(plan: Plan, state: IncidentState): string[] {
  const severity = state.severity ? findSeverity(plan, state.severity) : undefined;
  if (severity && severity.notify.length > 0) return [...severity.notify];
  const own = plan.templates.sitrep.audience;
  return own ? [own] : [];
}

export function sitrepDeliveryProjection(plans: PlanCatalog, deliveries: DeliveryService): TransactionalProjection {
  return {
    name: 'sitrep-delivery',
    async project(trx, state, events) {
      const posted = events.filter((e) => e.type === 'sitrep_posted');
      if (posted.length === 0) return;
      const plan = await plans.get(state.planId, state.planVersion, trx);
      const template = plan.templates.sitrep;
      const subjectSource = template.subject ?? '[sitrep] {{ incident.id }}: {{ incident.title }}';
      const subject = localizeInstants(renderString(subjectSource, incidentTemplateContext(plan, state, [])).trim(), plan.timeZone);
      const messages: NewDelivery[] = [];
      for (const audience of sitrepAudiences(plan, state)) {
        for (const r of await audienceRecipients(trx, plan, audience)) {
          for (const event of posted) {
            if (event.type !== 'sitrep_posted') continue;
            messages.push({
              incidentId: state.id,
              template: 'sitrep',
              recipient: r.label,
              destination: r.destination,
              subject,
              body: localizeInstants(event.data.text, plan.timeZone),
              review: template.reviewBeforeSend,
            });
          }
        }
      }
      if (messages.length > 0) await deliveries.enqueue(trx, messages, new Date(posted[0]!.recordedAt));
    },
  };
}
