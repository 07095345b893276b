/**
 * The report a regulatory stage files, drafted from the incident: each content item the
 * stage's regulation requires (library.ts) is pre-filled from the log where Firebreak knows
 * the answer (title, summary, severity, flags), with the source of each value; the
 * responsible person fills or overrides the rest; a second person, not the last editor,
 * approves it. Approval freezes the report as canonical JSON in the log, so its SHA-256 is
 * what the export's bytes hash to and what the filing record points at. Pure.
 */
import { canonicalDigest, canonicalJson } from '../chain/canonical-json.js';
import { FirebreakError, fieldError } from '../errors.js';
import type { IncidentEvent } from '../incident/events.js';
import type { IncidentState, RegulatoryDraft } from '../incident/state.js';
import type { Plan, RegulatoryClock } from '../plan/plan-schema.js';
import { stageDeadline } from './regulatory-stage.js';

export const REPORT_FORMAT = 'firebreak-regulatory-report/1';

/** One required item as the draft shows it: its value, where the value came from, or missing. */
export interface RegulatoryDraftItem {
  readonly id: string;
  readonly label: string;
  readonly citation: string | null;
  readonly value: string | null;
  /** `entered by <handle>`, or the incident fact it was drafted from; null while missing. */
  readonly source: string | null;
}

/** The frozen report: what is exported and hashed, byte for byte. */
export interface RegulatoryReport {
  readonly format: typeof REPORT_FORMAT;
  readonly incident: { readonly id: string; readonly title: string; readonly severity: string | null };
  readonly stage: { readonly id: string; readonly name: string; readonly regulation: string; readonly citation: string | null; readonly authority: string | null; readonly dueAt: string | null };
  readonly content: readonly RegulatoryDraftItem[];
  readonly revision: number;
  readonly editedBy: string | null;
  readonly approvedBy: string;
  readonly approvedAt: string;
}

export interface RegulatoryDraftView {
  readonly clock: string;
  readonly name: string;
  readonly regulation: string;
  readonly citation: string | null;
  readonly authority: string | null;
  readonly dueAt: string | null;
  readonly items: RegulatoryDraftItem[];
  /** Ids of required items with no value yet; approval waits for none. */
  readonly missing: string[];
  readonly revision: number;
  readonly lastEditedBy: string | null;
  readonly lastEditedAt: string | null;
  readonly review: RegulatoryDraft['review'];
  /** Set once approved (and cleared by a later edit): the export's SHA-256 the filing takes. */
  readonly reportSha256: string | null;
}

const MAX_VALUE = 20_000;

export function findRegulatoryClock(plan: Plan, clockId: string): RegulatoryClock {
  const clock = plan.regulatory.find((r) => r.id === clockId);
  if (!clock) {
    throw fieldError('FB_ERR_INCIDENT_UNKNOWN_CLOCK', 'clock', `"${clockId}" is not a regulatory stage of plan ${plan.id} (${plan.regulatory.map((r) => r.id).join(', ') || 'none'})`);
  }
  return clock;
}

function flagFact(state: IncidentState, flag: string, text: string): { value: string; source: string } | undefined {
  const at = state.flags[flag];
  return at ? { value: `${text} (recorded ${at})`, source: `flag ${flag}, set ${at}` } : undefined;
}

/** What the log already says about an item, by the item ids the library uses across regimes. */
function drafted(state: IncidentState, itemId: string): { value: string; source: string } | undefined {
  const described = `${state.title}${state.summary ? `: ${state.summary}` : ''}${state.severity ? ` (severity ${state.severity})` : ''}`;
  switch (itemId) {
    case 'description':
    case 'nature':
      return { value: described, source: `incident title${state.summary ? ', summary' : ''}${state.severity ? ' and severity' : ''}` };
    case 'malicious':
      return flagFact(state, 'actively-exploited', 'Yes: the vulnerability is being actively exploited') ?? flagFact(state, 'malicious', 'Suspected unlawful or malicious act');
    case 'update':
    case 'measures-taken':
      return flagFact(state, 'fix-available', 'A corrective or mitigating measure is available');
    default:
      return undefined;
  }
}

function draftItems(clock: RegulatoryClock, state: IncidentState): RegulatoryDraftItem[] {
  const draft = state.regulatoryDrafts[clock.id];
  return clock.content.map((item) => {
    const entered = draft?.fields[item.id];
    if (entered) return { id: item.id, label: item.label, citation: item.citation ?? null, value: entered.value, source: `entered by ${entered.by}, ${entered.at}` };
    const known = drafted(state, item.id);
    return { id: item.id, label: item.label, citation: item.citation ?? null, value: known?.value ?? null, source: known?.source ?? null };
  });
}

export function regulatoryDraftView(plan: Plan, state: IncidentState, clockId: string): RegulatoryDraftView {
  const clock = findRegulatoryClock(plan, clockId);
  const draft = state.regulatoryDrafts[clock.id];
  const items = draftItems(clock, state);
  return {
    clock: clock.id,
    name: clock.name,
    regulation: clock.regulation,
    citation: clock.citation ?? null,
    authority: clock.authority ?? null,
    dueAt: stageDeadline(plan, state, clock).dueAt,
    items,
    missing: items.filter((i) => i.value === null).map((i) => i.id),
    revision: draft?.revision ?? 0,
    lastEditedBy: draft?.lastEditedBy ?? null,
    lastEditedAt: draft?.lastEditedAt ?? null,
    review: draft?.review ?? null,
    reportSha256: draft?.approved?.reportSha256 ?? null,
  };
}

/** The exported JSON: exactly the bytes whose SHA-256 the approval recorded. */
export function regulatoryReportJson(report: RegulatoryReport): string {
  return canonicalJson(report);
}

export function decideDraftEdit(plan: Plan, state: IncidentState, clockId: string, fields: Readonly<Record<string, string>>): IncidentEvent[] {
  const clock = findRegulatoryClock(plan, clockId);
  if (state.regulatoryFiled[clock.id] && !clock.repeatable) throw new FirebreakError('FB_ERR_REGULATORY_ALREADY_FILED', `${clock.name} was already filed; its report is final`);
  const entries = Object.entries(fields);
  if (entries.length === 0) throw fieldError('FB_ERR_INPUT_INVALID', 'fields', `name at least one item to fill (${clock.content.map((c) => c.id).join(', ')})`);
  const known = new Set(clock.content.map((c) => c.id));
  const cleaned: Record<string, string> = {};
  for (const [id, raw] of entries) {
    if (!known.has(id)) throw fieldError('FB_ERR_INPUT_INVALID', `fields.${id}`, `is not an item ${clock.name} requires (${[...known].join(', ')})`);
    if (typeof raw !== 'string') throw fieldError('FB_ERR_INPUT_INVALID', `fields.${id}`, 'must be text');
    const value = raw.trim();
    if (value.length > MAX_VALUE) throw fieldError('FB_ERR_INPUT_INVALID', `fields.${id}`, `must be at most ${MAX_VALUE} characters`);
    cleaned[id] = value;
  }
  const draft = state.regulatoryDrafts[clock.id];
  if (entries.every(([id]) => (draft?.fields[id]?.value ?? '') === cleaned[id])) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `the draft of ${clock.name} already says that`);
  return [{ type: 'regulatory_draft_edited', data: { clock: clock.id, fields: cleaned } }];
}

export function decideDraftReview(
  plan: Plan,
  state: IncidentState,
  input: { readonly clock: string; readonly decision: 'approve' | 'reject'; readonly note?: string },
  ctx: { readonly actor: string; readonly occurredAt: string },
): IncidentEvent[] {
  const clock = findRegulatoryClock(plan, input.clock);
  const view = regulatoryDraftView(plan, state, clock.id);
  const draft = state.regulatoryDrafts[clock.id];
  if (!draft) throw new FirebreakError('FB_ERR_REGULATORY_DRAFT_NOT_READY', `${clock.name} has no draft yet; fill its items first (PATCH …/draft)`);
  if (draft.lastEditedBy === ctx.actor) {
    throw new FirebreakError('FB_ERR_REGULATORY_SAME_REVIEWER', `you made the last edit to the draft of ${clock.name}; a second person must review it`);
  }
  if (draft.approved) throw new FirebreakError('FB_ERR_INCIDENT_NOTHING_TO_DO', `revision ${draft.revision} of ${clock.name} was already approved by ${draft.approved.by}`);
  const note = input.note?.trim() || undefined;
  if (note && note.length > 5000) throw fieldError('FB_ERR_INPUT_INVALID', 'note', 'must be at most 5000 characters');
  if (input.decision === 'reject') {
    if (!note) throw fieldError('FB_ERR_INPUT_INVALID', 'note', 'say what must change before the report can be approved');
    return [{ type: 'regulatory_draft_reviewed', data: { clock: clock.id, decision: 'rejected', revision: draft.revision, note } }];
  }
  if (view.missing.length > 0) {
    throw new FirebreakError('FB_ERR_REGULATORY_DRAFT_NOT_READY', `the draft of ${clock.name} still lacks: ${view.missing.join(', ')}`);
  }
  const report: RegulatoryReport = {
    format: REPORT_FORMAT,
    incident: { id: state.id, title: state.title, severity: state.severity },
    stage: { id: clock.id, name: clock.name, regulation: clock.regulation, citation: view.citation, authority: view.authority, dueAt: view.dueAt },
    content: view.items,
    revision: draft.revision,
    editedBy: draft.lastEditedBy,
    approvedBy: ctx.actor,
    approvedAt: ctx.occurredAt,
  };
  return [
    {
      type: 'regulatory_draft_reviewed',
      data: { clock: clock.id, decision: 'approved', revision: draft.revision, ...(note ? { note } : {}), report, reportSha256: canonicalDigest(report) },
    },
  ];
}
