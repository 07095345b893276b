/**
 * The shapes of advisories that leave the server: the read model of src/app/advisory-view.ts
 * (shared with the CLI), typed as the documented response schemas.
 */
import { type AdvisoryView, presentAdvisorySummary } from '../../app/advisory-view.js';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import type { AdvisoryState } from '../../domain/advisory/state.js';
import type { AdvisorySummaryBody, AdvisoryViewBody } from './schema.js';

export function presentSummary(state: AdvisoryState, now: Date): AdvisorySummaryBody {
  const summary = presentAdvisorySummary(state, now);
  return { ...summary, cvss: [...summary.cvss] };
}

/** The response schema documents every field and lets more through; the full shape is `AdvisoryView`. */
export async function presentAdvisory(app: FirebreakApp, state: AdvisoryState): Promise<AdvisoryViewBody> {
  const view: AdvisoryView = await app.advisories.view(state);
  return view as unknown as AdvisoryViewBody;
}
