/** For ingest parser tests: runs `run`, which must fail with FB_ERR_INGEST_MALFORMED, and answers the paths of the fields it names. */
import { expect } from 'vitest';
import { FirebreakError } from '../../src/domain/errors.js';

export function malformedFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FirebreakError);
    expect((error as FirebreakError).code).toBe('FB_ERR_INGEST_MALFORMED');
    return (error as FirebreakError).fields.map((f) => f.path);
  }
  throw new Error('expected a malformed-body error');
}
