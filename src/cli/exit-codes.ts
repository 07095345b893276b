/**
 * The CLI's exit codes, mapped from error kinds in this one place.
 * 0 success · 1 verification failed · 2 bad usage or input · 3 not found ·
 * 4 conflict (not allowed now) · 5 not signed in / not permitted · 6 service unavailable ·
 * 70 internal error (a bug: please report it).
 */
import type { ErrorKind } from '../domain/errors.js';

export const EXIT = {
  ok: 0,
  verifyFailed: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  denied: 5,
  unavailable: 6,
  internal: 70,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid':
    case 'too_large':
      return EXIT.usage;
    case 'not_found':
      return EXIT.notFound;
    case 'conflict':
      return EXIT.conflict;
    case 'unauthenticated':
    case 'forbidden':
      return EXIT.denied;
    case 'rate_limited':
    case 'unavailable':
      return EXIT.unavailable;
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}
