/**
 * The read model of one incident as people look at it: its state plus what the plan
 * says about it (names, the current phase's checklist with due times, every clock).
 * The CLI prints it and the HTTP API returns it, so both show the same facts.
 */
import { type RegulatoryStageStatus, regulatoryStages } from '../domain/regulatory/regulatory-stage.js';
import { type Clock, mostUrgentClock } from '../domain/clocks/clocks.js';
import { openRequiredItems } from '../domain/incident/commands.js';
import type { IncidentState } from '../domain/incident/state.js';
import { commanderRole, findPhase, findRole, findSeverity, itemApplies } from '../domain/plan/plan-rules.js';
import type { Plan } from '../domain/plan/plan-schema.js';

export interface ChecklistEntry {
  readonly id: string;
  readonly text: string;
  readonly role: string | null;
  readonly required: boolean;
  readonly done: boolean;
  readonly doneBy: string | null;
  readonly doneAt: string | null;
  readonly dueAt: string | null;
  readonly clockState: Clock['state'] | null;
}

export interface IncidentView {
  readonly incident: IncidentState;
  readonly plan: { readonly id: string; readonly version: string; readonly name: string };
  readonly severityName: string | null;
  readonly categoryName: string | null;
  readonly phaseName: string;
  readonly commanderRole: string;
  readonly roles: readonly { readonly id: string; readonly name: string; readonly holder: string | null; readonly since: string | null; readonly pendingHandoffTo: string | null; readonly requiredNow: boolean }[];
  readonly phases: readonly { readonly id: string; readonly name: string; readonly current: boolean; readonly entered: boolean }[];
  readonly checklist: readonly ChecklistEntry[];
  /** Required items of the current phase still open: advancing is blocked while non-empty. */
  readonly blockingItems: readonly string[];
  readonly clocks: readonly Clock[];
  readonly mostUrgentClock: Clock | null;
  /** Every regulatory stage of the plan: start, deadline, filings, late reason (one type for every reader). */
  readonly regulatory: readonly RegulatoryStageStatus[];
}

export function presentIncident(plan: Plan, state: IncidentState, clocks: readonly Clock[], at: Date): IncidentView {
  const phase = findPhase(plan, state.phase);
  const clockById = new Map(clocks.map((c) => [c.id, c]));
  const severityRank = state.severity ? plan.severities.findIndex((s) => s.id === state.severity) : -1;
  return {
    incident: state,
    plan: { id: plan.id, version: plan.version, name: plan.name },
    severityName: state.severity ? (findSeverity(plan, state.severity)?.name ?? state.severity) : null,
    categoryName: state.category ? (plan.categories.find((c) => c.id === state.category)?.name ?? state.category) : null,
    phaseName: phase?.name ?? state.phase,
    commanderRole: commanderRole(plan).id,
    roles: plan.roles.map((role) => {
      const holding = state.roles[role.id];
      const requiredFromRank = role.requiredFrom ? plan.severities.findIndex((s) => s.id === role.requiredFrom) : -1;
      return {
        id: role.id,
        name: findRole(plan, role.id)?.name ?? role.id,
        holder: holding?.holder ?? null,
        since: holding?.since ?? null,
        pendingHandoffTo: holding?.pendingHandoff?.to ?? null,
        requiredNow: severityRank >= 0 && requiredFromRank >= 0 && severityRank <= requiredFromRank,
      };
    }),
    phases: plan.phases.map((p) => ({ id: p.id, name: p.name, current: p.id === state.phase, entered: state.phaseHistory.some((h) => h.phase === p.id) })),
    checklist: (phase?.checklist ?? []).filter((item) => itemApplies(item, state.severity)).map((item) => {
      const done = state.completedItems[item.id];
      const clock = clockById.get(`checklist:${item.id}`);
      return {
        id: item.id,
        text: item.text,
        role: item.role ?? null,
        required: item.required,
        done: done !== undefined,
        doneBy: done?.by ?? null,
        doneAt: done?.at ?? null,
        dueAt: clock?.dueAt ?? null,
        clockState: clock?.state ?? null,
      };
    }),
    blockingItems: openRequiredItems(plan, state, state.phase),
    clocks,
    mostUrgentClock: mostUrgentClock(clocks) ?? null,
    regulatory: regulatoryStages(plan, state, at),
  };
}
