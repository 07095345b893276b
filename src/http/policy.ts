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

  /** Verifying hash chains reads whole logs: the same people who may read the incidents. */
  canVerify(user: User): boolean {
    return user.role !== 'reporter';
  },
};
