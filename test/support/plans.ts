/** Loads a built-in plan by id for tests (validated, as the server would). */
import { readFileSync } from 'node:fs';
import { parsePlanText } from '../../src/domain/plan/plan-parse.js';
import type { Plan } from '../../src/domain/plan/plan-schema.js';

export const BUILT_IN_PLAN_IDS = [
  'nist-800-61r3',
  'iso27001-library',
  'iec62443-platform',
  'nist-team-procedures',
  'community-disclosure',
  'defi-sirt',
] as const;

export function builtInPlan(id: string): Plan {
  const result = parsePlanText(readFileSync(new URL(`../../plans/${id}.yaml`, import.meta.url), 'utf8'));
  if (!result.ok) throw new Error(`plan ${id} is invalid: ${JSON.stringify(result.problems)}`);
  return result.plan;
}
