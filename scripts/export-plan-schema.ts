/** Writes plans/plan.schema.json from the zod plan schema. */
import { writeFileSync } from 'node:fs';
import { planJsonSchemaText } from '../src/domain/plan/plan-json-schema.js';

const target = new URL('../plans/plan.schema.json', import.meta.url);
writeFileSync(target, planJsonSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);
