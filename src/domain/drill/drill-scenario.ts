/**
 * A drill (tabletop exercise) scenario, as a YAML file: the title and plan, the severity
 * the incident starts at, injects that arrive as timeline entries at offsets from the
 * start, and the actions the team is expected to take, each within a deadline.
 *
 * Expected actions: `acknowledge`, `sitrep`, `resolve`, `evidence`, `assign:<role>`,
 * `checklist:<item>`, `phase:<phase>`, `flag:<flag>`.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FirebreakError } from '../errors.js';
import { DurationText } from '../plan/plan-schema.js';
import { type Duration, parseDuration } from '../time/duration.js';

const ZERO = /^0+\s*[a-z ]*$/i;

/** An offset from the start: a duration, or zero ("0", "0m") for "at once". */
const Offset = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (ZERO.test(value)) return;
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

/** The duration of an offset; null for zero. */
export function offsetDuration(text: string): Duration | null {
  if (ZERO.test(text.trim())) return null;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unvalidated offset: ${parsed.error}`);
  return parsed.duration;
}

const ACTION = /^(acknowledge|sitrep|resolve|evidence|(assign|checklist|phase|flag):[A-Za-z0-9][A-Za-z0-9_-]*)$/;

export const DrillScenarioSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    plan: z.string().trim().min(1),
    severity: z.string().trim().min(1),
    category: z.string().trim().min(1).optional(),
    summary: z.string().trim().min(1).optional(),
    injects: z
      .array(z.object({ at: Offset, text: z.string().trim().min(1).max(10_000) }).strict())
      .default([]),
    expectedActions: z
      .array(
        z
          .object({
            action: z.string().regex(ACTION, 'must be acknowledge, sitrep, resolve, evidence, assign:<role>, checklist:<item>, phase:<phase> or flag:<flag>'),
            within: DurationText,
            description: z.string().trim().min(1).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type DrillScenario = z.infer<typeof DrillScenarioSchema>;

export function parseDrillScenario(text: string): DrillScenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new FirebreakError('FB_ERR_DRILL_SCENARIO_INVALID', `the scenario is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, [{ path: '(file)', message: 'not valid YAML' }]);
  }
  const result = DrillScenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(file)', message: i.message }));
  throw new FirebreakError('FB_ERR_DRILL_SCENARIO_INVALID', `the scenario is invalid: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
}
