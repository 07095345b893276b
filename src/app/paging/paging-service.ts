/**
 * Paging use cases: escalation policies as data (save, list, show, remove — each checked
 * by the domain's schema, users and schedules by the directory and the schedule service),
 * the acknowledge link's two steps (look: what the confirm page shows, changes nothing;
 * acknowledge: spends the link and acknowledges as its person, in one transaction), and
 * reachability — would each plan's escalation reach anybody right now?
 */
import { FirebreakError, fieldError } from '../../domain/errors.js';
import { type EscalationPolicy, EscalationPolicySchema } from '../../domain/paging/escalation-policy.js';
import { findSeverity } from '../../domain/plan/plan-rules.js';
import type { Plan } from '../../domain/plan/plan-schema.js';
import { parseInput } from '../../domain/parse-input.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../store/database.js';
import type { Store } from '../../store/store.js';
import type { IncidentService } from '../incident-service.js';
import type { PlanCatalog } from '../plan-catalog.js';
import { audienceRecipients, audiencesFor } from '../scheduler/clock-notices.js';
import type { TimeSource } from '../time-source.js';
import { checkAckLink, spendAckLink } from './ack-links.js';
import type { Pager } from './pager.js';
import { deletePolicy, findPolicy, listPolicies, type StoredPolicy, savePolicy } from './policy-store.js';

export interface AckLinkView {
  readonly incidentId: string;
  readonly title: string;
  readonly severityName: string | null;
  readonly user: string;
  readonly userName: string | null;
  readonly acknowledgedBy: string | null;
  readonly expiresAt: string;
}

export interface SeverityReach {
  readonly severity: string;
  /** Who (or which audience channel) a page would reach now. */
  readonly reaches: readonly string[];
  /** What stops each level reaching anybody, as things to configure. */
  readonly problems: readonly string[];
}

export interface PlanReachability {
  readonly planId: string;
  readonly planName: string;
  readonly policy: string | null;
  readonly reachesNobody: boolean;
  readonly severities: readonly SeverityReach[];
}

function ackLinkError(problem: 'unknown' | 'expired' | 'used', usedAt?: string): FirebreakError {
  if (problem === 'expired') return new FirebreakError('FB_ERR_ACK_LINK_EXPIRED', 'This acknowledge link has expired. Open the incident in Firebreak and acknowledge it there.');
  if (problem === 'used') return new FirebreakError('FB_ERR_ACK_LINK_USED', `This acknowledge link was already used${usedAt ? ` (at ${usedAt})` : ''}; each link acknowledges once.`);
  return new FirebreakError('FB_ERR_ACK_LINK_UNKNOWN', 'This is not an acknowledge link Firebreak sent. Check that the whole link was copied.');
}

/** The plans that would page nobody, with the severities affected and what to configure. */
export function unreachablePlans(reports: readonly PlanReachability[]): { planId: string; planName: string; severities: string[]; problems: string[] }[] {
  return reports
    .filter((r) => r.reachesNobody)
    .map((r) => {
      const silent = r.severities.filter((s) => s.reaches.length === 0);
      return { planId: r.planId, planName: r.planName, severities: silent.map((s) => s.severity), problems: [...new Set(silent.flatMap((s) => s.problems))] };
    });
}

/** One plain sentence per plan that reaches nobody, naming what to configure: the start-up log, `firebreak doctor`. */
export function reachabilityWarnings(reports: readonly PlanReachability[]): string[] {
  return unreachablePlans(reports).map((r) => `plan ${r.planId} (${r.planName}): an unacknowledged ${r.severities.join('/')} event would page nobody — ${r.problems.join('; ')}`);
}

export class PagingService {
  constructor(
    private readonly store: Store,
    private readonly plans: PlanCatalog,
    private readonly incidents: IncidentService,
    readonly pager: Pager,
    private readonly time: TimeSource,
  ) {}

  async listPolicies(): Promise<StoredPolicy[]> {
    return listPolicies(this.store.db);
  }

  async getPolicy(id: string): Promise<StoredPolicy> {
    const found = await findPolicy(this.store.db, id);
    if (!found) throw new FirebreakError('FB_ERR_POLICY_NOT_FOUND', `no escalation policy ${id}`);
    return found;
  }

  /** Creates or replaces a policy; every user it names must exist. */
  async savePolicy(input: unknown, by: string): Promise<StoredPolicy> {
    const policy: EscalationPolicy = parseInput(EscalationPolicySchema, input);
    const users = new Set((await this.store.db.selectFrom('users').select('handle').execute()).map((r) => r.handle));
    for (const [l, level] of policy.levels.entries()) {
      for (const [t, target] of level.targets.entries()) {
        if ('user' in target && !users.has(target.user)) throw fieldError('FB_ERR_INPUT_INVALID', `levels.${l}.targets.${t}.user`, `"${target.user}" is not a user on this server`);
      }
    }
    return savePolicy(this.store.db, policy, by, this.time.now());
  }

  async removePolicy(id: string): Promise<void> {
    if (!(await deletePolicy(this.store.db, id))) throw new FirebreakError('FB_ERR_POLICY_NOT_FOUND', `no escalation policy ${id}`);
  }

  /** Throws FB_ERR_SCHEDULE_IN_USE when a policy still pages the schedule (the schedule service asks before deleting). */
  async refuseIfPaged(trx: Transaction<Database>, scheduleId: string): Promise<void> {
    const using = (await listPolicies(trx)).filter((p) => p.levels.some((l) => l.targets.some((t) => 'schedule' in t && t.schedule === scheduleId)));
    if (using.length > 0) throw new FirebreakError('FB_ERR_SCHEDULE_IN_USE', `escalation polic${using.length === 1 ? 'y' : 'ies'} ${using.map((p) => p.id).join(', ')} page${using.length === 1 ? 's' : ''} schedule ${scheduleId}; change ${using.length === 1 ? 'it' : 'them'} first`);
  }

  /** What the confirm page shows; nothing changes (a link scanner's GET lands here). */
  async lookAtAckLink(token: string): Promise<AckLinkView> {
    const check = await checkAckLink(this.store.db, token, this.time.now());
    if (!check.ok) throw ackLinkError(check.problem, check.usedAt);
    const state = await this.incidents.get(check.incidentId);
    const plan = await this.incidents.planOf(state);
    const user = await this.store.db.selectFrom('users').select('name').where('handle', '=', check.user).executeTakeFirst();
    return {
      incidentId: state.id,
      title: state.title,
      severityName: state.severity ? (findSeverity(plan, state.severity)?.name ?? state.severity) : null,
      user: check.user,
      userName: user?.name ?? null,
      acknowledgedBy: state.acknowledgedBy,
      expiresAt: check.expiresAt,
    };
  }

  /** Spends the link and acknowledges as its person; a used, expired or unknown link changes nothing. */
  async acknowledgeByLink(token: string): Promise<{ incidentId: string; user: string }> {
    return this.incidents.withinTransaction(async (writer) => {
      const now = this.time.now();
      const check = await checkAckLink(writer.trx, token, now);
      if (!check.ok) throw ackLinkError(check.problem, check.usedAt);
      if (!(await spendAckLink(writer.trx, check.tokenHash, now))) throw ackLinkError('used');
      await writer.execute(check.incidentId, { type: 'acknowledge', via: 'link' }, { actor: check.user });
      return { incidentId: check.incidentId, user: check.user };
    });
  }

  /** Per plan and severity: whether its escalation would reach anybody right now, and what to configure if not. */
  async reachability(): Promise<PlanReachability[]> {
    const out: PlanReachability[] = [];
    for (const plan of this.plans.list()) out.push(await this.planReachability(plan));
    return out;
  }

  private async planReachability(plan: Plan): Promise<PlanReachability> {
    const db = this.store.db;
    const now = this.time.now();
    const { policy, id, missing } = await this.pager.policyOf(db, plan);
    // No incident yet: every role is vacant, as it is when an event is first reported.
    const { resolution, reasons } = await this.pager.resolve(db, policy, 1, {}, now);
    const levelProblems = [
      ...(missing ? [`the plan names escalation policy "${missing}", which is not defined on this server (firebreak policies set ${missing} …)`] : []),
      ...reasons.map((r) => `level ${r.level}: ${r.reason}`),
    ];
    const severities: SeverityReach[] = [];
    for (const severity of plan.severities) {
      if (resolution) {
        severities.push({ severity: severity.id, reaches: resolution.people, problems: levelProblems });
        continue;
      }
      const role = policy.levels[0]?.targets.map((t) => ('role' in t ? t.role : undefined)).find(Boolean) ?? plan.roles[0]?.id ?? '';
      const audiences = audiencesFor(plan, { severity: severity.id }, role);
      const reaches: string[] = [];
      const problems = [...levelProblems];
      for (const audience of audiences) {
        const recipients = await audienceRecipients(db, plan, audience);
        if (recipients.length > 0) reaches.push(...recipients.map((r) => `${r.label} (${r.destination.channel})`));
        else problems.push(`audience ${audience} has no channel configured (firebreak channels set <channel> …)`);
      }
      if (audiences.length === 0) problems.push('the plan names no audience to tell instead');
      severities.push({ severity: severity.id, reaches, problems });
    }
    return { planId: plan.id, planName: plan.name, policy: id ?? missing ?? null, reachesNobody: severities.some((s) => s.reaches.length === 0), severities };
  }
}
