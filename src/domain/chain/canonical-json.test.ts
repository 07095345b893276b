import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/**
 * The encoding every stored hash was made with, written as plainly as possible. The
 * fast form must give the same bytes for every value, or stored chains stop verifying.
 */
function referenceEncoding(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : referenceEncoding(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceEncoding(v)}`).join(',')}}`;
}

const member = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'a', 'A', 'é', '\u{1F600}', '__proto__x', '10', '2'));
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string({ unit: 'grapheme' })),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(member, tie('node'), { maxKeys: 6 })),
})).node;

describe('canonicalJson', () => {
  it('gives the same bytes as the reference encoding for any JSON value (with undefined members)', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(referenceEncoding(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders keys by UTF-16 code units, whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: { z: undefined, y: [undefined, 1] } })).toBe('{"B":2,"a":{"y":[null,1]},"b":1,"é":3}');
    expect(canonicalJson({ '10': 1, '2': 2, x: 3 })).toBe(referenceEncoding({ '10': 1, '2': 2, x: 3 }));
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(/non-finite/);
  });
});
