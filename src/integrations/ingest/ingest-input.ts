/**
 * What every ingest parser shares: the request it is given, turning zod's complaints
 * into one `FB_ERR_INGEST_MALFORMED` error that names each field, and a short raw
 * excerpt of the source's JSON with anything secret-looking removed.
 */
import type { z } from 'zod';
import { FirebreakError } from '../../domain/errors.js';

export interface IngestRequest {
  /** The parsed JSON body. */
  readonly body: unknown;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Query parameters (e.g. `repository` for a SARIF upload). */
  readonly query: Readonly<Record<string, string | undefined>>;
}

/** Dotted path with indexes, e.g. `alerts[0].labels.severity`. */
export function issuePath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(body)';
}

export function malformed(what: string, error: z.ZodError, prefix = ''): FirebreakError {
  const fields = error.issues.slice(0, 20).map((issue) => ({ path: issuePath(issue.path, prefix), message: issue.message }));
  const first = fields[0];
  return new FirebreakError(
    'FB_ERR_INGEST_MALFORMED',
    `not a valid ${what}: ${first ? `${first.path}: ${first.message}` : 'invalid'}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`,
    fields,
  );
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw malformed(what, result.error, prefix);
  return result.data;
}

const SECRET_KEYS = /^(secret|token|password|passwd|snippet|contextregion|authorization|api_?key|private_?key)$/i;
const EXCERPT_LIMIT = 2000;

function redact(value: unknown, depth: number): unknown {
  if (depth > 8) return '…';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEYS.test(key) ? '[removed]' : redact(v, depth + 1);
    return out;
  }
  if (typeof value === 'string' && value.length > 500) return `${value.slice(0, 500)}…`;
  return value;
}

/** A JSON excerpt of `value` for the record: secret-looking members removed, at most 2,000 characters. */
export function rawExcerpt(value: unknown): string {
  const text = JSON.stringify(redact(value, 0));
  return text.length > EXCERPT_LIMIT ? `${text.slice(0, EXCERPT_LIMIT - 1)}…` : text;
}

export function lower(value: string | null | undefined): string | null {
  return value === null || value === undefined || value === '' ? null : value.toLowerCase();
}
