/**
 * Questions the incident core asks of a plan: which severity is more severe, which role
 * leads, which checklist items belong to a phase, when an item is due.
 */
import type { Duration } from '../time/duration.js';
import { type ChecklistItem, type Phase, type Plan, planDuration, type Role, type Severity } from './plan-schema.js';

export function findSeverity(plan: Plan, id: string): Severity | undefined {
  return plan.severities.find((s) => s.id.toLowerCase() === id.toLowerCase());
}

/** 0 for the most severe; severities are listed most severe first. */
export function severityRank(plan: Plan, id: string): number {
  return plan.severities.findIndex((s) => s.id.toLowerCase() === id.toLowerCase());
}

export function findRole(plan: Plan, id: string): Role | undefined {
  return plan.roles.find((r) => r.id.toLowerCase() === id.toLowerCase());
}

export function commanderRole(plan: Plan): Role {
  const role = plan.roles.find((r) => r.commander);
  if (!role) throw new Error(`plan ${plan.id} has no commander role`);
  return role;
}

export function communicationsRole(plan: Plan): Role | undefined {
  return plan.roles.find((r) => r.communications);
}

export function findPhase(plan: Plan, id: string): Phase | undefined {
  return plan.phases.find((p) => p.id.toLowerCase() === id.toLowerCase());
}

export function phaseIndex(plan: Plan, id: string): number {
  return plan.phases.findIndex((p) => p.id === id);
}

export function findChecklistItem(plan: Plan, itemId: string): { phase: Phase; item: ChecklistItem } | undefined {
  for (const phase of plan.phases) {
    const item = phase.checklist.find((i) => i.id.toLowerCase() === itemId.toLowerCase());
    if (item) return { phase, item };
  }
  return undefined;
}

/** Whether an item is on the checklist at this severity (unknown severity: every item). */
export function itemApplies(item: ChecklistItem, severityId: string | null | undefined): boolean {
  return !item.appliesTo || !severityId || item.appliesTo.some((s) => s.toLowerCase() === severityId.toLowerCase());
}

/** The due offset of an item for a severity, falling back to its `default`. */
export function itemDueOffset(item: ChecklistItem, severityId: string | undefined): Duration | undefined {
  if (!item.due || !itemApplies(item, severityId)) return undefined;
  const text = (severityId && item.due[severityId]) ?? item.due['default'];
  return text ? planDuration(text) : undefined;
}

/** Roles the plan requires at this severity (its `requiredFrom` is this severe or less). */
export function requiredRoles(plan: Plan, severityId: string): Role[] {
  const rank = severityRank(plan, severityId);
  return plan.roles.filter((r) => r.requiredFrom !== undefined && rank <= severityRank(plan, r.requiredFrom));
}
