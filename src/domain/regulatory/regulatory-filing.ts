/**
 * The rules for recording a regulatory filing: the stage must be one of the plan's, filed
 * once unless the regulation allows more (intermediate reports, amendments), after the
 * stage it follows, with a reference an authority's portal could have issued (no control
 * characters), the exported report's SHA-256 when there is one, and a reason when it is
 * past its deadline (GDPR Art. 33(1): "accompanied by reasons for the delay").
 */
import { FirebreakError, fieldError } from '../errors.js';
import type { IncidentEvent } from '../incident/events.js';
import type { IncidentState, RegulatoryDraft } from '../incident/state.js';
import type { Plan } from '../plan/plan-schema.js';
import { stageDeadline } from './regulatory-stage.js';

export interface FileRegulatoryInput {
  readonly clock: string;
  readonly reference?: string;
  readonly note?: string;
  readonly reportSha256?: string;
  readonly reason?: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SHA256 = /^[0-9a-f]{64}$/;

function optionalText(value: string | undefined, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (field === 'reference' && CONTROL.test(trimmed)) throw fieldError('FB_ERR_INPUT_INVALID', field, 'must not contain control characters or line breaks');
  if (trimmed.length > max) throw fieldError('FB_ERR_INPUT_INVALID', field, `must be at most ${max} characters`);
  return trimmed;
}

/**
 * Where the stage has a draft, the filing points at its approved export: without a hash it
 * takes the approved one; a hash that is not the approved export's is refused (it would
 * point at a report nobody reviewed). Without a draft, the given hash stands as it is.
 */
function draftedReport(name: string, draft: RegulatoryDraft | undefined, given: string | undefined): string | undefined {
  if (!draft) return given;
  const approved = draft.approved?.reportSha256;
  if (given === undefined) return approved;
  if (!approved) throw fieldError('FB_ERR_REGULATORY_REPORT_MISMATCH', 'reportSha256', `the draft of ${name} is not approved yet, so no export of it can be filed; have it reviewed, or leave reportSha256 out`);
  if (given !== approved) throw fieldError('FB_ERR_REGULATORY_REPORT_MISMATCH', 'reportSha256', `is not the SHA-256 of the approved export of ${name} (${approved}); file that export, or leave reportSha256 out to use it`);
  return given;
}

export function fileRegulatory(plan: Plan, state: IncidentState, input: FileRegulatoryInput, occurredAt: string): IncidentEvent[] {
  const clock = plan.regulatory.find((r) => r.id === input.clock);
  if (!clock) {
    throw fieldError('FB_ERR_INCIDENT_UNKNOWN_CLOCK', 'clock', `"${input.clock}" is not a regulatory stage of plan ${plan.id} (${plan.regulatory.map((r) => r.id).join(', ') || 'none'})`);
  }
  const reference = optionalText(input.reference, 'reference', 200);
  const note = optionalText(input.note, 'note', 5000);
  const reason = optionalText(input.reason, 'reason', 5000);
  const given = input.reportSha256?.trim().toLowerCase() || undefined;
  if (given !== undefined && !SHA256.test(given)) throw fieldError('FB_ERR_INPUT_INVALID', 'reportSha256', 'must be 64 hexadecimal digits (a SHA-256)');
  const reportSha256 = draftedReport(clock.name, state.regulatoryDrafts[clock.id], given);

  if (state.regulatoryFiled[clock.id] && !clock.repeatable) {
    throw new FirebreakError('FB_ERR_REGULATORY_ALREADY_FILED', `${clock.name} was already filed at ${state.regulatoryFiled[clock.id]!.at}; it is filed once`);
  }
  const before = [clock.follows, clock.trigger.startsWith('filed:') ? clock.trigger.slice('filed:'.length) : undefined].find(
    (id): id is string => id !== undefined && !state.regulatoryFiled[id],
  );
  if (before) {
    const earlier = plan.regulatory.find((r) => r.id === before);
    throw new FirebreakError('FB_ERR_REGULATORY_OUT_OF_ORDER', `${clock.name} follows ${earlier?.name ?? before} (${before}), which has not been filed; file that first`);
  }

  const { dueAt } = stageDeadline(plan, state, clock);
  // Only the first filing meets the deadline; later ones (updates, phases) are not late.
  const first = !state.regulatoryFiled[clock.id];
  const late = first && dueAt !== null && Date.parse(occurredAt) > Date.parse(dueAt);
  if (late && !reason) {
    throw fieldError('FB_ERR_REGULATORY_REASON_REQUIRED', 'reason', `${clock.name} was due at ${dueAt}; record why it is late (kept with the filing; GDPR Art. 33(1) requires the reasons for a delay)`);
  }
  return [
    {
      type: 'regulatory_filed',
      data: {
        clock: clock.id,
        ...(reference ? { reference } : {}),
        ...(note ? { note } : {}),
        ...(reportSha256 ? { reportSha256 } : {}),
        ...(reason ? { reason } : {}),
        ...(dueAt ? { dueAt } : {}),
        late,
      },
    },
  ];
}
