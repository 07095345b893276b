/**
 * The error catalogue shared by every layer. Each error has a stable code
 * (`FB_ERR_<AREA>_<WHAT>`), a kind that decides its HTTP status and CLI exit code (mapped
 * in exactly one place each: `http/problem.ts`, `cli/exit-codes.ts`), and a message for
 * the person who caused it. `field` names the offending input when there is one.
 */

export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'rate_limited' | 'unavailable';

export const ERROR_CATALOGUE = {
  FB_ERR_INPUT_INVALID: { kind: 'invalid', doc: 'A request or argument failed validation; `fields` lists each problem.' },
  FB_ERR_PLAN_INVALID: { kind: 'invalid', doc: 'A plan file failed validation; each problem names its path in the file.' },
  FB_ERR_PLAN_NOT_FOUND: { kind: 'not_found', doc: 'No plan with that id (and version) is loaded.' },
  FB_ERR_INCIDENT_NOT_FOUND: { kind: 'not_found', doc: 'No incident with that id, or you may not see it.' },
  FB_ERR_INCIDENT_UNKNOWN_SEVERITY: { kind: 'invalid', doc: "The severity is not one of the plan's severities." },
  FB_ERR_INCIDENT_UNKNOWN_CATEGORY: { kind: 'invalid', doc: "The category is not one of the plan's categories." },
  FB_ERR_INCIDENT_UNKNOWN_ROLE: { kind: 'invalid', doc: "The role is not one of the plan's roles." },
  FB_ERR_INCIDENT_UNKNOWN_PHASE: { kind: 'invalid', doc: "The phase is not one of the plan's phases." },
  FB_ERR_INCIDENT_UNKNOWN_ITEM: { kind: 'invalid', doc: "The checklist item is not in the plan's checklists." },
  FB_ERR_INCIDENT_UNKNOWN_CLOCK: { kind: 'invalid', doc: "The regulatory clock is not one of the plan's." },
  FB_ERR_INCIDENT_ILLEGAL_TRANSITION: { kind: 'conflict', doc: 'The command is not allowed in the incident’s current status.' },
  FB_ERR_INCIDENT_REQUIRED_ITEMS_OPEN: { kind: 'conflict', doc: 'Required checklist items of the current phase are still open.' },
  FB_ERR_INCIDENT_ROLE_HELD: { kind: 'conflict', doc: 'The role is held by someone; move it with a handoff.' },
  FB_ERR_INCIDENT_HANDOFF: { kind: 'conflict', doc: 'The handoff cannot proceed (none pending, one pending, or the wrong person).' },
  FB_ERR_INCIDENT_NOTHING_TO_DO: { kind: 'conflict', doc: 'The command would change nothing (already done).' },
  FB_ERR_INCIDENT_STALE_VERSION: { kind: 'conflict', doc: 'The incident changed since the version you sent (If-Match).' },
  FB_ERR_CHAIN_BROKEN: { kind: 'conflict', doc: 'The incident’s hash chain does not verify; it was altered.' },
  FB_ERR_REQUEST_TOO_LARGE: { kind: 'too_large', doc: 'The request body is larger than this endpoint accepts.' },
  FB_ERR_RATE_LIMITED: { kind: 'rate_limited', doc: 'Too many requests from this address; wait and try again.' },
  FB_ERR_INGEST_UNKNOWN_SOURCE: { kind: 'not_found', doc: 'No ingest source with that name is configured.' },
  FB_ERR_INGEST_BAD_SIGNATURE: { kind: 'unauthenticated', doc: 'The ingest request’s signature or bearer token does not match the source’s secret.' },
  FB_ERR_INGEST_MALFORMED: { kind: 'invalid', doc: 'The ingest body is not what the source’s format requires; `fields` names each problem.' },
  FB_ERR_INGEST_SOURCE_EXISTS: { kind: 'conflict', doc: 'An ingest source with that name already exists.' },
  FB_ERR_INGEST_ROUTE_NOT_FOUND: { kind: 'not_found', doc: 'No routing rule with that id.' },
  FB_ERR_REPORT_NOT_FOUND: { kind: 'not_found', doc: 'No public report behind that status link (or for that incident).' },
  FB_ERR_REPORT_REJECTED: { kind: 'invalid', doc: 'The report looks automated (the hidden field was filled in) and was not accepted.' },
} as const satisfies Record<string, { kind: ErrorKind; doc: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldProblem {
  /** Dotted path of the input, e.g. `severity` or `phases[2].checklist[0].role`. */
  readonly path: string;
  readonly message: string;
}

export class FirebreakError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly fields: readonly FieldProblem[];

  constructor(code: ErrorCode, message: string, fields: readonly FieldProblem[] = []) {
    super(message);
    this.name = 'FirebreakError';
    this.code = code;
    this.kind = ERROR_CATALOGUE[code].kind;
    this.fields = fields;
  }
}

/** Shorthand for an error about one named input. */
export function fieldError(code: ErrorCode, path: string, message: string): FirebreakError {
  return new FirebreakError(code, `${path}: ${message}`, [{ path, message }]);
}
