/**
 * The pager: the one escalation mechanism. When an `ack:escalation:<step>` row fires, it
 * resolves that step's level of the plan's policy (or the plan's role path, read as a
 * policy) to people at that instant — a vacant role, a schedule in a gap, or a person with
 * no contact point falls through to the next level at once — and queues one page per
 * contact point of each person, in their order. The fired event names the next step and
 * when it is due (now + the paged level's wait), and the schedule writes that row; an
 * acknowledgement cancels it, so escalation stops everywhere at once.
 *
 * When no level from the step on reaches anyone, the plan audiences stand in (as the
 * clock notices always did) and the next step is still scheduled, so a role filled later
 * is paged then.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../../domain/clocks/clocks.js';
import type { IncidentState } from '../../domain/incident/state.js';
import {
  type EscalationPolicy,
  type EscalationTarget,
  type LevelResolution,
  resolveLevel,
  rolePathPolicy,
  type TargetAnswer,
  waitMs,
} from '../../domain/paging/escalation-policy.js';
import { commanderRole } from '../../domain/plan/plan-rules.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import type { Destination } from '../../integrations/delivery/channel-senders.js';
import type { NewDelivery } from '../../integrations/delivery/delivery-service.js';
import type { OutboundMessage } from '../../integrations/delivery/message-payloads.js';
import type { Database } from '../../store/database.js';
import type { Store } from '../../store/store.js';
import { audienceRecipients, audiencesFor, distinctRecipients } from '../scheduler/clock-notices.js';
import type { ScheduledClock } from '../scheduler/schedule-store.js';
import { incidentTemplateContext } from '../template-renderer.js';
import { ackLinkTtlMs, mintAckLink } from './ack-links.js';
import type { OnCallLookup } from './on-call-lookup.js';
import { ACK_LINK_PLACEHOLDER, PAGE_TEMPLATE, renderPage } from './page-message.js';
import { findPolicy } from './policy-store.js';

type Db = Transaction<Database> | Store['db'];

export interface PagerSettings {
  /** Where links in pages point: FIREBREAK_PUBLIC_URL, else the server's own address. */
  readonly baseUrl?: string;
  readonly ackLinkTtlMs?: number;
}

/** What one fired step did: for the `clock_fired` event, and the pages to queue. */
export interface StepOutcome {
  readonly notified: string[];
  readonly messages: NewDelivery[];
  readonly level: number;
  readonly pass: number;
  readonly policy?: string;
  readonly fellThrough: { level: number; reason: string }[];
  readonly next: { step: number; at: string } | null;
}

/** The policy a plan escalates by: its named policy when the server has it, else its role path. */
export interface PlanPolicy {
  readonly policy: Pick<EscalationPolicy, 'levels' | 'repeat'>;
  readonly id?: string;
  /** Set when the plan names a policy this server does not have. */
  readonly missing?: string;
}

export class Pager {
  private baseUrlSet: string | undefined;
  private readonly ttlMs: number;

  constructor(
    private readonly schedules: OnCallLookup | undefined,
    settings: PagerSettings = {},
  ) {
    this.baseUrlSet = settings.baseUrl;
    this.ttlMs = settings.ackLinkTtlMs ?? ackLinkTtlMs();
  }

  /** The server tells the pager its own address when FIREBREAK_PUBLIC_URL is unset. */
  setOwnAddress(url: string): void {
    this.baseUrlSet ??= url;
  }

  baseUrl(): string {
    return (process.env['FIREBREAK_PUBLIC_URL'] ?? this.baseUrlSet ?? 'http://localhost:3000').replace(/\/+$/, '');
  }

  async policyOf(db: Db, plan: Plan): Promise<PlanPolicy> {
    const { policy: id, path, after } = plan.clocks.escalation;
    if (id) {
      const found = await findPolicy(db, id);
      if (found) return { policy: found, id };
      return { policy: rolePathPolicy(path, after), missing: id };
    }
    return { policy: rolePathPolicy(path, after) };
  }

  /** Who each target reaches at `at`: people with at least one contact point, or why nobody. */
  async answers(db: Db, targets: readonly EscalationTarget[], roles: IncidentState['roles'], at: Date): Promise<Map<string, TargetAnswer>> {
    const out = new Map<string, TargetAnswer>();
    const reachable = async (people: readonly string[], why: string): Promise<TargetAnswer> => {
      const withContacts = await peopleWithContacts(db, people);
      if (withContacts.length > 0) return { people: withContacts };
      return { nobody: people.length === 1 ? `${people[0]} has no contact point` : `${why}: none of ${people.join(', ')} has a contact point` };
    };
    for (const target of targets) {
      const key = JSON.stringify(target);
      if (out.has(key)) continue;
      let answer: TargetAnswer;
      if ('user' in target) answer = await reachable([target.user], target.user);
      else if ('role' in target) {
        const holder = roles[target.role]?.holder;
        answer = holder ? await reachable([holder], `role ${target.role}`) : { nobody: `role ${target.role} is vacant` };
      } else {
        const people = this.schedules ? await (target.mode === 'everyone' ? this.schedules.everyoneOn(target.schedule, db) : this.schedules.onCallAt(target.schedule, at, db)) : undefined;
        if (people === undefined) answer = { nobody: `there is no schedule ${target.schedule}` };
        else if (people.length === 0) answer = { nobody: `schedule ${target.schedule} has nobody on call (a gap)` };
        else answer = await reachable(people, `schedule ${target.schedule}`);
      }
      out.set(key, answer);
    }
    return out;
  }

  /** Resolves level `level` (falling through) at `at`, with the reason for every level passed over. */
  async resolve(db: Db, policy: Pick<EscalationPolicy, 'levels'>, level: number, roles: IncidentState['roles'], at: Date): Promise<{ resolution: LevelResolution | undefined; reasons: { level: number; reason: string }[] }> {
    const answers = await this.answers(db, policy.levels.slice(level - 1).flatMap((l) => l.targets), roles, at);
    const answer = (t: EscalationTarget) => answers.get(JSON.stringify(t)) ?? { nobody: 'unknown target' };
    const resolution = resolveLevel(policy.levels, level, answer);
    if (resolution) return { resolution, reasons: [...resolution.fellThrough] };
    // Nobody from here on: the reasons of every level, for the event and for reachability.
    const reasons = policy.levels.slice(level - 1).map((l, i) => ({
      level: level + i,
      reason: l.targets.map((t) => answer(t)).map((a) => ('nobody' in a ? a.nobody : '')).filter(Boolean).join('; '),
    }));
    return { resolution: undefined, reasons };
  }

  /** Pages one fired `ack:escalation:<step>` row. */
  async page(trx: Transaction<Database>, plan: Plan, state: IncidentState, clocks: () => readonly Clock[], row: ScheduledClock, now: Date): Promise<StepOutcome> {
    const { policy, id } = await this.policyOf(trx, plan);
    const levels = policy.levels.length;
    const total = levels * (policy.repeat + 1);
    const step = Math.min(Number(row.clockKey.split(':')[2] ?? 1) || 1, total);
    const pass = Math.ceil(step / levels);
    const level = step - (pass - 1) * levels;
    const { resolution, reasons } = await this.resolve(trx, policy, level, state.roles, now);
    const pagedLevel = resolution?.level ?? level;
    const pagedStep = (pass - 1) * levels + pagedLevel;
    const wait = waitMs(policy.levels[pagedLevel - 1]?.wait ?? '') ?? 0;
    const next = pagedStep < total ? { step: pagedStep + 1, at: new Date(now.getTime() + wait).toISOString() } : null;
    const base = { level: pagedLevel, pass, ...(id ? { policy: id } : {}), fellThrough: reasons, next };
    // What a plan's own `escalation` template may name, as it always could.
    const pagedRole = policy.levels[pagedLevel - 1]?.targets.map((t) => ('role' in t ? t.role : undefined)).find(Boolean) ?? null;
    const clockContext = {
      clock: { key: row.clockKey, kind: row.kind, label: row.details.label, dueAt: row.dueAt, late: row.late, window: row.details.window, level: pagedLevel, role: pagedRole, roleName: (pagedRole && plan.roles.find((r) => r.id === pagedRole)?.name) ?? pagedRole },
    };
    if (!resolution) {
      const recipients = await this.standIns(trx, plan, state, policy, level);
      const context = { ...incidentTemplateContext(plan, state, clocks()), ...clockContext };
      const ack = clocks().find((c) => c.id === 'ack');
      const message = renderPage(plan, context, { incidentUrl: this.incidentUrl(state.id), reportedAt: state.reportedAt, ackDueAt: ack?.dueAt ?? null, level, pass, policy: id ?? null, zone: plan.timeZone });
      // An audience is no person: its message carries no acknowledge link.
      const body = message.body.split('\n').filter((line) => !line.includes(ACK_LINK_PLACEHOLDER)).join('\n');
      return {
        ...base,
        notified: recipients.map((r) => `${r.label} (${r.destination.channel})`),
        messages: recipients.map((r) => ({ incidentId: state.id, clock: row.clockKey, template: 'escalation', recipient: r.label, destination: r.destination, subject: message.subject, body, review: message.review })),
      };
    }
    const notified: string[] = [];
    const messages: NewDelivery[] = [];
    const context = { ...incidentTemplateContext(plan, state, clocks()), ...clockContext };
    const ack = clocks().find((c) => c.id === 'ack');
    for (const person of resolution.people) {
      const zone = (await zoneOf(trx, person)) ?? plan.timeZone;
      const message = renderPage(plan, context, { incidentUrl: this.incidentUrl(state.id), reportedAt: state.reportedAt, ackDueAt: ack?.dueAt ?? null, level: pagedLevel, pass, policy: id ?? null, zone });
      for (const destination of await contactsInOrder(trx, person)) {
        notified.push(`${person} (${destination.channel})`);
        messages.push({ incidentId: state.id, clock: row.clockKey, template: PAGE_TEMPLATE, recipient: person, destination, subject: message.subject, body: message.body, review: message.review });
      }
    }
    return { ...base, notified, messages };
  }

  incidentUrl(incidentId: string): string {
    return `${this.baseUrl()}/incidents/${encodeURIComponent(incidentId)}`;
  }

  /** The plan audiences told when no level reaches anybody. */
  private async standIns(trx: Transaction<Database>, plan: Plan, state: IncidentState, policy: Pick<EscalationPolicy, 'levels'>, level: number) {
    const role = policy.levels[level - 1]?.targets.map((t) => ('role' in t ? t.role : undefined)).find(Boolean) ?? commanderRole(plan).id;
    return distinctRecipients((await Promise.all(audiencesFor(plan, state, role).map((a) => audienceRecipients(trx, plan, a)))).flat());
  }

  /**
   * The delivery service calls this just before a message leaves the process: a page's
   * placeholder becomes a fresh acknowledge link for its recipient and incident.
   */
  readonly prepare = async (db: Db, message: OutboundMessage, row: { recipient: string; template: string | null }, now: Date): Promise<OutboundMessage> => {
    if (row.template !== PAGE_TEMPLATE || !message.incidentId || !message.body.includes(ACK_LINK_PLACEHOLDER)) return message;
    const token = await mintAckLink(db, { incidentId: message.incidentId, user: row.recipient, deliveryId: message.id }, now, this.ttlMs);
    const url = `${this.baseUrl()}/ack/${token}`;
    return { ...message, body: message.body.replaceAll(ACK_LINK_PLACEHOLDER, url), subject: message.subject?.replaceAll(ACK_LINK_PLACEHOLDER, url) ?? null };
  };
}

async function peopleWithContacts(db: Db, people: readonly string[]): Promise<string[]> {
  if (people.length === 0) return [];
  const rows = await db.selectFrom('contact_points').select('user_handle').distinct().where('user_handle', 'in', [...people]).execute();
  const have = new Set(rows.map((r) => r.user_handle));
  return people.filter((p) => have.has(p));
}

/** A person's contact points in the order they were added (the first is tried first). */
export async function contactsInOrder(db: Db, person: string): Promise<Destination[]> {
  const rows = await db.selectFrom('contact_points').select(['kind', 'target', 'secret']).where('user_handle', '=', person).orderBy('created_at').orderBy('kind').orderBy('target').execute();
  return rows.map((r) => ({ channel: r.kind, target: r.target, secret: r.secret }));
}

async function zoneOf(db: Db, handle: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('time_zone').where('handle', '=', handle).executeTakeFirst();
  return row?.time_zone ?? undefined;
}
