/**
 * Metrics use cases: the figures across incidents for a period (see
 * `domain/metrics/incident-metrics.ts`), as data or CSV, and the operational gauges that
 * the Prometheus `/metrics` endpoint exposes (open incidents by severity, overdue clocks,
 * overdue action items). Drills are excluded from the figures and counted on their own.
 */
import { deriveClocks } from '../domain/clocks/clocks.js';
import { fieldError } from '../domain/errors.js';
import { computeMetrics, type MetricsInput, type MetricsReport, metricsCsv } from '../domain/metrics/incident-metrics.js';
import type { IncidentState } from '../domain/incident/state.js';
import type { ActionItem } from '../domain/review/action-item.js';
import type { Store } from '../store/store.js';
import type { ActionItemService } from './action-item-service.js';
import type { IncidentService } from './incident-service.js';
import type { TimeSource } from './time-source.js';

export interface MetricsPeriod {
  readonly from?: string;
  readonly to?: string;
}

export interface OperationalFigures {
  readonly openIncidentsBySeverity: Readonly<Record<string, number>>;
  readonly openEventsAwaitingTriage: number;
  readonly overdueClocksByKind: Readonly<Record<string, number>>;
  readonly actionItemsOverdue: number;
  readonly activeDrills: number;
  readonly evidenceItems: number;
  /** Message deliveries by status, `failed` (retrying) and `dead` (gave up) among them. */
  readonly deliveriesByStatus: Readonly<Record<string, number>>;
}

function instant(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const at = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) throw fieldError('FB_ERR_INPUT_INVALID', field, `"${value}" is not a date (YYYY-MM-DD) or ISO 8601 date-time`);
  return at.toISOString();
}

export class MetricsService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly actions: ActionItemService,
    private readonly time: TimeSource,
  ) {}

  private async inputs(visible?: (state: IncidentState) => boolean): Promise<MetricsInput[]> {
    const states = (await this.incidents.list({})).filter((s) => !visible || visible(s));
    const items = await this.actions.listAll();
    const byIncident = new Map<string, ActionItem[]>();
    for (const item of items) byIncident.set(item.incidentId, [...(byIncident.get(item.incidentId) ?? []), item]);
    const out: MetricsInput[] = [];
    for (const state of states) out.push({ plan: await this.incidents.planOf(state), state, actionItems: byIncident.get(state.id) ?? [] });
    return out;
  }

  /** `from`/`to` accept YYYY-MM-DD (midnight UTC) or ISO date-times; `to` is exclusive. */
  async report(period: MetricsPeriod = {}, visible?: (state: IncidentState) => boolean): Promise<MetricsReport> {
    const from = instant(period.from, 'from');
    const to = instant(period.to, 'to');
    if (from && to && from >= to) throw fieldError('FB_ERR_INPUT_INVALID', 'to', 'must be after from');
    return computeMetrics(await this.inputs(visible), { ...(from ? { from } : {}), ...(to ? { to } : {}), at: this.time.now().toISOString() });
  }

  async csv(period: MetricsPeriod = {}, visible?: (state: IncidentState) => boolean): Promise<string> {
    return metricsCsv(await this.report(period, visible));
  }

  async operational(): Promise<OperationalFigures> {
    const at = this.time.now();
    const open = await this.incidents.list({ status: ['investigating', 'active'] });
    const bySeverity: Record<string, number> = {};
    const overdue: Record<string, number> = {};
    let awaitingTriage = 0;
    let drills = 0;
    for (const state of open) {
      if (state.drill) {
        drills += 1;
        continue;
      }
      if (state.kind === 'event') awaitingTriage += 1;
      else bySeverity[state.severity ?? 'none'] = (bySeverity[state.severity ?? 'none'] ?? 0) + 1;
      for (const clock of deriveClocks(await this.incidents.planOf(state), state, at)) {
        if (clock.state === 'overdue') overdue[clock.kind] = (overdue[clock.kind] ?? 0) + 1;
      }
    }
    const actionItemsOverdue = (await this.actions.overdue(at)).filter((a) => !a.drill).length;
    const evidence = await this.store.db.selectFrom('evidence_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const deliveries = await this.store.db.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    const deliveriesByStatus = Object.fromEntries(deliveries.map((d) => [d.status, Number(d.n)]));
    return { openIncidentsBySeverity: bySeverity, openEventsAwaitingTriage: awaitingTriage, overdueClocksByKind: overdue, actionItemsOverdue, activeDrills: drills, evidenceItems: Number(evidence.n), deliveriesByStatus };
  }
}
