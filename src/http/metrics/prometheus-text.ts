/**
 * The Prometheus text exposition format (version 0.0.4) for Firebreak's operational
 * gauges and the server's load-shedding figures. Small enough to write out here; label
 * values are escaped as the format says.
 */
import type { OperationalFigures } from '../../app/metrics-service.js';
import { type OverloadFigures, SHED_REASONS } from '../overload.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function metric(type: 'gauge' | 'counter', name: string, help: string, samples: readonly [Record<string, string>, number][]): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  for (const [labels, value] of samples) {
    const text = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
    lines.push(`${name}${text ? `{${text}}` : ''} ${value}`);
  }
  return lines.join('\n');
}

const gauge = (name: string, help: string, samples: readonly [Record<string, string>, number][]) => metric('gauge', name, help, samples);

export function prometheusText(figures: OperationalFigures): string {
  return `${[
    gauge('firebreak_open_incidents', 'Open incidents (not drills) by severity.', Object.entries(figures.openIncidentsBySeverity).map(([severity, n]) => [{ severity }, n])),
    gauge('firebreak_events_awaiting_triage', 'Reported events not yet confirmed or dismissed.', [[{}, figures.openEventsAwaitingTriage]]),
    gauge('firebreak_overdue_clocks', 'Overdue deadlines on open incidents, by clock kind.', Object.entries(figures.overdueClocksByKind).map(([kind, n]) => [{ kind }, n])),
    gauge('firebreak_action_items_overdue', 'Open action items past their due date.', [[{}, figures.actionItemsOverdue]]),
    gauge('firebreak_active_drills', 'Drills (exercises) in progress.', [[{}, figures.activeDrills]]),
    gauge('firebreak_evidence_items', 'Evidence items recorded.', [[{}, figures.evidenceItems]]),
    gauge('firebreak_deliveries', 'Message deliveries by status (failed: retrying; dead: gave up).', Object.entries(figures.deliveriesByStatus).map(([status, n]) => [{ status }, n])),
  ].join('\n')}\n`;
}

/** The process's own figures: requests shed under overload, dropped for gone clients, in flight. */
export function overloadPrometheusText(figures: OverloadFigures): string {
  return `${[
    metric('counter', 'firebreak_http_requests_shed_total', 'Requests refused with 503 because the server was overloaded, by reason.', SHED_REASONS.map((reason) => [{ reason }, figures.shed[reason]])),
    metric('counter', 'firebreak_http_requests_client_gone_total', 'Requests not run because their client closed the connection before the handler started.', [[{}, figures.clientGone]]),
    gauge('firebreak_http_requests_in_flight', 'Requests being handled now (event streams, health and metrics not counted).', [[{}, figures.inFlight]]),
    gauge('firebreak_event_loop_delay_ms', 'Mean event-loop delay over the last sample interval, as the overload limit sees it.', [[{}, figures.eventLoopDelayMs]]),
  ].join('\n')}\n`;
}

/** The signed record's self-check: 1 while the store does not extend the last (witnessed) checkpoint. */
export function recordPrometheusText(check: { readonly at: string; readonly ok: boolean; readonly problems: readonly unknown[] } | undefined): string {
  return `${[
    gauge('firebreak_record_mismatch', 'Whether the last self-check found the store no longer extends the last witnessed checkpoint (1) or not (0).', [[{}, check && !check.ok ? 1 : 0]]),
    gauge('firebreak_record_problems', 'Problems the last self-check found (chains cut, removed or rewritten).', [[{}, check?.problems.length ?? 0]]),
    gauge('firebreak_record_self_check_timestamp_seconds', 'When the last self-check ran (0: not yet).', [[{}, check ? Date.parse(check.at) / 1000 : 0]]),
  ].join('\n')}\n`;
}
