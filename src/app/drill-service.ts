/**
 * Drills (tabletop exercises): start an incident marked as a drill from a scenario,
 * deliver the scenario's injects as timeline notes once their offset has passed, and
 * score the team against the plan's clocks and the scenario's expected actions.
 */
import { type DrillReport, scoreDrill } from '../domain/drill/drill-report.js';
import { type DrillScenario, DrillScenarioSchema, offsetDuration, parseDrillScenario } from '../domain/drill/drill-scenario.js';
import { FirebreakError } from '../domain/errors.js';
import { parseInput } from '../domain/parse-input.js';
import { addDuration } from '../domain/time/calendar.js';
import { readJson } from '../store/database.js';
import type { Store } from '../store/store.js';
import type { IncidentService } from './incident-service.js';
import type { TimeSource } from './time-source.js';

export const DRILL_ACTOR = 'drill';

export interface DrillStart {
  readonly incidentId: string;
  readonly startedAt: string;
  readonly delivered: number;
}

export class DrillService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly time: TimeSource,
  ) {}

  /** Starts a drill from scenario YAML (or an already parsed scenario). */
  async start(source: string | DrillScenario, actor: string): Promise<DrillStart> {
    const scenario = typeof source === 'string' ? parseDrillScenario(source) : parseInput(DrillScenarioSchema, source, 'FB_ERR_DRILL_SCENARIO_INVALID');
    const { state } = await this.incidents.report(
      scenario.plan,
      { type: 'report', title: scenario.title, ...(scenario.summary ? { summary: scenario.summary } : {}), reporter: { anonymous: false, name: actor }, drill: true, source: 'drill scenario' },
      { actor },
    );
    try {
      await this.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: scenario.severity, ...(scenario.category ? { category: scenario.category } : {}) }, { actor: DRILL_ACTOR });
    } catch (error) {
      await this.incidents.execute(state.id, { type: 'triage', decision: 'dismiss', reason: `drill scenario could not start: ${error instanceof Error ? error.message : String(error)}` }, { actor: DRILL_ACTOR });
      if (error instanceof FirebreakError) throw new FirebreakError('FB_ERR_DRILL_SCENARIO_INVALID', `scenario: ${error.message}`, error.fields.map((f) => ({ path: f.path, message: f.message })));
      throw error;
    }
    const startedAt = state.reportedAt;
    await this.store.transaction((trx) =>
      trx.insertInto('drills').values({ incident_id: state.id, scenario: JSON.stringify(scenario), started_at: startedAt, injects_delivered: 0 }).execute(),
    );
    const delivered = await this.deliverDue(state.id);
    return { incidentId: state.id, startedAt, delivered };
  }

  private async load(incidentId: string): Promise<{ scenario: DrillScenario; startedAt: string; delivered: number }> {
    const row = await this.store.db.selectFrom('drills').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `${incidentId} is not a drill`, [{ path: 'id', message: 'not a drill' }]);
    return { scenario: readJson<DrillScenario>(row.scenario), startedAt: row.started_at, delivered: Number(row.injects_delivered) };
  }

  /** Delivers every inject whose offset has passed, in order, each at its scheduled time. */
  async deliverDue(incidentId: string): Promise<number> {
    const { scenario, startedAt, delivered } = await this.load(incidentId);
    const plan = await this.incidents.planOf(await this.incidents.get(incidentId));
    const calendar = { timeZone: plan.timeZone, holidays: plan.holidays };
    const schedule = scenario.injects
      .map((inject, index) => {
        const offset = offsetDuration(inject.at);
        return { ...inject, index, dueAt: offset ? addDuration(new Date(startedAt), offset, calendar) : new Date(startedAt) };
      })
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.index - b.index);
    const now = this.time.now();
    let count = delivered;
    for (const inject of schedule.slice(delivered)) {
      if (inject.dueAt.getTime() > now.getTime()) break;
      await this.incidents.execute(incidentId, { type: 'add_note', text: `[drill inject +${inject.at}] ${inject.text}` }, { actor: DRILL_ACTOR, occurredAt: inject.dueAt.toISOString() });
      count += 1;
      await this.store.transaction((trx) => trx.updateTable('drills').set({ injects_delivered: count }).where('incident_id', '=', incidentId).execute());
    }
    return count - delivered;
  }

  /** Delivers the due injects of every drill still running; returns how many arrived. */
  async deliverAllDue(): Promise<number> {
    const rows = await this.store.db
      .selectFrom('drills')
      .innerJoin('incidents', 'incidents.id', 'drills.incident_id')
      .select('drills.incident_id')
      .where('incidents.status', 'in', ['investigating', 'active'])
      .execute();
    let delivered = 0;
    for (const row of rows) delivered += await this.deliverDue(row.incident_id);
    return delivered;
  }

  /** Runs `deliverAllDue` every `everyMs` (never overlapping) until the returned stop is called. */
  startDelivery(everyMs: number, onError: (error: unknown) => void): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.deliverAllDue()
        .catch(onError)
        .finally(() => {
          running = false;
        });
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async report(incidentId: string): Promise<DrillReport> {
    const { scenario, startedAt } = await this.load(incidentId);
    const state = await this.incidents.get(incidentId);
    const plan = await this.incidents.planOf(state);
    const events = await this.incidents.timeline(incidentId);
    return scoreDrill(plan, state, events.filter((e) => e.actor !== DRILL_ACTOR), scenario, startedAt, this.time.now());
  }

  /** When the last drill of a plan started (a tabletop for upkeep purposes). */
  async lastDrillOf(planId: string): Promise<string | null> {
    const row = await this.store.db
      .selectFrom('drills')
      .innerJoin('incidents', 'incidents.id', 'drills.incident_id')
      .select('drills.started_at')
      .where('incidents.plan_id', '=', planId)
      .orderBy('drills.started_at', 'desc')
      .executeTakeFirst();
    return row?.started_at ?? null;
  }
}
