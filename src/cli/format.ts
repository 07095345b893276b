/** Plain-text rendering of CLI output; `--json` bypasses all of this. */
import type { IncidentVerdict } from '../app/incident-service.js';
import type { IncidentView } from '../app/incident-view.js';
import type { Clock } from '../domain/clocks/clocks.js';
import { describeEvent } from '../domain/incident/describe.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { Plan } from '../domain/plan/plan-schema.js';

/** Lays rows out in aligned columns. */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => (indent + r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).trimEnd()).join('\n');
}

function shortTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '—';
}

function relative(iso: string, now: Date): string {
  const minutes = Math.round((new Date(iso).getTime() - now.getTime()) / 60_000);
  const abs = Math.abs(minutes);
  const text = abs < 60 ? `${abs}m` : abs < 2880 ? `${Math.floor(abs / 60)}h${abs % 60 ? ` ${abs % 60}m` : ''}` : `${Math.floor(abs / 1440)}d`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

export function formatClocks(clocks: readonly Clock[], now: Date): string {
  if (clocks.length === 0) return '  (no clocks)';
  return table(
    clocks.map((c) => [
      c.state === 'overdue' ? 'OVERDUE' : c.state === 'met' ? (c.late ? 'met late' : 'met') : 'pending',
      c.id,
      c.state === 'met' ? `met ${shortTime(c.metAt)}` : `due ${shortTime(c.dueAt)} (${relative(c.dueAt, now)})`,
      c.label +
        (c.escalation && c.state !== 'met'
          ? ` — escalation: ${c.escalation.map((l) => `${l.reached ? '!' : ''}${l.role} ${shortTime(l.at)}`).join(' → ')}`
          : ''),
    ]),
    '  ',
  );
}

export function formatIncidentLine(view: IncidentView): string[] {
  const i = view.incident;
  const urgent = view.mostUrgentClock;
  return [
    i.id,
    i.kind === 'event' ? `event/${i.status}` : i.status,
    i.severity ?? '—',
    i.phase,
    view.roles.find((r) => r.id === view.commanderRole)?.holder ?? '—',
    urgent ? `${urgent.state === 'overdue' ? 'OVERDUE ' : ''}${urgent.id} ${shortTime(urgent.dueAt)}` : '—',
    i.drill ? `[DRILL] ${i.title}` : i.title,
  ];
}

export function formatIncidentList(views: readonly IncidentView[]): string {
  if (views.length === 0) return 'No incidents match.';
  return table([['ID', 'STATUS', 'SEV', 'PHASE', 'IC', 'NEXT DEADLINE', 'TITLE'], ...views.map(formatIncidentLine)]);
}

export function formatIncident(view: IncidentView, now: Date): string {
  const i = view.incident;
  const lines = [
    `${i.id}  ${i.title}${i.drill ? '  [DRILL]' : ''}${i.restricted ? '  [RESTRICTED]' : ''}`,
    table(
      [
        ['Plan', `${view.plan.id} ${view.plan.version} (${view.plan.name})`],
        ['Status', `${i.status} (${i.kind})${i.dismissedReason ? ` — false alarm: ${i.dismissedReason}` : ''}`],
        ['Severity', i.severity ? `${i.severity} (${view.severityName})` : 'not set'],
        ['Category', i.category ? `${i.category} (${view.categoryName})` : '—'],
        ['Phase', `${i.phase} (${view.phaseName})`],
        ['Reported', `${shortTime(i.reportedAt)} by ${i.reporter.anonymous ? 'anonymous' : i.reporter.name}`],
        ['Acknowledged', i.acknowledgedAt ? `${shortTime(i.acknowledgedAt)} by ${i.acknowledgedBy}` : 'not yet'],
        ['Version', String(i.version)],
      ],
      '  ',
    ),
    '',
    'Roles',
    table(
      view.roles.map((r) => [
        r.id,
        r.holder ? `${r.holder} since ${shortTime(r.since)}` : r.requiredNow ? 'VACANT (required)' : 'vacant',
        r.pendingHandoffTo ? `handoff to ${r.pendingHandoffTo} awaiting confirmation` : '',
      ]),
      '  ',
    ),
    '',
    `Checklist — ${view.phaseName}`,
    view.checklist.length === 0
      ? '  (no items in this phase)'
      : table(
          view.checklist.map((c) => [
            c.done ? '[x]' : '[ ]',
            c.id,
            c.required ? 'required' : 'optional',
            c.role ?? '',
            c.done ? `done by ${c.doneBy}` : c.dueAt ? `due ${shortTime(c.dueAt)}${c.clockState === 'overdue' ? ' OVERDUE' : ''}` : '',
            c.text,
          ]),
          '  ',
        ),
    view.blockingItems.length > 0 ? `  Next phase blocked by: ${view.blockingItems.join(', ')}` : '',
    '',
    'Clocks',
    formatClocks(view.clocks, now),
  ];
  return lines.filter((l, idx, all) => !(l === '' && all[idx - 1] === '')).join('\n');
}

export function formatTimeline(events: readonly IncidentEventEnvelope[]): string {
  return table(events.map((e) => [`#${e.seq}`, shortTime(e.occurredAt), e.type, describeEvent(e)]));
}

export function formatVerdicts(verdicts: readonly IncidentVerdict[]): string {
  if (verdicts.length === 0) return 'No incidents to verify.';
  return verdicts
    .map((v) =>
      [
        v.verdict.ok
          ? v.projectionMatches
            ? `${v.problems.length ? 'BROKEN' : 'ok    '}  ${v.incidentId}  ${v.verdict.events} events, head ${v.verdict.head.slice(0, 16)}…`
            : `BROKEN  ${v.incidentId}  the stored state does not match a replay of its log`
          : `BROKEN  ${v.incidentId}  event #${v.verdict.seq}: ${v.verdict.reason}`,
        ...v.problems.map((p) => `        ${v.incidentId}  ${p}`),
      ].join('\n'),
    )
    .join('\n');
}

export function formatPlanList(plans: readonly Plan[]): string {
  return table([['ID', 'VERSION', 'SEVERITIES', 'NAME'], ...plans.map((p) => [p.id, p.version, p.severities.map((s) => s.id).join(' '), p.name])]);
}

export function formatPlan(plan: Plan): string {
  const out = [
    `${plan.id} ${plan.version} — ${plan.name}`,
    plan.description,
    '',
    'Severities (most severe first)',
    table(plan.severities.map((s) => [s.id, s.name, `ack ${s.ackWithin}`, `respond ${s.respondWithin}`, s.sitrepEvery ? `sitrep every ${s.sitrepEvery}` : 'no sitrep cadence']), '  '),
    '',
    'Roles',
    table(plan.roles.map((r) => [r.id, r.name + (r.commander ? ' (commander)' : ''), r.requiredFrom ? `required from ${r.requiredFrom}` : ''])),
    '',
    'Phases',
    ...plan.phases.flatMap((p, n) => [
      `  ${n + 1}. ${p.id} — ${p.name}`,
      ...p.checklist.map((c) => `       ${c.required ? '*' : '-'} ${c.id}${c.role ? ` [${c.role}]` : ''}${c.due ? ` due ${Object.entries(c.due).map(([k, v]) => `${k}:${v}`).join(' ')}` : ''}: ${c.text}`),
    ]),
    '',
    'Clocks',
    `  triage within ${plan.clocks.triageWithin}; escalate after ${plan.clocks.escalation.after} to ${plan.clocks.escalation.path.join(' → ')}`,
    `  shift max ${plan.clocks.shiftMax ?? '—'}; retrospective ${plan.clocks.retrospectiveDue} after ${plan.clocks.retrospectiveFrom}`,
    ...plan.regulatory.map((r) => `  regulatory ${r.id}: ${r.name} within ${r.within} of ${r.trigger}`),
  ];
  return out.join('\n');
}
