/**
 * The VEX register's entries: for one product version and one vulnerability, whether the
 * product is affected. Statuses and justifications are the ones CSAF VEX and OpenVEX share
 * (the five justification labels are identical in both), so one statement exports to
 * either without translation. `not_affected` needs a justification, `affected` an action.
 */
import { z } from 'zod';
import { FirebreakError } from '../errors.js';
import { CVE_PATTERN } from '../advisory/advisory-content.js';

export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

const Text = z.string().trim().min(1, 'must not be empty');

export const VexStatementInputSchema = z
  .object({
    product: Text.max(200),
    version: Text.max(100),
    /** A CVE id or an advisory id of this system. */
    vulnerability: Text.max(100),
    status: z.enum(VEX_STATUSES),
    justification: z.enum(VEX_JUSTIFICATIONS).optional(),
    /** Why the product is not affected, in words (CSAF threat "impact", OpenVEX impact_statement). */
    impactStatement: Text.optional(),
    /** What users of an affected product should do. */
    actionStatement: Text.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.status === 'not_affected' && !s.justification) {
      ctx.addIssue({ code: 'custom', path: ['justification'], message: `is required for not_affected (one of ${VEX_JUSTIFICATIONS.join(', ')})` });
    }
    if (s.status !== 'not_affected' && s.justification) {
      ctx.addIssue({ code: 'custom', path: ['justification'], message: 'only applies to not_affected' });
    }
    if (s.status === 'affected' && !s.actionStatement) {
      ctx.addIssue({ code: 'custom', path: ['actionStatement'], message: 'is required for affected (what should users do?)' });
    }
  });

export type VexStatementInput = z.infer<typeof VexStatementInputSchema>;

export interface VexStatement extends VexStatementInput {
  readonly recordedAt: string;
  readonly actor: string;
}

export function isCveId(id: string): boolean {
  return CVE_PATTERN.test(id);
}

export function checkVexStatement(input: unknown): VexStatementInput {
  const parsed = VexStatementInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(statement)', message: i.message }));
  throw new FirebreakError('FB_ERR_INPUT_INVALID', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}
