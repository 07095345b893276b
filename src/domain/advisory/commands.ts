/**
 * What people ask of an advisory and the rules for each: `decideDraft` starts one,
 * `decideAdvisory` turns a command into events or refuses it saying why. Pure: the actor,
 * the instant, the incident's open publishing gates and its timeline arrive in the
 * context; nothing is read from outside.
 */
import { FirebreakError } from '../errors.js';
import type { ReporterInfo } from '../incident/events.js';
import { applyChanges, checkContent, publishProblems } from './advisory-content.js';
import type { AdvisoryEvent, RevisionData } from './events.js';
import type { AdvisoryState } from './state.js';
import type { AdvisoryTimelineEntry } from './timeline.js';

export interface DraftCommand {
  readonly type: 'draft';
  readonly incidentId: string;
  readonly planId: string;
  readonly planVersion: string;
  readonly reporter: ReporterInfo;
  /** Initial content; at least a title. */
  readonly content: unknown;
}

export type AdvisoryCommand =
  | { readonly type: 'edit'; readonly changes: unknown }
  | { readonly type: 'submit'; readonly note?: string }
  | { readonly type: 'approve'; readonly note?: string }
  | { readonly type: 'request_changes'; readonly reason: string }
  | { readonly type: 'schedule'; readonly releaseAt: string; readonly summary?: string }
  | { readonly type: 'publish'; readonly summary?: string };

export type AdvisoryCommandType = AdvisoryCommand['type'];

export interface AdvisoryContext {
  readonly actor: string;
  readonly occurredAt: string;
  /** Checklist items of the incident that gate publishing and are still open. */
  readonly openGates?: readonly string[];
  /** The timeline as of now, without the disclosure date (added here). */
  readonly timeline?: readonly AdvisoryTimelineEntry[];
}

function illegal(message: string): FirebreakError {
  return new FirebreakError('FB_ERR_ADVISORY_ILLEGAL_TRANSITION', message);
}

export function decideDraft(command: DraftCommand): AdvisoryEvent[] {
  const content = checkContent(command.content, command.reporter);
  return [
    {
      type: 'drafted',
      data: { incidentId: command.incidentId, planId: command.planId, planVersion: command.planVersion, reporter: command.reporter, content },
    },
  ];
}

/** The scheduled revision still waiting for its embargo to end at `at`, if any. */
export function pendingRevision(state: AdvisoryState, at: string) {
  return state.revisions.find((r) => r.embargoed && new Date(r.releaseAt).getTime() > new Date(at).getTime());
}

function requirePublishable(state: AdvisoryState, ctx: AdvisoryContext, what: string): void {
  const pending = pendingRevision(state, ctx.occurredAt);
  if (state.status !== 'approved' && !(state.status === 'scheduled' && pending)) {
    const why = state.status === 'scheduled' ? 'its scheduled revision is already public' : `it is ${state.status.replace('_', ' ')}; it must be submitted and approved by a second person first`;
    throw illegal(`cannot ${what} ${state.id}: ${why}`);
  }
  const missing = publishProblems(state.content);
  if (missing.length > 0) {
    throw new FirebreakError(
      'FB_ERR_ADVISORY_INCOMPLETE',
      `cannot ${what} ${state.id}: required fields missing: ${missing.map((m) => m.label).join(', ')}`,
      missing.map((m) => ({ path: m.field, message: m.problem })),
    );
  }
  const gates = ctx.openGates ?? [];
  if (gates.length > 0) {
    throw new FirebreakError(
      'FB_ERR_ADVISORY_GATED',
      `cannot ${what} ${state.id}: checklist items that gate publishing are open on ${state.incidentId}: ${gates.join(', ')}`,
      gates.map((path) => ({ path, message: 'open checklist item gates advisory-publish' })),
    );
  }
}

function revisionData(state: AdvisoryState, ctx: AdvisoryContext, releaseAt: string, summary: string | undefined): RevisionData {
  // A scheduled revision that is published early keeps its number.
  const pending = pendingRevision(state, ctx.occurredAt);
  const revision = pending ? pending.revision : Math.max(0, ...state.revisions.map((r) => r.revision)) + 1;
  return {
    revision,
    releaseAt,
    content: state.content,
    timeline: [...(ctx.timeline ?? []).filter((t) => t.label !== 'Disclosed'), { label: 'Disclosed', at: releaseAt, date: releaseAt.slice(0, 10) }],
    summary: summary?.trim() || (revision === 1 ? 'Initial public release' : `Revision ${revision}`),
  };
}

export function decideAdvisory(state: AdvisoryState, command: AdvisoryCommand, ctx: AdvisoryContext): AdvisoryEvent[] {
  switch (command.type) {
    case 'edit': {
      if (pendingRevision(state, ctx.occurredAt)) {
        throw illegal(`cannot edit ${state.id} while a revision is scheduled; publish it first (the edit would not be in it)`);
      }
      const { changes } = applyChanges(state.content, command.changes, state.reporter);
      return [{ type: 'edited', data: { changes } }];
    }
    case 'submit':
      if (state.status !== 'draft') throw illegal(`cannot submit ${state.id}: it is ${state.status.replace('_', ' ')}, not a draft`);
      return [{ type: 'submitted', data: command.note?.trim() ? { note: command.note.trim() } : {} }];
    case 'approve':
      if (state.status !== 'in_review') throw illegal(`cannot approve ${state.id}: it is ${state.status.replace('_', ' ')}, not in review`);
      if (state.authors.includes(ctx.actor) || state.submittedBy === ctx.actor) {
        throw new FirebreakError(
          'FB_ERR_ADVISORY_SELF_APPROVAL',
          `${ctx.actor} wrote or submitted ${state.id} and cannot approve it; a second person must (authors: ${state.authors.join(', ')})`,
        );
      }
      return [{ type: 'approved', data: command.note?.trim() ? { note: command.note.trim() } : {} }];
    case 'request_changes': {
      if (state.status !== 'in_review' && state.status !== 'approved') throw illegal(`cannot send ${state.id} back: it is ${state.status.replace('_', ' ')}`);
      const reason = command.reason.trim();
      if (!reason) throw new FirebreakError('FB_ERR_INPUT_INVALID', 'reason: must not be empty', [{ path: 'reason', message: 'must not be empty' }]);
      return [{ type: 'changes_requested', data: { reason } }];
    }
    case 'schedule': {
      const at = new Date(command.releaseAt);
      if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(command.releaseAt)) {
        throw new FirebreakError('FB_ERR_INPUT_INVALID', `releaseAt: "${command.releaseAt}" is not an ISO 8601 date-time`, [{ path: 'releaseAt', message: 'must be an ISO 8601 date-time' }]);
      }
      if (at.getTime() <= new Date(ctx.occurredAt).getTime()) {
        throw new FirebreakError('FB_ERR_INPUT_INVALID', `releaseAt: ${command.releaseAt} is not in the future; publish now instead`, [{ path: 'releaseAt', message: 'must be in the future' }]);
      }
      if (pendingRevision(state, ctx.occurredAt)) throw illegal(`${state.id} is already scheduled; publish it now or wait for its date`);
      requirePublishable(state, ctx, 'schedule');
      return [{ type: 'scheduled', data: revisionData(state, ctx, at.toISOString(), command.summary) }];
    }
    case 'publish':
      requirePublishable(state, ctx, 'publish');
      return [{ type: 'published', data: revisionData(state, ctx, ctx.occurredAt, command.summary) }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown advisory command ${JSON.stringify(unknown)}`);
    }
  }
}
