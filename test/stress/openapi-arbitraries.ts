/**
 * fast-check arbitraries for API requests, generated from the server's own OpenAPI
 * document: values that fit an operation's JSON schemas ("valid-ish": right shape, random
 * content), and hostile mutations of them: wrong types, huge strings, deep nesting,
 * unicode edge cases (lone surrogates, RTL overrides, NUL), prototype-pollution keys,
 * SQL and template-injection strings, traversal in path parameters.
 */
import fc from 'fast-check';

export type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly $ref?: string;
};

/** Strings that have broken servers before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  '\u202Egnp.exe',
  'שלום עולם',
  '👩‍👩‍👧‍👦',
  'Z̴̡̢̛͓̲̈́͊a̷l̶g̸o̵',
  "'; DROP TABLE incidents; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  '{{ 7*7 }}',
  "{% include '/etc/passwd' %}",
  "{% render '/etc/passwd' %}",
  '{{ "" | constructor }}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as is.
  '${7*7}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  '-1',
  '1e309',
  'null',
  'true',
  '\r\nX-Injected: 1',
  '%00',
  '\t\n\u000b\f\r',
  '\uFEFF',
];

export const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(100_001, 20_001, 2_001, 65_536).map((n) => 'x'.repeat(n)),
  fc.nat({ max: 5_000 }).map((n) => 'Ω'.repeat(n)),
);

/** A body sent exactly as written (JSON.stringify would drop an own `__proto__` key). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Nested arrays or objects as JSON text, deep enough to hurt a naive recursive walk. */
export const deepNesting = fc.integer({ min: 500, max: 5_000 }).chain((depth) =>
  fc.boolean().map((arrays) => new RawJson(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
);

/** Sets `key` of a JSON object body to a raw JSON text, as text. */
function withRaw(body: unknown, key: string, raw: string): RawJson {
  const text = body && typeof body === 'object' && !Array.isArray(body) ? JSON.stringify(body) : '{}';
  const entry = `${JSON.stringify(key)}:${raw}`;
  return new RawJson(text === '{}' ? `{${entry}}` : `{${entry},${text.slice(1)}`);
}

/** Keys that try to reach a prototype once the body is merged or assigned somewhere. */
export const POLLUTION_KEYS = ['"__proto__":{"polluted":"yes","isAdmin":true,"role":"admin"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"__proto__":{"toString":"x"}'];

/** Adds a pollution key to a JSON object body, as text. */
export function polluted(body: unknown, key: string): RawJson {
  const text = body && typeof body === 'object' && !Array.isArray(body) ? JSON.stringify(body) : '{}';
  return new RawJson(text === '{}' ? `{${key}}` : `{${key},${text.slice(1)}`);
}

export const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  nastyString,
);

/** Path parameter values: traversal, encodings, unicode, huge. Already URL-encoded where needed. */
export const hostilePathSegment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%00', 'a%00b', '%C0%AE%C0%AE', '__proto__', 'constructor', '%20', '%E2%80%AE', '%F0%9F%94%A5', "'%20OR%20'1'%3D'1"),
  fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom(200, 2_000, 20_000).map((n) => 'A'.repeat(n)),
);

export function resolve(schema: JsonSchema, root: { components?: { schemas?: Record<string, JsonSchema> } }): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = root.components?.schemas?.[name];
  return found ? resolve(found, root) : {};
}

/** Values that fit the schema in shape (content random within the stated bounds). */
export function validish(schema: JsonSchema, root: Parameters<typeof resolve>[1], depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, root);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => validish(a, root, depth + 1)));
  if (s.allOf?.length) return validish(s.allOf[0]!, root, depth + 1);
  const type = Array.isArray(s.type) ? (s.type.find((t) => t !== 'null') ?? 'null') : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2026-03-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (s.format === 'uri') return fc.webUrl();
      if (s.format === 'email') return fc.emailAddress();
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? 60, Math.max(min, 60));
      return fc.string({ minLength: min, maxLength: max });
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -10, max: s.maximum ?? 1_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -10, max: s.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(validish(s.items ?? {}, root, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
    default: {
      if (!s.properties || depth > 4) return type === 'object' ? fc.constant({}) : fc.oneof(fc.string(), fc.integer(), fc.constant({}));
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(s.properties)) shape[key] = validish(value, root, depth + 1);
      return fc.record(shape, { requiredKeys: [...(s.required ?? [])].filter((k) => k in shape) });
    }
  }
}

/** A valid-ish value with one hostile change: a field's type or content, a key, the whole body. */
export function mutated(schema: JsonSchema, root: Parameters<typeof resolve>[1]): fc.Arbitrary<unknown> {
  const s = resolve(schema, root);
  const base = validish(s, root);
  const fieldNames = Object.keys(s.properties ?? resolve((s.oneOf ?? s.anyOf ?? [])[0] ?? {}, root).properties ?? {});
  const withField = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(base, fieldNames.length ? fc.constantFrom(...fieldNames) : fc.constant('x'), value).map(([b, key, v]) => (b && typeof b === 'object' && !Array.isArray(b) ? { ...b, [key]: v } : { [key]: v }));
  return fc.oneof(
    withField(nastyString),
    withField(wrongType),
    fc.tuple(base, fieldNames.length ? fc.constantFrom(...fieldNames) : fc.constant('x'), deepNesting).map(([b, key, deep]) => withRaw(b, key, deep.text)),
    fc.tuple(base, fc.constantFrom(...POLLUTION_KEYS)).map(([b, key]) => polluted(b, key)),
    deepNesting,
    wrongType,
    fc.constant(undefined),
  );
}
