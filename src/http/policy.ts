/**
 * The one place that answers "may this user see or do this?". Every route asks here;
 * nothing else compares roles.
 *
 * - admin: everything, including every restricted incident.
 * - responder: sees every open incident and the restricted ones they are a member of;
 *   runs every command on what they see.
 * - viewer: reads what a responder would see; changes nothing.
 * - reporter: reports events and sees only the ones they reported.
 * A restricted incident does not exist for anyone else: routes answer 404, and lists,
 * counts, search, streams and verification leave it out.
 * Advisories belong to their incident: whoever cannot see the incident cannot see its
 * advisories (404, left out of lists); drafts are team work, so reporters never read them.
 */
import type { Principal } from '../app/auth/auth-service.js';
import type { User } from '../app/auth/user.js';
import type { IncidentCommandType } from '../domain/incident/commands.js';
import type { IncidentState } from '../domain/incident/state.js';

/**
 * Members of an incident: everyone added as a member, its (named) reporter, and everyone
 * who holds a role or is being handed one.
 */
export function isMember(user: User, state: IncidentState): boolean {
  if (state.members.includes(user.handle)) return true;
  if (!state.reporter.anonymous && state.reporter.name === user.handle) return true;
  return Object.values(state.roles).some((r) => r.holder === user.handle || r.pendingHandoff?.to === user.handle);
}

function isOwnReport(user: User, state: IncidentState): boolean {
  return !state.reporter.anonymous && state.reporter.name === user.handle;
}

export const policy = {
  canSeeIncident(user: User, state: IncidentState): boolean {
    if (user.disabled) return false;
    if (user.role === 'admin') return true;
    if (user.role === 'reporter') return isOwnReport(user, state);
    return !state.restricted || isMember(user, state);
  },

  /**
   * `canSeeIncident` decided from the projection's `restricted` column alone when that is
   * enough (lists then parse only the states they show); `undefined` when the full state
   * is needed: reporters (is it their report?) and restricted incidents (are they a member?).
   */
  canSeeIncidentFromColumns(user: User, columns: { readonly restricted: boolean }): boolean | undefined {
    if (user.disabled) return false;
    if (user.role === 'admin') return true;
    if (user.role === 'reporter') return undefined;
    return columns.restricted ? undefined : true;
  },

  canReportIncident(user: User): boolean {
    return user.role === 'admin' || user.role === 'responder' || user.role === 'reporter';
  },

  /** Commands on an incident the user can already see. */
  canRunCommand(user: User, state: IncidentState, _command: IncidentCommandType): boolean {
    if (!policy.canSeeIncident(user, state)) return false;
    return user.role === 'admin' || user.role === 'responder';
  },

  canReadPlans(user: User): boolean {
    return !user.disabled;
  },

  canManageUsers(user: User): boolean {
    return user.role === 'admin';
  },

  /** Personal API tokens: every signed-in user manages their own. */
  canManageOwnTokens(principal: Principal): boolean {
    return !principal.user.disabled;
  },

  /** Their own sessions and password: every signed-in user. */
  canManageOwnCredentials(principal: Principal): boolean {
    return !principal.user.disabled;
  },

  /** Evidence metadata and custody, the review, action items: whoever may audit the incident (not reporters). */
  canReadAfter(user: User, state: IncidentState): boolean {
    return policy.canSeeIncident(user, state) && user.role !== 'reporter';
  },

  /**
   * Adding and handling evidence (each view, download, export and transfer is a custody
   * event on the log), editing the review and action items: responders and admins.
   */
  canWorkAfter(user: User, state: IncidentState): boolean {
    return policy.canSeeIncident(user, state) && (user.role === 'admin' || user.role === 'responder');
  },

  /** Metrics, overdue action items and search across the incidents one may see. */
  canReadAcrossIncidents(user: User): boolean {
    return !user.disabled && user.role !== 'reporter';
  },

  /** Starting a drill (it is an incident, marked as an exercise) and recording plan upkeep. */
  canRunExercises(user: User): boolean {
    return user.role === 'admin' || user.role === 'responder';
  },

  /** An advisory (draft, reviews, revisions, exports) of an incident: whoever may audit the incident. */
  canReadAdvisory(user: User, incident: IncidentState): boolean {
    return policy.canReadAfter(user, incident);
  },

  /** Drafting, editing, reviewing, scheduling and publishing an advisory of an incident. */
  canWriteAdvisory(user: User, incident: IncidentState): boolean {
    return policy.canWorkAfter(user, incident);
  },

  /** The VEX register is organisation-wide, not tied to one incident: read it as metrics are read. */
  canReadVex(user: User): boolean {
    return policy.canReadAcrossIncidents(user);
  },

  canWriteVex(user: User): boolean {
    return !user.disabled && (user.role === 'admin' || user.role === 'responder');
  },

  /** Scoring a CVSS vector reads nothing stored: anyone signed in. */
  canScoreCvss(user: User): boolean {
    return !user.disabled;
  },

  /** An incident's composed messages and its delivery record: whoever may audit the incident. */
  canReadMessages(user: User, state: IncidentState): boolean {
    return policy.canReadAfter(user, state);
  },

  /** Composing, sending, approving and rejecting an incident's plan messages: its responders. */
  canSendMessages(user: User, state: IncidentState): boolean {
    return policy.canWorkAfter(user, state);
  },

  /** Contact points, channel endpoints and the message record (bodies of any incident): admins. */
  canManageDelivery(user: User): boolean {
    return user.role === 'admin';
  },

  /**
   * A checkpoint's leaf lines name every chain, restricted incidents included, so reading
   * checkpoints and checking the store against one is for admins.
   */
  canReadCheckpoints(user: User): boolean {
    return user.role === 'admin' && !user.disabled;
  },

  /** On-call schedules say who is reachable when: the team reads them, reporters (outsiders) do not. */
  canReadSchedules(user: User): boolean {
    return !user.disabled && user.role !== 'reporter';
  },

  /** Creating and changing schedules and overrides: the people who take the shifts. */
  canEditSchedules(user: User): boolean {
    return !user.disabled && (user.role === 'admin' || user.role === 'responder');
  },

  /** Escalation policies decide who is woken, in what order: read like schedules, changed by admins and responders. */
  canEditEscalationPolicies(user: User): boolean {
    return policy.canEditSchedules(user);
  },

  /** Verifying hash chains reads whole logs: the same people who may read the incidents. */
  canVerify(user: User): boolean {
    return user.role !== 'reporter';
  },
};

/**
 * Who may call each API route, declared beside the rules themselves. The authorization
 * matrix test (test/int/http/authorization-matrix.test.ts) reads this table and the
 * server's route table, calls every route as every role on an open, a restricted and an
 * own (reported by the caller) incident, and checks each answer against the rule here:
 * a route missing from this table fails that test, naming it.
 *
 * To declare a new route, add one line `'METHOD /api/v1/path/:param': rule`, with the
 * path exactly as registered (Fastify's `:param` form, prefix included) and one of:
 * - `PUBLIC`: no sign-in (the route checks its caller itself, e.g. an ingest signature);
 * - `signedIn()` or `signedIn((user) => policy.canX(user))`: any signed-in user, or those
 *   the rule allows; the others get 403;
 * - `onIncident((user, incident) => policy.canY(user, incident))`: a route on the incident
 *   `:id` (or the incident of `:advisoryId`): 404 for whoever may not see the incident,
 *   403 for whoever sees it but the rule refuses.
 */
export type RouteRule =
  | { readonly kind: 'public' }
  | { readonly kind: 'signed-in'; readonly may: (user: User) => boolean }
  | { readonly kind: 'incident'; readonly may: (user: User, incident: IncidentState) => boolean };

export const PUBLIC: RouteRule = { kind: 'public' };
export const signedIn = (may: (user: User) => boolean = (user) => !user.disabled): RouteRule => ({ kind: 'signed-in', may });
export const onIncident = (may: (user: User, incident: IncidentState) => boolean): RouteRule => ({ kind: 'incident', may });

const seesIncident = onIncident(policy.canSeeIncident);
// canRunCommand does not (yet) tell commands apart, so one command stands for every command route.
const runsCommand = onIncident((user, incident) => policy.canRunCommand(user, incident, 'add_note'));
const readsAfter = onIncident(policy.canReadAfter);
const worksAfter = onIncident(policy.canWorkAfter);
const verifies = onIncident((user, incident) => policy.canSeeIncident(user, incident) && policy.canVerify(user));
const managesUsers = signedIn(policy.canManageUsers);
const managesDelivery = signedIn(policy.canManageDelivery);
const acrossIncidents = signedIn(policy.canReadAcrossIncidents);
const readsPlans = signedIn(policy.canReadPlans);
const runsExercises = signedIn(policy.canRunExercises);

export const ROUTE_POLICY: Readonly<Record<string, RouteRule>> = {
  'GET /api/openapi.json': PUBLIC,
  'GET /api/health': PUBLIC,
  'GET /api/ready': PUBLIC,
  'GET /api/v1/auth/session': PUBLIC,
  'POST /api/v1/auth/setup': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': signedIn(),
  'GET /api/v1/auth/oidc/start': PUBLIC,
  'GET /api/v1/auth/oidc/callback': PUBLIC,
  'GET /api/v1/auth/sessions': signedIn(),
  'DELETE /api/v1/auth/sessions/:id': signedIn(),
  'POST /api/v1/auth/sign-out-everywhere': signedIn(),
  'POST /api/v1/auth/password': signedIn(),
  'GET /api/v1/tokens': signedIn(),
  'POST /api/v1/tokens': signedIn(),
  'DELETE /api/v1/tokens/:id': signedIn(),
  'GET /api/v1/users': managesUsers,
  'POST /api/v1/users': managesUsers,
  'PATCH /api/v1/users/:id': managesUsers,
  'POST /api/v1/users/:id/sign-out': managesUsers,
  'POST /api/v1/ingest/:source': PUBLIC,
  'POST /api/v1/public/reports': PUBLIC,
  'GET /api/v1/public/reports/status/:token': PUBLIC,
  'POST /api/v1/public/reports/status/:token/messages': PUBLIC,
  'GET /api/v1/incidents/:id/reporter-thread': readsAfter,
  'POST /api/v1/incidents/:id/reporter-thread/messages': worksAfter,
  'GET /api/v1/plans': readsPlans,
  'GET /api/v1/plans/:id': readsPlans,
  'GET /api/v1/plans/:id/versions': readsPlans,
  'GET /api/v1/plans/:id/diff': readsPlans,
  'GET /api/v1/plan-upkeep': readsPlans,
  'POST /api/v1/plans/:id/upkeep': runsExercises,
  'GET /api/v1/incidents': signedIn(),
  'POST /api/v1/incidents': signedIn(policy.canReportIncident),
  'GET /api/v1/incidents/:id': seesIncident,
  'POST /api/v1/incidents/:id/triage': runsCommand,
  'POST /api/v1/incidents/:id/ack': runsCommand,
  'POST /api/v1/incidents/:id/severity': runsCommand,
  'POST /api/v1/incidents/:id/roles/:role/assign': runsCommand,
  'POST /api/v1/incidents/:id/roles/:role/handoff': runsCommand,
  'POST /api/v1/incidents/:id/roles/:role/handoff/confirm': runsCommand,
  'POST /api/v1/incidents/:id/roles/:role/handoff/cancel': runsCommand,
  'POST /api/v1/incidents/:id/phase': runsCommand,
  'POST /api/v1/incidents/:id/checklist/:item/complete': runsCommand,
  'POST /api/v1/incidents/:id/notes': runsCommand,
  'POST /api/v1/incidents/:id/sitreps': runsCommand,
  'POST /api/v1/incidents/:id/flags': runsCommand,
  'POST /api/v1/incidents/:id/regulatory/:clock/filed': runsCommand,
  'GET /api/v1/incidents/:id/regulatory/:clock/draft': readsAfter,
  'PATCH /api/v1/incidents/:id/regulatory/:clock/draft': runsCommand,
  'POST /api/v1/incidents/:id/regulatory/:clock/draft/review': runsCommand,
  'GET /api/v1/incidents/:id/regulatory/:clock/draft/export': readsAfter,
  'POST /api/v1/incidents/:id/members': runsCommand,
  'DELETE /api/v1/incidents/:id/members/:user': runsCommand,
  'POST /api/v1/incidents/:id/restriction': runsCommand,
  'POST /api/v1/incidents/:id/resolve': runsCommand,
  'POST /api/v1/incidents/:id/close': runsCommand,
  'POST /api/v1/incidents/:id/reopen': runsCommand,
  'GET /api/v1/incidents/:id/timeline': seesIncident,
  'GET /api/v1/incidents/:id/clocks': seesIncident,
  'GET /api/v1/incidents/:id/sitreps/draft': seesIncident,
  'GET /api/v1/incidents/:id/verify': verifies,
  'GET /api/v1/incidents/:id/export': verifies,
  'GET /api/v1/verify': signedIn(policy.canVerify),
  // Checkpoint leaf lines name every chain, restricted incidents included: admins only.
  'GET /api/v1/checkpoints/latest': signedIn(policy.canReadCheckpoints),
  'POST /api/v1/checkpoints/verify': signedIn(policy.canReadCheckpoints),
  'GET /api/v1/incidents/:id/bundle': verifies,
  'GET /api/v1/stream': signedIn(),
  'GET /api/v1/incidents/:id/stream': seesIncident,
  'GET /api/v1/incidents/:id/evidence': readsAfter,
  'POST /api/v1/incidents/:id/evidence': worksAfter,
  'POST /api/v1/incidents/:id/evidence/file': worksAfter,
  'GET /api/v1/incidents/:id/evidence/:evidenceId': readsAfter,
  'POST /api/v1/incidents/:id/evidence/:evidenceId/view': worksAfter,
  // Reading the content is a custody event on the log, so it is handling, not reading.
  'GET /api/v1/incidents/:id/evidence/:evidenceId/content': worksAfter,
  'POST /api/v1/incidents/:id/evidence/:evidenceId/transfer': worksAfter,
  'GET /api/v1/incidents/:id/evidence/:evidenceId/custody': readsAfter,
  'GET /api/v1/incidents/:id/review': readsAfter,
  'PATCH /api/v1/incidents/:id/review': worksAfter,
  'POST /api/v1/incidents/:id/review/complete': worksAfter,
  'GET /api/v1/incidents/:id/report': readsAfter,
  'GET /api/v1/incidents/:id/action-items': readsAfter,
  'POST /api/v1/incidents/:id/action-items': worksAfter,
  'PATCH /api/v1/incidents/:id/action-items/:actionId': worksAfter,
  'GET /api/v1/action-items/overdue': acrossIncidents,
  'GET /api/v1/metrics': acrossIncidents,
  'GET /api/v1/search': signedIn(),
  'POST /api/v1/drills': runsExercises,
  'POST /api/v1/incidents/:id/drill/tick': worksAfter,
  'GET /api/v1/incidents/:id/drill/report': readsAfter,
  'GET /api/v1/advisories': acrossIncidents,
  'POST /api/v1/incidents/:id/advisories': onIncident(policy.canWriteAdvisory),
  'GET /api/v1/advisories/:advisoryId': onIncident(policy.canReadAdvisory),
  'PATCH /api/v1/advisories/:advisoryId': onIncident(policy.canWriteAdvisory),
  'POST /api/v1/advisories/:advisoryId/submit': onIncident(policy.canWriteAdvisory),
  'POST /api/v1/advisories/:advisoryId/approve': onIncident(policy.canWriteAdvisory),
  'POST /api/v1/advisories/:advisoryId/request-changes': onIncident(policy.canWriteAdvisory),
  'POST /api/v1/advisories/:advisoryId/schedule': onIncident(policy.canWriteAdvisory),
  'POST /api/v1/advisories/:advisoryId/publish': onIncident(policy.canWriteAdvisory),
  'GET /api/v1/advisories/:advisoryId/export': onIncident(policy.canReadAdvisory),
  'GET /api/v1/advisories/:advisoryId/revisions': onIncident(policy.canReadAdvisory),
  'GET /api/v1/advisories/:advisoryId/events': onIncident(policy.canReadAdvisory),
  'GET /api/v1/advisories/:advisoryId/verify': onIncident(policy.canReadAdvisory),
  'POST /api/v1/cvss/score': signedIn(policy.canScoreCvss),
  'GET /api/v1/vex': signedIn(policy.canReadVex),
  'POST /api/v1/vex': signedIn(policy.canWriteVex),
  'GET /api/v1/vex/export': signedIn(policy.canReadVex),
  'GET /api/v1/dashboard': acrossIncidents,
  'GET /api/v1/deliveries': managesDelivery,
  'POST /api/v1/deliveries/:id/retry': managesDelivery,
  'GET /api/v1/contacts': managesDelivery,
  'POST /api/v1/contacts': managesDelivery,
  'DELETE /api/v1/contacts/:user': managesDelivery,
  'GET /api/v1/channels': managesDelivery,
  'PUT /api/v1/channels/:id': managesDelivery,
  'GET /api/v1/policies': signedIn(policy.canReadSchedules),
  'GET /api/v1/policies/:id': signedIn(policy.canReadSchedules),
  'PUT /api/v1/policies/:id': signedIn(policy.canEditEscalationPolicies),
  'DELETE /api/v1/policies/:id': signedIn(policy.canEditEscalationPolicies),
  'GET /api/v1/incidents/:id/messages': onIncident(policy.canReadMessages),
  'POST /api/v1/incidents/:id/messages/preview': onIncident(policy.canSendMessages),
  'POST /api/v1/incidents/:id/messages': onIncident(policy.canSendMessages),
  'POST /api/v1/messages/:messageId/approve': signedIn(),
  'POST /api/v1/messages/:messageId/reject': signedIn(),
  'GET /api/v1/incidents/:id/deliveries': onIncident(policy.canReadMessages),
  'GET /api/v1/schedules': signedIn(policy.canReadSchedules),
  'POST /api/v1/schedules': signedIn(policy.canEditSchedules),
  'GET /api/v1/schedules/:id': signedIn(policy.canReadSchedules),
  'PUT /api/v1/schedules/:id': signedIn(policy.canEditSchedules),
  'DELETE /api/v1/schedules/:id': signedIn(policy.canEditSchedules),
  'POST /api/v1/schedules/:id/overrides': signedIn(policy.canEditSchedules),
  'DELETE /api/v1/schedules/:id/overrides/:overrideId': signedIn(policy.canEditSchedules),
  'GET /api/v1/schedules/:id/history': signedIn(policy.canReadSchedules),
  'POST /api/v1/me/calendar-feed': signedIn(policy.canReadSchedules),
  'DELETE /api/v1/me/calendar-feed': signedIn(policy.canReadSchedules),
};
