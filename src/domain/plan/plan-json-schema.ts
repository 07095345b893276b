/**
 * The plan schema as JSON Schema, generated from the zod schema so the two never
 * disagree. Written to `plans/plan.schema.json` by `npm run plan-schema`; a test fails
 * when the committed file drifts from this.
 */
import { z } from 'zod';
import { PlanObjectSchema } from './plan-schema.js';

export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanObjectSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $comment: 'Generated from src/domain/plan/plan-schema.ts by `npm run plan-schema`. Do not edit.',
    ...schema,
    $id: 'https://firebreak.dev/schemas/plan.schema.json',
    title: 'Firebreak incident response plan',
  };
}

export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
