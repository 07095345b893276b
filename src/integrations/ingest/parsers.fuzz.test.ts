/**
 * Fuzzing every ingest parser: real payloads of each source (the fixtures) with one field
 * anywhere in them replaced by anything — wrong types, nasty strings, deep nesting,
 * prototype-pollution keys — and arbitrary JSON. Each parse must give alerts, or an
 * `invalid` (HTTP 400) FirebreakError whose fields name a path; never another throw.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../domain/errors.js';
import { INGEST_KINDS, type IngestKind, PARSERS } from './index.js';

const RUNS = process.env['FIREBREAK_STRESS'] === '1' ? 5_000 : 200;
const FIXTURES = new URL('../../../test/fixtures/ingest/', import.meta.url);

interface Sample {
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

function samples(kind: IngestKind): Sample[] {
  const dir = new URL(`${kind}/`, FIXTURES);
  return readdirSync(dir)
    .filter((f) => !f.includes('malformed'))
    .map((file) => ({
      body: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as unknown,
      headers: (kind === 'github' ? { 'x-github-event': file.split('.')[0]!, 'x-github-delivery': 'fuzz-delivery' } : {}) as Record<string, string>,
    }));
}

/** Every path to a value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function replaced(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, replacement) : v));
  if (value && typeof value === 'object') return { ...(value as object), [head as string]: replaced((value as Record<string, unknown>)[head as string], rest, replacement) };
  return value;
}

const nasty = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('', '\u0000', '\uD800', '\u202E', "'; DROP TABLE alerts; --", '{{ 7*7 }}', 'x'.repeat(100_000), -1, Number.POSITIVE_INFINITY, Number.NaN, null, [], {}),
  fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
  fc.integer({ min: 100, max: 2_000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
);

function expectAlertsOrNamedError(kind: IngestKind, body: unknown, headers: Record<string, string>): void {
  try {
    const parsed = PARSERS[kind]({ body, headers, query: {} });
    expect(Array.isArray(parsed.alerts)).toBe(true);
  } catch (error) {
    if (!(error instanceof FirebreakError)) throw new Error(`${kind} parser threw ${String(error)} instead of a FirebreakError`);
    expect(error.kind).toBe('invalid');
    expect(error.fields.length).toBeGreaterThan(0);
    for (const f of error.fields) expect(f.path.length).toBeGreaterThan(0);
  }
}

describe('ingest parser fuzz', () => {
  for (const kind of INGEST_KINDS) {
    it(`${kind}: a real payload with any one value replaced gives alerts or a 400 naming the field`, () => {
      const all = samples(kind);
      const cases = fc.constantFrom(...all).chain((sample) => fc.tuple(fc.constant(sample), fc.constantFrom(...paths(sample.body)), nasty));
      fc.assert(
        fc.property(cases, ([sample, path, value]) => expectAlertsOrNamedError(kind, replaced(sample.body, path, value), sample.headers)),
        { numRuns: RUNS },
      );
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it(`${kind}: arbitrary JSON gives alerts or a 400 naming the field`, () => {
      const headers = samples(kind)[0]!.headers;
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), (body) => expectAlertsOrNamedError(kind, body, headers)),
        { numRuns: RUNS },
      );
    });
  }
});
