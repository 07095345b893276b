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
  FB_ERR_REGULATORY_ALREADY_FILED: { kind: 'conflict', doc: 'The regulatory stage was already filed and is not one that may be filed again.' },
  FB_ERR_REGULATORY_OUT_OF_ORDER: { kind: 'conflict', doc: 'A regulatory stage was filed before the stage it follows (or starts from) was filed.' },
  FB_ERR_REGULATORY_DRAFT_NOT_READY: { kind: 'conflict', doc: 'A regulatory report draft cannot be approved or exported yet: it does not exist, lacks required items, or is not approved.' },
  FB_ERR_REGULATORY_SAME_REVIEWER: { kind: 'conflict', doc: "A regulatory report draft was reviewed by its last editor; a second person must review it." },
  FB_ERR_REGULATORY_REPORT_MISMATCH: { kind: 'invalid', doc: "A filing's reportSha256 is not the SHA-256 of the stage's approved report export." },
  FB_ERR_REGULATORY_REASON_REQUIRED: { kind: 'invalid', doc: 'A regulatory filing past its deadline needs the reason for the delay (GDPR Art. 33(1)).' },
  FB_ERR_EVIDENCE_NOT_FOUND: { kind: 'not_found', doc: 'No evidence item with that id, or you may not see its incident.' },
  FB_ERR_EVIDENCE_TOO_LARGE: { kind: 'too_large', doc: 'The evidence file exceeds FIREBREAK_EVIDENCE_MAX_BYTES; nothing was stored.' },
  FB_ERR_EVIDENCE_MISSING_BYTES: { kind: 'conflict', doc: 'The stored bytes of an evidence item are missing or no longer match its SHA-256.' },
  FB_ERR_REVIEW_COMPLETED: { kind: 'conflict', doc: 'The post-incident review is completed and can no longer be edited.' },
  FB_ERR_ACTION_NOT_FOUND: { kind: 'not_found', doc: 'No action item with that id.' },
  FB_ERR_DRILL_SCENARIO_INVALID: { kind: 'invalid', doc: 'A drill scenario file failed validation; each problem names its path.' },
  FB_ERR_REPORT_RENDER_FAILED: { kind: 'unavailable', doc: 'The PDF could not be rendered (headless Chromium missing or failed).' },
  FB_ERR_CONTACT_EXISTS: { kind: 'conflict', doc: 'The user already has that contact point.' },
  FB_ERR_CONTACT_NOT_FOUND: { kind: 'not_found', doc: 'The user has no such contact point.' },
  FB_ERR_OUTBOUND_TARGET_REFUSED: {
    kind: 'invalid',
    doc: 'The delivery target is an internal address (loopback, private, link-local, metadata, …) or a name resolving to one, and FIREBREAK_OUTBOUND_ALLOW does not allow it; nothing was stored.',
  },
  FB_ERR_DELIVERY_NOT_FOUND: { kind: 'not_found', doc: 'No message delivery with that id.' },
  FB_ERR_DELIVERY_NOT_IN_REVIEW: { kind: 'conflict', doc: 'The message is not waiting for review (already approved, rejected or sent).' },
  FB_ERR_MESSAGE_PLACEHOLDER: { kind: 'invalid', doc: 'The message still holds an unfilled placeholder (an undefined template variable, {{ … }}, [TBD], <…>, a lone …); nothing was sent or stored.' },
  FB_ERR_MESSAGE_NOT_FOUND: { kind: 'not_found', doc: 'No composed message with that id, or you may not see its incident.' },
  FB_ERR_MESSAGE_NOT_IN_REVIEW: { kind: 'conflict', doc: 'The message is not waiting for review (already sent or rejected).' },
  FB_ERR_MESSAGE_REVIEWER: { kind: 'conflict', doc: 'This reviewer may not approve the message: its author, or someone who already approved it.' },
  FB_ERR_ACK_LINK_UNKNOWN: { kind: 'not_found', doc: 'The acknowledge link is not one Firebreak sent (mistyped, cut short or made up).' },
  FB_ERR_ACK_LINK_EXPIRED: { kind: 'conflict', doc: 'The acknowledge link has expired (FIREBREAK_ACK_LINK_TTL, 24 hours by default); acknowledge from the incident page instead.' },
  FB_ERR_ACK_LINK_USED: { kind: 'conflict', doc: 'The acknowledge link was already used; each link acknowledges once.' },
  FB_ERR_PAGING_UNREACHABLE: { kind: 'unavailable', doc: '`firebreak doctor`: at least one plan’s escalation would page nobody right now; the output names what to configure.' },
  FB_ERR_POLICY_NOT_FOUND: { kind: 'not_found', doc: 'No escalation policy with that id.' },
  FB_ERR_DELIVERY_NOT_DEAD: { kind: 'conflict', doc: 'Only a dead-lettered message (it ran out of retries) can be retried by hand.' },
  FB_ERR_CHAIN_BROKEN: { kind: 'conflict', doc: 'The incident’s hash chain does not verify; it was altered.' },
  FB_ERR_INGEST_UNKNOWN_SOURCE: { kind: 'not_found', doc: 'No ingest source with that name is configured.' },
  FB_ERR_INGEST_BAD_SIGNATURE: { kind: 'unauthenticated', doc: 'The ingest request’s signature or bearer token does not match the source’s secret.' },
  FB_ERR_INGEST_REPLAYED: { kind: 'conflict', doc: 'The signed ingest request was accepted before (same signature): a replay; nothing changed.' },
  FB_ERR_INGEST_MALFORMED: { kind: 'invalid', doc: 'The ingest body is not what the source’s format requires; `fields` names each problem.' },
  FB_ERR_INGEST_SOURCE_EXISTS: { kind: 'conflict', doc: 'An ingest source with that name already exists.' },
  FB_ERR_INGEST_ROUTE_NOT_FOUND: { kind: 'not_found', doc: 'No routing rule with that id.' },
  FB_ERR_REPORT_NOT_FOUND: { kind: 'not_found', doc: 'No public report behind that status link (or for that incident).' },
  FB_ERR_REPORT_REJECTED: { kind: 'invalid', doc: 'The report looks automated (the hidden field was filled in) and was not accepted.' },
  FB_ERR_CHECKPOINT_INVALID: { kind: 'invalid', doc: 'A checkpoint file (or verifier key) is not in the documented format (docs/checkpoints.md); the message names the line.' },
  FB_ERR_CHECKPOINT_DIVERGED: { kind: 'conflict', doc: 'No new checkpoint was signed: the store no longer extends the last one (a chain was cut, removed or rewritten); run `firebreak verify --checkpoint`.' },
  FB_ERR_HTTP_NOT_FOUND: { kind: 'not_found', doc: 'No API route answers this method and path.' },
  FB_ERR_HTTP_TOO_LARGE: { kind: 'too_large', doc: 'The request body is larger than the server accepts.' },
  FB_ERR_HTTP_RATE_LIMITED: { kind: 'rate_limited', doc: 'Too many requests; wait for the time in Retry-After and try again.' },
  FB_ERR_HTTP_OVERLOADED: { kind: 'unavailable', doc: 'The server is overloaded and refused the request before doing anything; retry after the time in Retry-After.' },
  FB_ERR_HTTP_UNSUPPORTED_MEDIA: { kind: 'invalid', doc: 'The request body is not JSON (send Content-Type: application/json).' },
  FB_ERR_AUTH_REQUIRED: { kind: 'unauthenticated', doc: 'Sign in (session cookie) or send a valid API token (Authorization: Bearer).' },
  FB_ERR_AUTH_BAD_CREDENTIALS: { kind: 'unauthenticated', doc: 'The e-mail and password do not match an active user.' },
  FB_ERR_AUTH_TOKEN_INVALID: { kind: 'unauthenticated', doc: 'The API token is unknown, expired or revoked.' },
  FB_ERR_AUTH_CSRF: { kind: 'forbidden', doc: 'A cookie-authenticated change lacked the X-CSRF-Token header from GET /api/v1/auth/session.' },
  FB_ERR_AUTH_FORBIDDEN: { kind: 'forbidden', doc: 'Your role does not permit this action.' },
  FB_ERR_AUTH_SETUP_DONE: { kind: 'conflict', doc: 'Setup is over: a user already exists. Sign in instead.' },
  FB_ERR_AUTH_OIDC_DISABLED: { kind: 'not_found', doc: 'Single sign-on (OIDC) is not configured on this server.' },
  FB_ERR_AUTH_OIDC_FAILED: { kind: 'unauthenticated', doc: 'The single sign-on exchange with the identity provider failed.' },
  FB_ERR_USER_NOT_FOUND: { kind: 'not_found', doc: 'No user with that id.' },
  FB_ERR_AUTH_WEAK_PASSWORD: { kind: 'invalid', doc: 'The password is shorter than 12 characters or easy to guess (a common password, a word with digits, a keyboard pattern, your own name or e-mail); the message says which.' },
  FB_ERR_AUTH_LOGIN_BUDGET: { kind: 'rate_limited', doc: 'Too many failed sign-ins from this address across all accounts (FIREBREAK_LOGIN_FAILURES_PER_ADDRESS within FIREBREAK_LOGIN_FAILURE_WINDOW_MINUTES); wait and try again.' },
  FB_ERR_SESSION_NOT_FOUND: { kind: 'not_found', doc: 'You have no session with that id (GET /api/v1/auth/sessions lists yours).' },
  FB_ERR_USER_EXISTS: { kind: 'conflict', doc: 'A user with that e-mail or handle already exists.' },
  FB_ERR_TOKEN_NOT_FOUND: { kind: 'not_found', doc: 'No API token of yours with that id.' },
  FB_ERR_IDEMPOTENCY_KEY_REUSED: { kind: 'invalid', doc: 'The Idempotency-Key was already used for a different request.' },
  FB_ERR_IDEMPOTENCY_IN_PROGRESS: { kind: 'conflict', doc: 'A request with this Idempotency-Key is still being processed; retry shortly.' },
  FB_ERR_SERVER_UNREACHABLE: { kind: 'unavailable', doc: 'The Firebreak server (--server) could not be reached or answered unexpectedly.' },
  FB_ERR_TRANSFER_FILE_INVALID: { kind: 'invalid', doc: 'The file is not a Firebreak backup or export, or a line of it is malformed.' },
  FB_ERR_TRANSFER_TARGET_NOT_EMPTY: { kind: 'conflict', doc: 'The target store already holds data; restore or migrate into an empty store, or pass --force.' },
  FB_ERR_TRANSFER_SCHEMA_MISMATCH: { kind: 'conflict', doc: 'The source and target stores are at different schema versions (migrations).' },
  FB_ERR_TRANSFER_CHECK_FAILED: { kind: 'conflict', doc: 'After copying, the row counts or projections differed from the source; nothing was committed.' },
  FB_ERR_TRANSFER_INCIDENT_EXISTS: { kind: 'conflict', doc: 'An imported incident already exists in the target store.' },
  FB_ERR_STORE_NOT_READY: { kind: 'unavailable', doc: 'The database cannot be reached, or its schema is not the one this version expects (/api/ready).' },
  FB_ERR_STORE_WRITE_CONFLICT: { kind: 'conflict', doc: 'Another writer kept changing the same record at the same moment; nothing was written, try again.' },
  FB_ERR_ADVISORY_NOT_FOUND: { kind: 'not_found', doc: 'No advisory with that id (or it is not public yet).' },
  FB_ERR_ADVISORY_CVSS_INVALID: { kind: 'invalid', doc: 'A CVSS vector is malformed; the message names the metric at fault.' },
  FB_ERR_ADVISORY_ILLEGAL_TRANSITION: { kind: 'conflict', doc: 'The advisory command is not allowed in its current status.' },
  FB_ERR_ADVISORY_SELF_APPROVAL: { kind: 'forbidden', doc: 'An author of the advisory tried to approve it; a second person must.' },
  FB_ERR_ADVISORY_INCOMPLETE: { kind: 'conflict', doc: 'Required advisory fields are missing; `fields` lists every one.' },
  FB_ERR_ADVISORY_GATED: { kind: 'conflict', doc: "Checklist items that gate publishing (gates: [advisory-publish]) are open on the incident." },
  FB_ERR_ADVISORY_STALE_VERSION: { kind: 'conflict', doc: 'The advisory changed since the version you sent.' },
  FB_ERR_SCHEDULE_NOT_FOUND: { kind: 'not_found', doc: 'No on-call schedule with that id.' },
  FB_ERR_SCHEDULE_EXISTS: { kind: 'conflict', doc: 'An on-call schedule with that id already exists; update it instead.' },
  FB_ERR_SCHEDULE_OVERRIDE_OVERLAPS: { kind: 'conflict', doc: 'The override overlaps another override of the same schedule; remove that one first.' },
  FB_ERR_SCHEDULE_OVERRIDE_NOT_FOUND: { kind: 'not_found', doc: 'The schedule has no override with that id.' },
  FB_ERR_SCHEDULE_FEED_NOT_FOUND: { kind: 'not_found', doc: 'You have no calendar feed link to revoke.' },
  FB_ERR_SCHEDULE_IN_USE: { kind: 'conflict', doc: 'An escalation policy pages this schedule; change the policy before deleting it.' },
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
