/**
 * Messages composed from the plan's templates (broadcast, internal notification, external
 * disclosure, …) about an incident: previewed with every variable filled and times in the
 * plan's time zone, refused while an unfilled placeholder remains, held for review where
 * the template says `reviewBeforeSend` (an external disclosure always, by two people
 * other than its author), and then handed to the delivery outbox, one delivery per
 * channel of the audience. Submitting, approving and rejecting are events on the
 * incident's log; each delivery adds its own `message_sent` when it leaves.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable, Transaction } from 'kysely';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { localizeInstants } from '../../domain/messages/message-time.js';
import { describePlaceholders, findPlaceholders, type Placeholder } from '../../domain/messages/placeholder.js';
import type { Plan, PlanTemplate } from '../../domain/plan/plan-schema.js';
import { type DeliveryService, EXTERNAL_DISCLOSURE_TEMPLATE } from '../../integrations/delivery/delivery-service.js';
import type { Database, PlanMessagesTable } from '../../store/database.js';
import type { Store } from '../../store/store.js';
import type { IncidentService } from '../incident-service.js';
import { audienceRecipients } from '../scheduler/clock-notices.js';
import { renderStrict, renderString } from '../template-renderer.js';
import type { TimeSource } from '../time-source.js';
import { loadIncidentTemplateContext } from './template-timeline.js';

/** Templates with a flow of their own (sitreps, advisories, reports, clock notices) are not composed here. */
const NOT_COMPOSED = new Set(['sitrep', 'advisory', 'postIncidentReport', 'escalation', 'sitrepReminder', 'shiftWarning', 'regulatoryReminder', 'clockReminder', 'reporterUpdate']);

export interface ComposeInput {
  readonly template: string;
  /** Defaults to the template's audience. */
  readonly audience?: string;
  /** An edited subject or body replaces the rendered one (taken as written, not as a template). */
  readonly subject?: string;
  readonly body?: string;
  /** Values for template variables the incident does not fill (e.g. `details`, `impact`). */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface ComposedMessage {
  readonly incidentId: string;
  readonly template: string;
  readonly audience: string;
  readonly subject: string | null;
  readonly body: string;
  /** Template variables nothing fills: the send is refused until each has a value. */
  readonly missingVariables: readonly string[];
  /** Placeholders left in the subject or body: the send is refused while any remain. */
  readonly placeholders: readonly (Placeholder & { readonly field: 'subject' | 'body' })[];
  /** How many people other than the author must approve it (0: sent at once). */
  readonly approvalsNeeded: number;
  /** Where it goes: `kind target` per configured channel of the audience. */
  readonly recipients: readonly string[];
}

export interface PlanMessage {
  readonly id: string;
  readonly incidentId: string;
  readonly template: string;
  readonly audience: string;
  readonly subject: string | null;
  readonly body: string;
  readonly status: PlanMessagesTable['status'];
  readonly author: string;
  readonly approvalsNeeded: number;
  readonly approvedBy: readonly string[];
  readonly rejectedBy: string | null;
  readonly rejectReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function toMessage(row: Selectable<PlanMessagesTable>): PlanMessage {
  return {
    id: row.id,
    incidentId: row.incident_id,
    template: row.template,
    audience: row.audience,
    subject: row.subject,
    body: row.body,
    status: row.status,
    author: row.author,
    approvalsNeeded: Number(row.approvals_needed),
    approvedBy: row.approved_by ? row.approved_by.split(',') : [],
    rejectedBy: row.rejected_by,
    rejectReason: row.reject_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** How many reviewers a template needs: two for an external disclosure, one where the plan asks. */
export function approvalsNeeded(templateName: string, template: PlanTemplate): number {
  if (templateName === EXTERNAL_DISCLOSURE_TEMPLATE) return 2;
  return template.reviewBeforeSend ? 1 : 0;
}

export class MessageService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly deliveries: DeliveryService,
    private readonly time: TimeSource,
  ) {}

  /** The message as it would be sent, with what still blocks it; stores nothing. */
  async compose(incidentId: string, input: ComposeInput): Promise<ComposedMessage> {
    const state = await this.incidents.get(incidentId);
    const plan = await this.incidents.planOf(state);
    const { template, audience } = this.templateOf(plan, input);
    const base = await loadIncidentTemplateContext(this.incidents, plan, state, input.template, this.time.now());
    // Every role of the plan is a variable, null while unheld, so `roles.co | default: …` reads as written.
    const roles = { ...Object.fromEntries(plan.roles.map((r) => [r.id, null])), ...(base['roles'] as Record<string, string>) };
    const context = { ...base, roles, ...(input.variables ?? {}) };
    const missingVariables: string[] = [];
    const part = (given: string | undefined, source: string | undefined, what: string): string | null => {
      if (given !== undefined) return given;
      if (source === undefined) return null;
      try {
        return renderStrict(source, context, `the ${input.template} template's ${what}`);
      } catch (error) {
        if (!(error instanceof FirebreakError) || error.code !== 'FB_ERR_MESSAGE_PLACEHOLDER') throw error;
        missingVariables.push(...error.fields.map((f) => f.path.replace(/^variables\./, '')));
        return renderString(source, context).trim();
      }
    };
    const subjectText = part(input.subject, template.subject, 'subject');
    const subject = subjectText === null ? null : localizeInstants(subjectText, plan.timeZone);
    const body = localizeInstants(part(input.body, template.body, 'body') ?? '', plan.timeZone);
    const placeholders = [
      ...(subject === null ? [] : findPlaceholders(subject).map((p) => ({ ...p, field: 'subject' as const }))),
      ...findPlaceholders(body).map((p) => ({ ...p, field: 'body' as const })),
    ];
    const recipients = await this.store.transaction((trx) => audienceRecipients(trx, plan, audience));
    return {
      incidentId: state.id,
      template: input.template,
      audience,
      subject,
      body,
      missingVariables,
      placeholders,
      approvalsNeeded: approvalsNeeded(input.template, template),
      recipients: recipients.map((r) => `${r.destination.channel} ${r.destination.target}`),
    };
  }

  /** Sends the composed message (or puts it in the review queue); refuses one with a placeholder. */
  async send(incidentId: string, input: ComposeInput, actor: string): Promise<PlanMessage> {
    const composed = await this.compose(incidentId, input);
    const [missing] = composed.missingVariables;
    if (missing !== undefined) {
      throw fieldError('FB_ERR_MESSAGE_PLACEHOLDER', `variables.${missing}`, `the ${composed.template} template uses {{ ${missing} }}, which nothing fills; give it a value or edit the body`);
    }
    for (const field of ['subject', 'body'] as const) {
      const left = composed.placeholders.filter((p) => p.field === field);
      if (left.length > 0) throw fieldError('FB_ERR_MESSAGE_PLACEHOLDER', field, `still holds an unfilled placeholder (${describePlaceholders(left)}); fill it in before sending`);
    }
    const now = this.time.now().toISOString();
    const id = randomUUID();
    const review = composed.approvalsNeeded > 0;
    const row: Selectable<PlanMessagesTable> = {
      id,
      incident_id: composed.incidentId,
      template: composed.template,
      audience: composed.audience,
      subject: composed.subject,
      body: composed.body,
      status: review ? 'review' : 'sent',
      author: actor,
      approvals_needed: composed.approvalsNeeded,
      approved_by: '',
      rejected_by: null,
      reject_reason: null,
      created_at: now,
      updated_at: now,
    };
    const event: IncidentEvent = {
      type: 'message_submitted',
      data: { message: id, template: composed.template, audience: composed.audience, review, ...(composed.subject ? { subject: composed.subject } : {}) },
    };
    return this.commit(row, event, actor, !review);
  }

  /** One reviewer's approval; the last one needed releases the message to its audience. */
  async approve(messageId: string, actor: string): Promise<PlanMessage> {
    const message = await this.reviewable(messageId);
    if (message.author === actor) throw new FirebreakError('FB_ERR_MESSAGE_REVIEWER', `${actor} wrote message ${messageId}; someone else must approve it`);
    if (message.approvedBy.includes(actor)) throw new FirebreakError('FB_ERR_MESSAGE_REVIEWER', `${actor} already approved message ${messageId}; it needs a different person`);
    const approvedBy = [...message.approvedBy, actor];
    const done = approvedBy.length >= message.approvalsNeeded;
    const row = this.rowOf({ ...message, approvedBy, status: done ? 'sent' : 'review', updatedAt: this.time.now().toISOString() });
    return this.commit(row, { type: 'message_approved', data: { message: messageId, approvals: approvedBy.length, needed: message.approvalsNeeded } }, actor, done);
  }

  async reject(messageId: string, actor: string, reason: string): Promise<PlanMessage> {
    const text = reason.trim();
    if (!text) throw fieldError('FB_ERR_INPUT_INVALID', 'reason', 'say why the message is rejected, so its author can fix it');
    const message = await this.reviewable(messageId);
    const row = this.rowOf({ ...message, status: 'rejected', rejectedBy: actor, rejectReason: text, updatedAt: this.time.now().toISOString() });
    return this.commit(row, { type: 'message_rejected', data: { message: messageId, reason: text } }, actor, false);
  }

  async get(messageId: string): Promise<PlanMessage> {
    const row = await this.store.db.selectFrom('plan_messages').selectAll().where('id', '=', messageId).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_MESSAGE_NOT_FOUND', `no message ${messageId}`);
    return toMessage(row);
  }

  /** An incident's composed messages, newest first. */
  async list(incidentId: string): Promise<PlanMessage[]> {
    const rows = await this.store.db.selectFrom('plan_messages').selectAll().where('incident_id', '=', incidentId).orderBy('created_at', 'desc').orderBy('id').limit(200).execute();
    return rows.map(toMessage);
  }

  private templateOf(plan: Plan, input: ComposeInput): { template: PlanTemplate; audience: string } {
    const template = (plan.templates as Record<string, PlanTemplate | undefined>)[input.template];
    const composable = Object.keys(plan.templates).filter((name) => !NOT_COMPOSED.has(name));
    if (!template || NOT_COMPOSED.has(input.template)) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'template', `"${input.template}" is not a message template of plan ${plan.id}; use one of ${composable.join(', ')}`);
    }
    const audience = input.audience ?? template.audience;
    if (!audience) throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `template "${input.template}" names no audience; say which audience to send it to`);
    if (!plan.audiences.some((a) => a.id === audience)) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `"${audience}" is not an audience of plan ${plan.id} (${plan.audiences.map((a) => a.id).join(', ')})`);
    }
    return { template, audience };
  }

  private async reviewable(messageId: string): Promise<PlanMessage> {
    const message = await this.get(messageId);
    if (message.status !== 'review') throw new FirebreakError('FB_ERR_MESSAGE_NOT_IN_REVIEW', `message ${messageId} is ${message.status}, not waiting for review`);
    return message;
  }

  private rowOf(m: PlanMessage): Selectable<PlanMessagesTable> {
    return {
      id: m.id,
      incident_id: m.incidentId,
      template: m.template,
      audience: m.audience,
      subject: m.subject,
      body: m.body,
      status: m.status,
      author: m.author,
      approvals_needed: m.approvalsNeeded,
      approved_by: m.approvedBy.join(','),
      rejected_by: m.rejectedBy,
      reject_reason: m.rejectReason,
      created_at: m.createdAt,
      updated_at: m.updatedAt,
    };
  }

  /** Stores the message, appends its event and, when it may go, queues its deliveries: one transaction. */
  private async commit(row: Selectable<PlanMessagesTable>, event: IncidentEvent, actor: string, deliver: boolean): Promise<PlanMessage> {
    const now = this.time.now();
    // Read before the transaction: on SQLite a read outside it would wait for it to end.
    const plan = await this.incidents.planOf(await this.incidents.get(row.incident_id));
    const result = await this.store.transaction(async (trx) => {
      if (deliver) await this.enqueue(trx, plan, row, now);
      const { id, ...rest } = row;
      const updated = await trx.updateTable('plan_messages').set(rest).where('id', '=', id).where('status', '=', 'review').executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        if (event.type !== 'message_submitted') throw new FirebreakError('FB_ERR_MESSAGE_NOT_IN_REVIEW', `message ${id} was reviewed by someone else just now`);
        await trx.insertInto('plan_messages').values(row).execute();
      }
      return this.incidents.appendSystemEvents(trx, row.incident_id, [event], { actor, occurredAt: now.toISOString() });
    });
    if (result) this.incidents.publish(result);
    return toMessage(row);
  }

  private async enqueue(trx: Transaction<Database>, plan: Plan, row: Selectable<PlanMessagesTable>, now: Date): Promise<void> {
    const recipients = await audienceRecipients(trx, plan, row.audience);
    if (recipients.length === 0) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'audience', `audience "${row.audience}" has no deliverable channel configured; set one with firebreak channels set`);
    }
    const reviewedBy = row.approved_by || undefined;
    await this.deliveries.enqueue(
      trx,
      recipients.map((r) => ({
        incidentId: row.incident_id,
        template: row.template,
        recipient: r.label,
        destination: r.destination,
        subject: row.subject,
        body: row.body,
        review: false,
        ...(reviewedBy ? { reviewedBy } : {}),
      })),
      now,
    );
  }
}
