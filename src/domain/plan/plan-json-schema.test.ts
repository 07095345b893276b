import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchemaText } from './plan-json-schema.js';

describe('plans/plan.schema.json', () => {
  it('is up to date with the zod schema (run `npm run plan-schema` after changing it)', () => {
    const committed = readFileSync(new URL('../../../plans/plan.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(planJsonSchemaText());
  });
});
