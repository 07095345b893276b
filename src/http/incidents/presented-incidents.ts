/**
 * Incidents as list items, presented once and reused. The dashboard asks for up to 200
 * incidents every time it refreshes, and presenting each one (its plan's names, every
 * clock, the response check, the JSON text) was most of the server's work under load. A
 * presented incident depends only on its state (one version of its log, which pins its
 * plan) and on which of its clocks have passed, so it is kept until either changes: a new
 * version of the log, or the next instant a clock turns overdue or an escalation level is
 * reached (`clocksSteadyUntil`).
 *
 * What is reused is the checked JSON, as UTF-8 bytes (so the answer is joined and sent
 * without encoding or measuring 700 KB of text again): it passes the same response schema
 * as an uncached answer before it is kept. Nothing in it depends on who asks; whether the caller
 * may see the incident is decided before it is looked up.
 */
import { presentIncident } from '../../app/incident-view.js';
import type { FirebreakApp } from '../../app/firebreak-app.js';
import { clocksSteadyUntil, deriveClocks } from '../../domain/clocks/clocks.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { incidentViewSchema } from './schema.js';

interface Presented {
  readonly version: number;
  /** Reusable while now ≤ this (ms since the epoch). */
  readonly steadyUntil: number;
  readonly json: Buffer;
}

/** About 4 KB each: the newest pages of a large dashboard, a few MB at most. */
const DEFAULT_LIMIT = 2_000;

export class PresentedIncidents {
  private readonly entries = new Map<string, Presented>();

  constructor(
    private readonly app: FirebreakApp,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  /** The incident as one list item: JSON in UTF-8. */
  async json(state: IncidentState): Promise<Buffer> {
    const now = this.app.time.now();
    const kept = this.entries.get(state.id);
    if (kept && kept.version === state.version && now.getTime() <= kept.steadyUntil) {
      // Refreshed as recently used, so the oldest entries are the ones dropped.
      this.entries.delete(state.id);
      this.entries.set(state.id, kept);
      return kept.json;
    }
    const plan = await this.app.incidents.planOf(state);
    const clocks = deriveClocks(plan, state, now);
    const view = incidentViewSchema.parse(presentIncident(plan, state, clocks, now));
    const presented: Presented = { version: state.version, steadyUntil: clocksSteadyUntil(clocks, now), json: Buffer.from(JSON.stringify(view)) };
    this.entries.delete(state.id);
    this.entries.set(state.id, presented);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return presented.json;
  }
}
