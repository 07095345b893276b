/**
 * Turns a zod validation failure into the catalogue's error, one field problem per issue,
 * so every bad input is refused with the same shape (HTTP 400 / CLI exit 2) naming the field.
 */
import type { z } from 'zod';
import { type ErrorCode, FirebreakError } from './errors.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode = 'FB_ERR_INPUT_INVALID', prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(input)',
    message: issue.message,
  }));
  throw new FirebreakError(code, fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}
