/**
 * Text both back ends can store. PostgreSQL refuses the NUL character in `text` and
 * `jsonb` and refuses unpaired UTF-16 surrogates in `jsonb`; SQLite would keep them. So
 * that both back ends accept exactly the same input, such text is refused before it is
 * written, with the field it came from named.
 */
import { fieldError } from '../domain/errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is looked for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describeProblem(text: string): string {
  return text.includes('\u0000') ? 'contains a NUL character (\\u0000), which cannot be stored' : 'contains an unpaired UTF-16 surrogate (broken Unicode), which cannot be stored';
}

/** Throws FB_ERR_INPUT_INVALID naming the first string in `value` that cannot be stored. */
export function assertStorableText(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) throw fieldError('FB_ERR_INPUT_INVALID', path, describeProblem(value));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) assertStorableText(item, `${path}[${i}]`);
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (UNSTORABLE.test(key)) throw fieldError('FB_ERR_INPUT_INVALID', path, `has a key that ${describeProblem(key)}`);
    assertStorableText(item, path ? `${path}.${key}` : key);
  }
}
