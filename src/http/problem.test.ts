import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type ErrorCode, FirebreakError } from '../domain/errors.js';
import { statusOf } from './problem.js';

describe('problem statuses', () => {
  it('gives every catalogued code a 4xx status, or 503 when the service is unavailable', () => {
    for (const code of Object.keys(ERROR_CATALOGUE) as ErrorCode[]) {
      const status = statusOf(new FirebreakError(code, 'x'));
      if (ERROR_CATALOGUE[code].kind === 'unavailable') expect(status, code).toBe(503);
      else expect(status >= 400 && status < 500, code).toBe(true);
    }
  });

  it('maps the kinds the contract names', () => {
    expect(statusOf(new FirebreakError('FB_ERR_INPUT_INVALID', 'x'))).toBe(400);
    expect(statusOf(new FirebreakError('FB_ERR_AUTH_REQUIRED', 'x'))).toBe(401);
    expect(statusOf(new FirebreakError('FB_ERR_AUTH_FORBIDDEN', 'x'))).toBe(403);
    expect(statusOf(new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', 'x'))).toBe(404);
    expect(statusOf(new FirebreakError('FB_ERR_INCIDENT_STALE_VERSION', 'x'))).toBe(409);
    expect(statusOf(new FirebreakError('FB_ERR_HTTP_TOO_LARGE', 'x'))).toBe(413);
    expect(statusOf(new FirebreakError('FB_ERR_HTTP_UNSUPPORTED_MEDIA', 'x'))).toBe(415);
    expect(statusOf(new FirebreakError('FB_ERR_IDEMPOTENCY_KEY_REUSED', 'x'))).toBe(422);
    expect(statusOf(new FirebreakError('FB_ERR_HTTP_RATE_LIMITED', 'x'))).toBe(429);
  });
});
