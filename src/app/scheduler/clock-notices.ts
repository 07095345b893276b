/**
 * Who is told when a clock fires, and what they are told. Recipients follow the plan:
 * an escalation rung goes to the holder of that rung's role, a sitrep reminder to the
 * Communications Officer when that role is held (else the IC), a shift warning to the
 * holder and the IC, and so on. A person is reached through their contact points; when a
 * role is unheld, or its holder has none, the plan audience for that role (an audience
 * with the role's id, else the audiences the severity notifies) is told on its channels.
 *
 * Messages come from the plan's templates when it has one for the purpose (`escalation`,
 * `sitrepReminder`, `shiftWarning`, `regulatoryReminder`, `clockReminder`), else from the
 * built-in wording below; a template marked `reviewBeforeSend` holds its messages for review.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../domain/clocks/clocks.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { commanderRole, communicationsRole, findSeverity } from '../../domain/plan/plan-rules.js';
import { localizeInstants } from '../../domain/messages/message-time.js';
import type { Plan, PlanTemplate } from '../../domain/plan/plan-schema.js';
import { CHANNEL_KINDS, type ChannelKind, type Destination } from '../../integrations/delivery/channel-senders.js';
import { channelEndpoint, destinationsOfUser } from '../../integrations/delivery/contact-points.js';
import type { NewDelivery } from '../../integrations/delivery/delivery-service.js';
import type { Database } from '../../store/database.js';
import { incidentTemplateContext, renderString } from '../template-renderer.js';
import type { ScheduledClock } from './schedule-store.js';

export interface Recipient {
  /** A handle, or `audience:<id>`. */
  readonly label: string;
  readonly destination: Destination;
}

export interface ClockNotice {
  /** `label (channel)` per recipient, for the `clock_fired` event. */
  readonly notified: string[];
  readonly messages: NewDelivery[];
}

const DEFAULT_TEMPLATES: Record<string, { subject: string; body: string }> = {
  escalation: {
    subject: '[escalation {{ clock.level }}] {{ incident.id }} is not acknowledged: {{ incident.title }}',
    body: [
      '{{ incident.id }} ({{ incident.title }}) was reported at {{ incident.reportedAt }} and nobody has acknowledged it.',
      'Acknowledgement was due by {{ clock.dueAt }}; this is escalation level {{ clock.level }}, to the {{ clock.roleName }}.',
      'Acknowledge it now: firebreak ack {{ incident.id }}',
    ].join('\n'),
  },
  sitrepReminder: {
    subject: '[sitrep due] {{ incident.id }}: {{ incident.title }}',
    body: [
      'The next situation report for {{ incident.id }} ({{ incident.severityName | default: "severity unknown" }}) was due at {{ clock.dueAt }} (every {{ clock.window }}).',
      '{% if links.incident %}Post it on the incident page: {{ links.incident }}{% else %}Post it: firebreak sitrep {{ incident.id }}{% endif %}',
    ].join('\n'),
  },
  shiftWarning: {
    subject: '[shift] {{ clock.holder }} has held {{ clock.roleName }} on {{ incident.id }} for over {{ clock.window }}',
    body: [
      '{{ clock.holder }} has been {{ clock.roleName }} on {{ incident.id }} since {{ clock.since }}, longer than the plan\'s shift limit of {{ clock.window }}.',
      'Plan a handoff: firebreak handoff {{ incident.id }} --role {{ clock.role }} --to <next person> --briefing "<state of play>"',
    ].join('\n'),
  },
  regulatoryReminder: {
    subject: '[deadline] {{ clock.label }} for {{ incident.id }} was due at {{ clock.dueAt }}',
    body: [
      '{{ clock.label }} for {{ incident.id }} ({{ incident.title }}) was due at {{ clock.dueAt }} ({{ clock.window }} after it started).',
      'When it is filed, record it: firebreak file-regulatory {{ incident.id }} {{ clock.clockId }} --reference <filing reference>',
    ].join('\n'),
  },
  clockReminder: {
    subject: '[overdue] {{ clock.label }} ({{ incident.id }})',
    body: '{{ clock.label }} on {{ incident.id }} ({{ incident.title }}) was due at {{ clock.dueAt }}.',
  },
};

function templateNameFor(kind: string): string {
  switch (kind) {
    case 'ack':
      return 'escalation';
    case 'sitrep':
      return 'sitrepReminder';
    case 'shift':
      return 'shiftWarning';
    case 'regulatory':
      return 'regulatoryReminder';
    default:
      return 'clockReminder';
  }
}

/** The roles a fired clock is meant for, most responsible first. */
function rolesToNotify(plan: Plan, state: IncidentState, clock: ScheduledClock): string[] {
  const ic = commanderRole(plan).id;
  const co = communicationsRole(plan)?.id;
  const role = clock.details.role;
  switch (clock.kind) {
    case 'ack':
      return role ? [role] : [ic];
    case 'sitrep':
      return co && state.roles[co] ? [co] : [ic];
    case 'shift':
      return role ? [role, ic] : [ic];
    case 'triage':
      return [plan.clocks.escalation.path[0] ?? ic];
    case 'regulatory':
      return co && state.roles[co] ? [ic, co] : [ic];
    default:
      return role ? [role] : [ic];
  }
}

function isDeliverable(kind: string): kind is ChannelKind {
  return (CHANNEL_KINDS as readonly string[]).includes(kind);
}

/** The plan audience that stands in for a role nobody (reachable) holds. */
export function audiencesFor(plan: Plan, state: Pick<IncidentState, 'severity'>, role: string): string[] {
  if (plan.audiences.some((a) => a.id === role)) return [role];
  const severity = state.severity ? findSeverity(plan, state.severity) : undefined;
  const notify = severity?.notify ?? plan.severities.find((s) => s.notify.length > 0)?.notify ?? [];
  if (notify.length > 0) return [...notify];
  const broadcast = plan.templates.broadcast.audience;
  return broadcast ? [broadcast] : [];
}

/** The configured endpoints of an audience's channels (server config first, then the plan). */
export async function audienceRecipients(trx: Transaction<Database> | Kysely<Database>, plan: Plan, audienceId: string): Promise<Recipient[]> {
  const audience = plan.audiences.find((a) => a.id === audienceId);
  const out: Recipient[] = [];
  for (const channelId of audience?.channels ?? []) {
    const configured = await channelEndpoint(trx, channelId);
    const declared = plan.channels.find((c) => c.id === channelId);
    const destination: Destination | undefined =
      configured ?? (declared?.target && isDeliverable(declared.kind) ? { channel: declared.kind, target: declared.target, secret: null } : undefined);
    if (destination) out.push({ label: `audience:${audienceId}`, destination });
  }
  return out;
}

async function recipientsFor(trx: Transaction<Database>, plan: Plan, state: IncidentState, clock: ScheduledClock): Promise<Recipient[]> {
  const found: Recipient[] = [];
  for (const role of rolesToNotify(plan, state, clock)) {
    const holder = state.roles[role]?.holder;
    const personal = holder ? await destinationsOfUser(trx, holder) : [];
    if (holder && personal.length > 0) {
      found.push(...personal.map((destination) => ({ label: holder, destination })));
      continue;
    }
    for (const audience of audiencesFor(plan, state, role)) found.push(...(await audienceRecipients(trx, plan, audience)));
  }
  return distinctRecipients(found);
}

/** Each destination once (two roles or audiences may share a channel). */
export function distinctRecipients(found: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return found.filter((r) => {
    const key = `${r.destination.channel} ${r.destination.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function render(plan: Plan, name: string, context: Record<string, unknown>): { subject: string | null; body: string; review: boolean } {
  const own = (plan.templates as Record<string, PlanTemplate | undefined>)[name];
  const source = own ?? DEFAULT_TEMPLATES[name] ?? DEFAULT_TEMPLATES['clockReminder']!;
  return {
    subject: source.subject ? renderString(source.subject, context).trim() : null,
    body: renderString(source.body, context).trim(),
    review: own?.reviewBeforeSend ?? false,
  };
}

export async function noticeFor(
  trx: Transaction<Database>,
  plan: Plan,
  state: IncidentState,
  /** The incident's clocks now (for the template context); called only when someone is told. */
  clocks: readonly Clock[] | (() => readonly Clock[]),
  clock: ScheduledClock,
  late: boolean,
  /** Recipients already resolved for this incident in this transaction, by kind and role. */
  cache: Map<string, Recipient[]> = new Map(),
  /** Where people open Firebreak, for links to the incident page. */
  publicUrl?: string,
): Promise<ClockNotice> {
  const cacheKey = `${clock.kind} ${clock.details.role ?? ''}`;
  let recipients = cache.get(cacheKey);
  if (!recipients) {
    recipients = await recipientsFor(trx, plan, state, clock);
    cache.set(cacheKey, recipients);
  }
  if (recipients.length === 0) return { notified: [], messages: [] };
  const role = clock.details.role;
  const context = {
    ...incidentTemplateContext(plan, state, typeof clocks === 'function' ? clocks() : clocks),
    clock: {
      key: clock.clockKey,
      clockId: clock.clockKey.startsWith('regulatory:') ? clock.clockKey.slice('regulatory:'.length) : clock.clockKey,
      kind: clock.kind,
      label: clock.details.label,
      dueAt: clock.dueAt,
      late,
      window: clock.details.window,
      level: clock.details.level ?? null,
      role,
      roleName: (role && plan.roles.find((r) => r.id === role)?.name) ?? role,
      holder: clock.details.holder ?? null,
      since: clock.details.since ?? null,
    },
  };
  const links = { incident: publicUrl ? `${publicUrl}/incidents/${encodeURIComponent(state.id)}` : null };
  const templateName = templateNameFor(clock.kind);
  const rendered = render(plan, templateName, { ...context, links });
  // A sitrep reminder is read by a person on a phone: times in the plan's zone, not ISO.
  const message =
    templateName === 'sitrepReminder'
      ? { ...rendered, subject: rendered.subject === null ? null : localizeInstants(rendered.subject, plan.timeZone), body: localizeInstants(rendered.body, plan.timeZone) }
      : rendered;
  return {
    notified: recipients.map((r) => `${r.label} (${r.destination.channel})`),
    messages: recipients.map((r) => ({
      incidentId: state.id,
      clock: clock.clockKey,
      template: templateName,
      recipient: r.label,
      destination: r.destination,
      subject: message.subject,
      body: message.body,
      review: message.review,
    })),
  };
}
