/**
 * Metrics across incidents, pure over their states (and plans, for clocks): count, MTTA,
 * mean and p90 time to contain and to resolve, SLA compliance per clock kind, sitrep
 * punctuality and overdue action items, overall and per severity, category and plan.
 * Drills and dismissed events are never counted; drills are reported as excluded.
 *
 * Definitions (also in the CSV header):
 * - An incident is in the period when it was reported in [from, to).
 * - p90 uses the nearest-rank method: the value at rank ceil(0.9 × n) of the sorted list.
 * - SLA compliance per clock kind: clocks met on time ÷ clocks met or overdue (pending ones
 *   are not yet decided). Sitrep and shift clocks are measured by punctuality instead.
 * - Sitrep punctuality: of the sitreps owed while the incident was active (one per cadence
 *   window from declaration, each window restarting at the last sitrep), the share posted
 *   within their window. A window that ran out before resolution with no sitrep is a miss.
 */
import { type ClockKind, deriveClocks } from '../clocks/clocks.js';
import type { IncidentState } from '../incident/state.js';
import { findSeverity } from '../plan/plan-rules.js';
import { type Plan, planDuration } from '../plan/plan-schema.js';
import { type ActionItem, dateIn, isOverdue } from '../review/action-item.js';
import { addDuration } from '../time/calendar.js';
import { responseTimes } from './response-times.js';

export interface MetricsInput {
  readonly plan: Plan;
  readonly state: IncidentState;
  readonly actionItems: readonly Pick<ActionItem, 'status' | 'dueDate'>[];
}

export interface MetricsQuery {
  /** Inclusive ISO instant. */
  readonly from?: string;
  /** Exclusive ISO instant. */
  readonly to?: string;
  /** The instant clocks and overdue items are judged at. */
  readonly at: string;
}

export interface SlaFigure {
  readonly onTime: number;
  readonly late: number;
  readonly missed: number;
  /** onTime ÷ (onTime + late + missed); null when nothing was decided. */
  readonly compliance: number | null;
}

export interface GroupMetrics {
  readonly count: number;
  readonly open: number;
  readonly mttaMs: number | null;
  readonly meanContainMs: number | null;
  readonly p90ContainMs: number | null;
  readonly meanResolveMs: number | null;
  readonly p90ResolveMs: number | null;
  readonly sla: Readonly<Partial<Record<ClockKind, SlaFigure>>>;
  readonly sitrepsOwed: number;
  readonly sitrepsOnTime: number;
  readonly sitrepPunctuality: number | null;
  readonly actionItemsOverdue: number;
}

export interface MetricsReport {
  readonly from: string | null;
  readonly to: string | null;
  readonly at: string;
  readonly overall: GroupMetrics;
  readonly bySeverity: Readonly<Record<string, GroupMetrics>>;
  readonly byCategory: Readonly<Record<string, GroupMetrics>>;
  readonly byPlan: Readonly<Record<string, GroupMetrics>>;
  /** Drills in the period, left out of every figure above. */
  readonly drillsExcluded: number;
  readonly falseAlarms: number;
}

const SLA_KINDS: readonly ClockKind[] = ['ack', 'triage', 'response', 'checklist', 'retrospective', 'regulatory'];

export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

/** Sitreps owed and posted on time, for one incident. */
export function sitrepPunctuality(plan: Plan, state: IncidentState, at: Date): { owed: number; onTime: number } {
  const cadence = state.severity ? findSeverity(plan, state.severity)?.sitrepEvery : undefined;
  if (!cadence || !state.declaredAt) return { owed: 0, onTime: 0 };
  const window = planDuration(cadence);
  const calendar = { timeZone: plan.timeZone, holidays: plan.holidays };
  const end = state.resolvedAt ? new Date(state.resolvedAt) : at;
  let last = new Date(state.declaredAt);
  let owed = 0;
  let onTime = 0;
  for (const sitrep of state.sitreps) {
    const posted = new Date(sitrep.at);
    if (posted < last || posted > end) continue;
    owed += 1;
    if (posted.getTime() <= addDuration(last, window, calendar).getTime()) onTime += 1;
    last = posted;
  }
  if (addDuration(last, window, calendar).getTime() < end.getTime()) owed += 1;
  return { owed, onTime };
}

function group(inputs: readonly MetricsInput[], at: Date): GroupMetrics {
  const tta: number[] = [];
  const ttc: number[] = [];
  const ttr: number[] = [];
  const sla: Partial<Record<ClockKind, { onTime: number; late: number; missed: number }>> = {};
  let owed = 0;
  let onTime = 0;
  let overdue = 0;
  let open = 0;
  for (const { plan, state, actionItems } of inputs) {
    const times = responseTimes(plan, state);
    if (times.timeToAcknowledgeMs !== null) tta.push(times.timeToAcknowledgeMs);
    if (times.timeToContainMs !== null) ttc.push(times.timeToContainMs);
    if (times.timeToResolveMs !== null) ttr.push(times.timeToResolveMs);
    if (state.status === 'active' || state.status === 'investigating') open += 1;
    for (const clock of deriveClocks(plan, state, at)) {
      if (!SLA_KINDS.includes(clock.kind) || clock.state === 'pending') continue;
      const figure = sla[clock.kind] ?? { onTime: 0, late: 0, missed: 0 };
      sla[clock.kind] = figure;
      if (clock.state === 'overdue') figure.missed += 1;
      else if (clock.late) figure.late += 1;
      else figure.onTime += 1;
    }
    const sitreps = sitrepPunctuality(plan, state, at);
    owed += sitreps.owed;
    onTime += sitreps.onTime;
    const today = dateIn(at, plan.timeZone);
    overdue += actionItems.filter((item) => isOverdue(item, today)).length;
  }
  const slaOut: Partial<Record<ClockKind, SlaFigure>> = {};
  for (const [kind, f] of Object.entries(sla) as [ClockKind, { onTime: number; late: number; missed: number }][]) {
    const decided = f.onTime + f.late + f.missed;
    slaOut[kind] = { ...f, compliance: decided ? f.onTime / decided : null };
  }
  return {
    count: inputs.length,
    open,
    mttaMs: mean(tta),
    meanContainMs: mean(ttc),
    p90ContainMs: percentile(ttc, 90),
    meanResolveMs: mean(ttr),
    p90ResolveMs: percentile(ttr, 90),
    sla: slaOut,
    sitrepsOwed: owed,
    sitrepsOnTime: onTime,
    sitrepPunctuality: owed ? onTime / owed : null,
    actionItemsOverdue: overdue,
  };
}

function groupBy(inputs: readonly MetricsInput[], key: (input: MetricsInput) => string, at: Date): Record<string, GroupMetrics> {
  const buckets = new Map<string, MetricsInput[]>();
  for (const input of inputs) {
    const k = key(input);
    buckets.set(k, [...(buckets.get(k) ?? []), input]);
  }
  return Object.fromEntries([...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, group(v, at)]));
}

export function computeMetrics(inputs: readonly MetricsInput[], query: MetricsQuery): MetricsReport {
  const at = new Date(query.at);
  const inPeriod = inputs.filter(({ state }) => (!query.from || state.reportedAt >= query.from) && (!query.to || state.reportedAt < query.to));
  const real = inPeriod.filter(({ state }) => !state.drill);
  const incidents = real.filter(({ state }) => state.kind === 'incident');
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    at: query.at,
    overall: group(incidents, at),
    bySeverity: groupBy(incidents, ({ state }) => state.severity ?? 'none', at),
    byCategory: groupBy(incidents, ({ state }) => state.category ?? 'none', at),
    byPlan: groupBy(incidents, ({ state }) => state.planId, at),
    drillsExcluded: inPeriod.length - real.length,
    falseAlarms: real.filter(({ state }) => state.status === 'dismissed').length,
  };
}

function minutes(ms: number | null): string {
  return ms === null ? '' : (ms / 60_000).toFixed(1);
}

function ratio(value: number | null): string {
  return value === null ? '' : value.toFixed(3);
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@\t]/.test(text) ? `"${text.replace(/^([=+\-@\t])/, "'$1").replace(/"/g, '""')}"` : text;
}

/** One row per group (overall, then each severity, category and plan); durations in minutes. */
export function metricsCsv(report: MetricsReport): string {
  const header = [
    'group',
    'key',
    'count',
    'open',
    'mtta_min',
    'mean_contain_min',
    'p90_contain_min',
    'mean_resolve_min',
    'p90_resolve_min',
    ...SLA_KINDS.map((k) => `sla_${k}`),
    'sitreps_owed',
    'sitreps_on_time',
    'sitrep_punctuality',
    'action_items_overdue',
  ];
  const row = (groupName: string, key: string, g: GroupMetrics) =>
    [
      groupName,
      key,
      g.count,
      g.open,
      minutes(g.mttaMs),
      minutes(g.meanContainMs),
      minutes(g.p90ContainMs),
      minutes(g.meanResolveMs),
      minutes(g.p90ResolveMs),
      ...SLA_KINDS.map((k) => ratio(g.sla[k]?.compliance ?? null)),
      g.sitrepsOwed,
      g.sitrepsOnTime,
      ratio(g.sitrepPunctuality),
      g.actionItemsOverdue,
    ]
      .map(csvCell)
      .join(',');
  const rows = [header.join(','), row('overall', 'all', report.overall)];
  for (const [name, groups] of [
    ['severity', report.bySeverity],
    ['category', report.byCategory],
    ['plan', report.byPlan],
  ] as const) {
    for (const [key, g] of Object.entries(groups)) rows.push(row(name, key, g));
  }
  return `${rows.join('\n')}\n`;
}
