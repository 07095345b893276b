/**
 * The advisory's public timeline (reported, confirmed, fixed, released, disclosed), read
 * from the incident's state so nobody retypes dates under pressure. The advisory may
 * override "fixed" and "released" when the log does not show them.
 */
import type { IncidentState } from '../incident/state.js';
import type { AdvisoryContent } from './advisory-content.js';

export type TimelineLabel = 'Reported' | 'Confirmed' | 'Fixed' | 'Released' | 'Disclosed';

export interface AdvisoryTimelineEntry {
  readonly label: TimelineLabel;
  /** ISO 8601 instant. */
  readonly at: string;
  /** YYYY-MM-DD, as advisories print it. */
  readonly date: string;
}

const FIX_ITEM = /(^|-)fix(-|$)|fix-merged|apply-fix|implement-fix|fix-implementation|remove-root-cause/;
const RELEASE_ITEM = /publish-registries|publish-patch|patch-release|tag-build-release|redeploy/;

function latestCompletion(state: Pick<IncidentState, 'completedItems'>, pattern: RegExp): string | undefined {
  const times = Object.entries(state.completedItems)
    .filter(([item]) => pattern.test(item))
    .map(([, done]) => done.at)
    .sort();
  return times.at(-1);
}

function instant(value: string): string {
  return new Date(/T/.test(value) ? value : `${value}T00:00:00Z`).toISOString();
}

export function buildTimeline(
  incident: Pick<IncidentState, 'reportedAt' | 'declaredAt' | 'resolvedAt' | 'completedItems'>,
  content: Pick<AdvisoryContent, 'fixedAt' | 'releasedAt'>,
  disclosedAt: string | null,
): AdvisoryTimelineEntry[] {
  const fixed = content.fixedAt ? instant(content.fixedAt) : (latestCompletion(incident, FIX_ITEM) ?? incident.resolvedAt);
  const released = content.releasedAt ? instant(content.releasedAt) : latestCompletion(incident, RELEASE_ITEM);
  const entries: [TimelineLabel, string | null | undefined][] = [
    ['Reported', incident.reportedAt],
    ['Confirmed', incident.declaredAt],
    ['Fixed', fixed],
    ['Released', released],
    ['Disclosed', disclosedAt],
  ];
  return entries
    .filter((e): e is [TimelineLabel, string] => typeof e[1] === 'string')
    .map(([label, at]) => ({ label, at, date: at.slice(0, 10) }));
}
