/**
 * The official validators the export tests run: the OSV JSON schema (from ossf/osv-schema,
 * see test/fixtures/schemas/README.md) with ajv, and the BSI's csaf-validator-lib (CSAF 2.0
 * strict schema plus every mandatory test of the standard's section 6.1).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as csafMandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const osvSchema = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/schemas/osv-schema.json', import.meta.url)), 'utf8')) as object;
// ajv-formats is CommonJS whose types declare an ES default export: under NodeNext the
// plugin function is both the module and its `.default`.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const osvValidate = ajv.compile(osvSchema);

export interface Verdict {
  readonly valid: boolean;
  readonly errors: readonly string[];
  /** One line for the test output. */
  readonly summary: string;
}

export function validateOsv(document: unknown): Verdict {
  const valid = osvValidate(document) as boolean;
  const errors = (osvValidate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  return { valid, errors, summary: valid ? 'OSV schema: valid' : `OSV schema: INVALID (${errors.join('; ')})` };
}

const CSAF_TESTS = [csaf_2_0_strict, ...Object.values(csafMandatory)];

export async function validateCsaf(document: unknown): Promise<Verdict> {
  const result = await validateStrict(CSAF_TESTS, document);
  const errors = result.tests.flatMap((t) => t.errors.map((e) => `${t.name} ${e.instancePath}: ${e.message}`));
  const summary = result.isValid
    ? `CSAF 2.0 validator: valid (${CSAF_TESTS.length} tests: strict schema + ${CSAF_TESTS.length - 1} mandatory, ${result.tests.reduce((n, t) => n + t.warnings.length, 0)} warnings)`
    : `CSAF 2.0 validator: INVALID (${errors.join('; ')})`;
  return { valid: result.isValid, errors, summary };
}
