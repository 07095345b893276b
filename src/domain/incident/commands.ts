/**
 * What people ask of an incident, and the plan's rules for each request: `decide` turns
 * a command into the events to append, or refuses it with an error that says why.
 * Pure: the actor and the instant arrive with the command, nothing is read from outside.
 */
import { FirebreakError, fieldError } from '../errors.js';
import {
  findChecklistItem,
  findPhase,
  findRole,
  findSeverity,
  itemApplies,
  phaseIndex,
} from '../plan/plan-rules.js';
import type { Plan } from '../plan/plan-schema.js';
import { fileRegulatory } from '../regulatory/regulatory-filing.js';
import { decideDraftEdit, decideDraftReview } from '../regulatory/regulatory-draft.js';
import type { AckVia, EvidenceAccessAction, EvidenceKind, IncidentEvent, ReporterInfo } from './events.js';
import { type IncidentState, isFinished } from './state.js';

export interface ReportCommand {
  readonly type: 'report';
  readonly title: string;
  readonly summary?: string;
  readonly reporter: ReporterInfo;
  readonly restricted?: boolean;
  readonly drill?: boolean;
  readonly source?: string;
}

export type IncidentCommand =
  | { readonly type: 'triage'; readonly decision: 'confirm'; readonly severity: string; readonly category?: string }
  | { readonly type: 'triage'; readonly decision: 'dismiss'; readonly reason: string }
  | { readonly type: 'acknowledge'; readonly via?: AckVia }
  | { readonly type: 'change_severity'; readonly severity: string; readonly reason: string }
  | { readonly type: 'assign_role'; readonly role: string; readonly to: string }
  | { readonly type: 'initiate_handoff'; readonly role: string; readonly to: string; readonly briefing: string }
  | { readonly type: 'confirm_handoff'; readonly role: string }
  | { readonly type: 'cancel_handoff'; readonly role: string; readonly reason: string }
  | { readonly type: 'enter_phase'; readonly phase: string; readonly force?: { readonly reason: string } }
  | { readonly type: 'complete_item'; readonly item: string; readonly note?: string }
  | { readonly type: 'add_note'; readonly text: string }
  | { readonly type: 'post_sitrep'; readonly text: string }
  | { readonly type: 'set_flag'; readonly flag: string; readonly note?: string }
  | {
      readonly type: 'file_regulatory';
      readonly clock: string;
      readonly reference?: string;
      readonly note?: string;
      /** SHA-256 of the exported report that was filed. */
      readonly reportSha256?: string;
      /** Why it is late, or which phase of several it is. */
      readonly reason?: string;
    }
  /** Fill or change items of a stage's report draft; an empty value clears the item. */
  | { readonly type: 'edit_regulatory_draft'; readonly clock: string; readonly fields: Readonly<Record<string, string>> }
  /** A second person approves (freezing the report and its hash) or rejects a draft. */
  | { readonly type: 'review_regulatory_draft'; readonly clock: string; readonly decision: 'approve' | 'reject'; readonly note?: string }
  | { readonly type: 'add_member'; readonly user: string }
  | { readonly type: 'remove_member'; readonly user: string }
  | { readonly type: 'set_restricted'; readonly restricted: boolean; readonly reason: string }
  | { readonly type: 'resolve'; readonly summary?: string }
  | { readonly type: 'close' }
  | { readonly type: 'reopen'; readonly reason: string }
  | {
      readonly type: 'add_evidence';
      readonly evidenceId: string;
      readonly kind: EvidenceKind;
      readonly sha256: string;
      readonly size: number;
      readonly description: string;
      readonly source: string;
      /** Who gathered it; defaults to the actor. */
      readonly collector?: string;
      readonly filename?: string;
      readonly mediaType?: string;
    }
  | { readonly type: 'access_evidence'; readonly evidenceId: string; readonly action: EvidenceAccessAction; readonly purpose?: string }
  | { readonly type: 'transfer_evidence'; readonly evidenceId: string; readonly to: string; readonly reason: string }
  | { readonly type: 'complete_review'; readonly documentHash: string };

export type IncidentCommandType = IncidentCommand['type'];

/** Who asks, and when the fact happened. */
export interface CommandContext {
  readonly actor: string;
  readonly occurredAt: string;
}

function illegal(message: string): FirebreakError {
  return new FirebreakError('FB_ERR_INCIDENT_ILLEGAL_TRANSITION', message);
}

function requireNotFinished(state: IncidentState, what: string): void {
  if (isFinished(state)) throw illegal(`cannot ${what}: ${state.id} is ${state.status}; reopen it first`);
}

function requireIncident(state: IncidentState, what: string): void {
  if (state.kind !== 'incident') throw illegal(`cannot ${what}: ${state.id} is still an event awaiting triage`);
}

/**
 * Phases and checklists go on after resolution and closure (lessons learned, control
 * updates); only a false alarm has no response work left.
 */
function requireResponseWork(state: IncidentState, what: string): void {
  if (state.status === 'dismissed') throw illegal(`cannot ${what}: ${state.id} was dismissed as a false alarm; reopen it first`);
}

function nonEmpty(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw fieldError('FB_ERR_INPUT_INVALID', field, 'must not be empty');
  return trimmed;
}

/** Open required items of a phase. */
export function openRequiredItems(plan: Plan, state: IncidentState, phaseId: string): string[] {
  const phase = findPhase(plan, phaseId);
  if (!phase) return [];
  return phase.checklist
    .filter((item) => item.required && itemApplies(item, state.severity) && !state.completedItems[item.id])
    .map((item) => item.id);
}

export function decideReport(plan: Plan, command: ReportCommand): IncidentEvent[] {
  const firstPhase = plan.phases[0];
  if (!firstPhase) throw new Error(`plan ${plan.id} has no phases`);
  if (!command.reporter.anonymous) nonEmpty(command.reporter.name, 'reporter');
  return [
    {
      type: 'reported',
      data: {
        planId: plan.id,
        planVersion: plan.version,
        title: nonEmpty(command.title, 'title'),
        ...(command.summary?.trim() ? { summary: command.summary.trim() } : {}),
        reporter: command.reporter,
        initialPhase: firstPhase.id,
        restricted: command.restricted ?? plan.warRoom,
        ...(command.drill ? { drill: true } : {}),
        ...(command.source ? { source: command.source } : {}),
      },
    },
  ];
}

function decideTriage(plan: Plan, state: IncidentState, command: Extract<IncidentCommand, { type: 'triage' }>): IncidentEvent[] {
  if (state.kind !== 'event' || state.status !== 'investigating') {
    throw illegal(`cannot triage ${state.id}: it was already triaged (${state.kind}, ${state.status})`);
  }
  // Triage does not imply acknowledgement: the plan's ack clock is about the responders
  // answering the page, which stays visible (and escalates) until someone says so.
  if (command.decision === 'dismiss') {
    return [{ type: 'dismissed', data: { reason: nonEmpty(command.reason, 'reason') } }];
  }
  const severity = findSeverity(plan, command.severity);
  if (!severity) {
    throw fieldError('FB_ERR_INCIDENT_UNKNOWN_SEVERITY', 'severity', `"${command.severity}" is not a severity of plan ${plan.id} (${plan.severities.map((s) => s.id).join(', ')})`);
  }
  let category: string | undefined;
  if (command.category !== undefined) {
    const found = plan.categories.find((c) => c.id.toLowerCase() === command.category?.toLowerCase());
    if (!found) {
      throw fieldError('FB_ERR_INCIDENT_UNKNOWN_CATEGORY', 'category', `"${command.category}" is not a category of plan ${plan.id} (${plan.categories.map((c) => c.id).join(', ') || 'none defined'})`);
    }
    category = found.id;
  }
  return [{ type: 'declared', data: { severity: severity.id, ...(category ? { category } : {}) } }];
}

function decideRole(plan: Plan, roleId: string): string {
  const role = findRole(plan, roleId);
  if (!role) {
    throw fieldError('FB_ERR_INCIDENT_UNKNOWN_ROLE', 'role', `"${roleId}" is not a role of plan ${plan.id} (${plan.roles.map((r) => r.id).join(', ')})`);
  }
  return role.id;
}

function decideHandoff(plan: Plan, state: IncidentState, command: IncidentCommand, ctx: CommandContext): IncidentEvent[] {
  switch (command.type) {
    case 'initiate_handoff': {
      requireNotFinished(state, 'hand off a role');
      const role = decideRole(plan, command.role);
      const holding = state.roles[role];
      if (!holding) throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `nobody holds ${role}; assign it instead`);
      if (holding.holder !== ctx.actor) {
        throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `only the current ${role} (${holding.holder}) can hand it off, not ${ctx.actor}`);
      }
      if (holding.pendingHandoff) {
        throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `a handoff of ${role} to ${holding.pendingHandoff.to} is already waiting for confirmation`);
      }
      const to = nonEmpty(command.to, 'to');
      if (to === holding.holder) throw fieldError('FB_ERR_INPUT_INVALID', 'to', `${to} already holds ${role}`);
      return [{ type: 'handoff_initiated', data: { role, from: holding.holder, to, briefing: nonEmpty(command.briefing, 'briefing') } }];
    }
    case 'confirm_handoff': {
      requireNotFinished(state, 'confirm a handoff');
      const role = decideRole(plan, command.role);
      const pending = state.roles[role]?.pendingHandoff;
      if (!pending) throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `no handoff of ${role} is waiting for confirmation`);
      if (pending.to !== ctx.actor) {
        throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `only ${pending.to}, who is taking over ${role}, can confirm the handoff`);
      }
      return [{ type: 'handoff_confirmed', data: { role, from: state.roles[role]!.holder, to: pending.to } }];
    }
    case 'cancel_handoff': {
      const role = decideRole(plan, command.role);
      const holding = state.roles[role];
      if (!holding?.pendingHandoff) throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `no handoff of ${role} is pending`);
      if (ctx.actor !== holding.holder && ctx.actor !== holding.pendingHandoff.to) {
        throw new FirebreakError('FB_ERR_INCIDENT_HANDOFF', `only ${holding.holder} or ${holding.pendingHandoff.to} can cancel this handoff`);
      }
      return [{ type: 'handoff_cancelled', data: { role, reason: nonEmpty(command.reason, 'reason') } }];
    }
    default:
      return [];
  }
}

function decidePhase(plan: Plan, state: IncidentState, command: Extract<IncidentCommand, { type: 'enter_phase' }>): IncidentEvent[] {
  requireResponseWork(state, 'change phase');
  const phase = findPhase(plan, command.phase);
  if (!phase) {
    throw fieldError('FB_ERR_INCIDENT_UNKNOWN_PHASE', 'phase', `"${command.phase}" is not a phase of plan ${plan.id} (${plan.phases.map((p) => p.id).join(', ')})`);
  }
  if (phase.id === state.phase) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${state.id} is already in phase ${phase.id}`);
  const forward = phaseIndex(plan, phase.id) > phaseIndex(plan, state.phase);
  const open = forward ? openRequiredItems(plan, state, state.phase) : [];
  if (open.length > 0 && !command.force) {
    throw new FirebreakError(
      'FB_ERR_INCIDENT_REQUIRED_ITEMS_OPEN',
      `cannot leave phase ${state.phase}: required items still open: ${open.join(', ')} (complete them, or force with a reason)`,
    );
  }
  const forced = open.length > 0 && command.force ? { reason: nonEmpty(command.force.reason, 'reason'), openItems: open } : undefined;
  return [{ type: 'phase_entered', data: { phase: phase.id, from: state.phase, ...(forced ? { forced } : {}) } }];
}

function requireEvidence(state: IncidentState, evidenceId: string) {
  const holding = state.evidence[evidenceId];
  if (!holding) throw new FirebreakError('FB_ERR_EVIDENCE_NOT_FOUND', `no evidence ${evidenceId} in ${state.id}`);
  return holding;
}

const SHA256 = /^[0-9a-f]{64}$/;

function decideEvidence(state: IncidentState, command: IncidentCommand, ctx: CommandContext): IncidentEvent[] {
  switch (command.type) {
    case 'add_evidence': {
      if (state.evidence[command.evidenceId]) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `evidence ${command.evidenceId} is already recorded`);
      if (!SHA256.test(command.sha256)) throw fieldError('FB_ERR_INPUT_INVALID', 'sha256', 'must be 64 lower-case hex digits');
      if (!Number.isSafeInteger(command.size) || command.size < 0) throw fieldError('FB_ERR_INPUT_INVALID', 'size', 'must be a whole number of bytes');
      const collector = command.collector === undefined ? ctx.actor : nonEmpty(command.collector, 'collector');
      return [
        {
          type: 'evidence_added',
          data: {
            evidenceId: command.evidenceId,
            kind: command.kind,
            sha256: command.sha256,
            size: command.size,
            description: nonEmpty(command.description, 'description'),
            source: nonEmpty(command.source, 'source'),
            collector,
            ...(command.filename?.trim() ? { filename: command.filename.trim() } : {}),
            ...(command.mediaType?.trim() ? { mediaType: command.mediaType.trim() } : {}),
          },
        },
      ];
    }
    case 'access_evidence':
      requireEvidence(state, command.evidenceId);
      return [
        {
          type: 'evidence_accessed',
          data: { evidenceId: command.evidenceId, action: command.action, ...(command.purpose?.trim() ? { purpose: command.purpose.trim() } : {}) },
        },
      ];
    case 'transfer_evidence': {
      const holding = requireEvidence(state, command.evidenceId);
      const to = nonEmpty(command.to, 'to');
      if (to === holding.custodian) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${to} already holds evidence ${command.evidenceId}`);
      return [{ type: 'evidence_transferred', data: { evidenceId: command.evidenceId, from: holding.custodian, to, reason: nonEmpty(command.reason, 'reason') } }];
    }
    default:
      return [];
  }
}

/** Decides one command against the current state of an incident. */
export function decide(plan: Plan, state: IncidentState, command: IncidentCommand, ctx: CommandContext): IncidentEvent[] {
  switch (command.type) {
    case 'triage':
      return decideTriage(plan, state, command);
    case 'acknowledge':
      requireNotFinished(state, 'acknowledge');
      if (state.acknowledgedAt) {
        throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${state.id} was already acknowledged by ${state.acknowledgedBy} at ${state.acknowledgedAt}`);
      }
      return [{ type: 'acknowledged', data: { by: ctx.actor, ...(command.via ? { via: command.via } : {}) } }];
    case 'change_severity': {
      requireIncident(state, 'change severity');
      requireNotFinished(state, 'change severity');
      const severity = findSeverity(plan, command.severity);
      if (!severity) {
        throw fieldError('FB_ERR_INCIDENT_UNKNOWN_SEVERITY', 'severity', `"${command.severity}" is not a severity of plan ${plan.id} (${plan.severities.map((s) => s.id).join(', ')})`);
      }
      if (severity.id === state.severity) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${state.id} is already ${severity.id}`);
      return [{ type: 'severity_changed', data: { from: state.severity ?? '', to: severity.id, reason: nonEmpty(command.reason, 'reason') } }];
    }
    case 'assign_role': {
      requireNotFinished(state, 'assign a role');
      const role = decideRole(plan, command.role);
      const to = nonEmpty(command.to, 'to');
      const holding = state.roles[role];
      if (holding) {
        if (holding.holder === to) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${to} already holds ${role}`);
        throw new FirebreakError('FB_ERR_INCIDENT_ROLE_HELD', `${role} is held by ${holding.holder}; they must hand it off to ${to}`);
      }
      return [{ type: 'role_assigned', data: { role, to } }];
    }
    case 'initiate_handoff':
    case 'confirm_handoff':
    case 'cancel_handoff':
      return decideHandoff(plan, state, command, ctx);
    case 'enter_phase':
      return decidePhase(plan, state, command);
    case 'complete_item': {
      requireResponseWork(state, 'complete a checklist item');
      const found = findChecklistItem(plan, command.item);
      if (!found) throw fieldError('FB_ERR_INCIDENT_UNKNOWN_ITEM', 'item', `"${command.item}" is not a checklist item of plan ${plan.id}`);
      const done = state.completedItems[found.item.id];
      if (done) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${found.item.id} was already completed by ${done.by}`);
      return [{ type: 'checklist_item_completed', data: { item: found.item.id, ...(command.note?.trim() ? { note: command.note.trim() } : {}) } }];
    }
    case 'add_note':
      return [{ type: 'note_added', data: { text: nonEmpty(command.text, 'text') } }];
    case 'post_sitrep':
      requireNotFinished(state, 'post a sitrep');
      return [{ type: 'sitrep_posted', data: { text: nonEmpty(command.text, 'text') } }];
    case 'set_flag': {
      const flag = nonEmpty(command.flag, 'flag').toLowerCase();
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(flag)) throw fieldError('FB_ERR_INPUT_INVALID', 'flag', 'must be letters, digits, "-" or "_"');
      if (state.flags[flag]) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `flag ${flag} is already set`);
      return [{ type: 'flag_set', data: { flag, ...(command.note?.trim() ? { note: command.note.trim() } : {}) } }];
    }
    case 'file_regulatory':
      return fileRegulatory(plan, state, command, ctx.occurredAt);
    case 'edit_regulatory_draft':
      return decideDraftEdit(plan, state, command.clock, command.fields);
    case 'review_regulatory_draft':
      return decideDraftReview(plan, state, command, ctx);
    case 'add_member': {
      const user = nonEmpty(command.user, 'user');
      if (state.members.includes(user)) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${user} is already a member`);
      return [{ type: 'member_added', data: { user } }];
    }
    case 'remove_member': {
      if (!state.members.includes(command.user)) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${command.user} is not a member`);
      return [{ type: 'member_removed', data: { user: command.user } }];
    }
    case 'set_restricted':
      if (state.restricted === command.restricted) {
        throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `${state.id} is already ${command.restricted ? 'restricted' : 'open to all responders'}`);
      }
      return [{ type: 'restriction_changed', data: { restricted: command.restricted, reason: nonEmpty(command.reason, 'reason') } }];
    case 'resolve':
      if (state.status !== 'active') throw illegal(`cannot resolve ${state.id}: it is ${state.kind === 'event' ? 'an event awaiting triage' : state.status}`);
      return [{ type: 'resolved', data: command.summary?.trim() ? { summary: command.summary.trim() } : {} }];
    case 'close':
      if (state.status !== 'resolved') throw illegal(`cannot close ${state.id}: it is ${state.status}; resolve it first`);
      return [{ type: 'closed', data: {} }];
    case 'reopen':
      if (state.status !== 'resolved' && state.status !== 'closed' && state.status !== 'dismissed') {
        throw illegal(`cannot reopen ${state.id}: it is ${state.status}`);
      }
      return [{ type: 'reopened', data: { reason: nonEmpty(command.reason, 'reason') } }];
    case 'add_evidence':
    case 'access_evidence':
    case 'transfer_evidence':
      return decideEvidence(state, command, ctx);
    case 'complete_review':
      requireIncident(state, 'complete the post-incident review');
      if (state.status !== 'resolved' && state.status !== 'closed') {
        throw illegal(`cannot complete the review of ${state.id}: it is ${state.status}; resolve it first`);
      }
      if (state.reviewCompletedAt) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `the review of ${state.id} was already completed at ${state.reviewCompletedAt}`);
      if (!SHA256.test(command.documentHash)) throw fieldError('FB_ERR_INPUT_INVALID', 'documentHash', 'must be 64 lower-case hex digits');
      return [{ type: 'review_completed', data: { documentHash: command.documentHash } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}
