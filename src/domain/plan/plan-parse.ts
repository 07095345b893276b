/**
 * Turns plan text (YAML or JSON) into a validated `Plan`, or into a list of problems that
 * each name the path in the file and what is wrong with it.
 */
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Plan, PlanSchema } from './plan-schema.js';

export interface PlanProblem {
  /** Path into the plan, e.g. `phases[2].checklist[0].role`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

export type PlanParseResult =
  | { readonly ok: true; readonly plan: Plan }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function zodProblems(error: z.ZodError): PlanProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function validatePlan(data: unknown): PlanParseResult {
  const result = PlanSchema.safeParse(data);
  if (result.success) return { ok: true, plan: result.data };
  return { ok: false, problems: zodProblems(result.error) };
}

export function parsePlanText(text: string): PlanParseResult {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ''}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // The yaml library refuses alias bombs (and a few other resource attacks) by throwing.
    return { ok: false, problems: [{ path: '', message: `YAML: ${(error as Error).message}` }] };
  }
  return validatePlan(data);
}
