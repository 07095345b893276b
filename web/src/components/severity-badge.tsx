/**
 * Severity and status as coloured badges. Plans list severities most severe first, so a
 * severity's colour comes from its rank in its plan (red, orange, yellow, then grey).
 */
import { Badge, type BadgeProps } from '@mantine/core';
import { usePlans } from '../api/queries.js';
import type { IncidentStatus } from '../api/types.js';

const RANK_COLORS = ['red', 'orange', 'yellow', 'teal', 'gray'];

export function useSeverityRank(planId: string, severity: string | null): number {
  const plans = usePlans();
  if (!severity) return -1;
  const plan = plans.data?.find((p) => p.id === planId);
  return plan?.severities.findIndex((s) => s.id.toLowerCase() === severity.toLowerCase()) ?? -1;
}

export function SeverityBadge({ planId, severity, name, ...props }: { planId: string; severity: string | null; name?: string | null } & BadgeProps) {
  const rank = useSeverityRank(planId, severity);
  if (!severity) {
    return (
      <Badge color="gray" variant="outline" {...props}>
        Severity unknown
      </Badge>
    );
  }
  const color = RANK_COLORS[Math.min(Math.max(rank, 0), RANK_COLORS.length - 1)] ?? 'gray';
  return (
    <Badge color={rank < 0 ? 'gray' : color} variant={rank === 0 ? 'filled' : 'light'} {...props}>
      {name ?? severity}
    </Badge>
  );
}

const STATUS: Record<IncidentStatus, { label: string; color: string }> = {
  investigating: { label: 'Awaiting triage', color: 'grape' },
  active: { label: 'Active', color: 'red' },
  resolved: { label: 'Resolved', color: 'green' },
  closed: { label: 'Closed', color: 'gray' },
  dismissed: { label: 'False alarm', color: 'gray' },
};

export function StatusBadge({ status, ...props }: { status: IncidentStatus } & BadgeProps) {
  const { label, color } = STATUS[status];
  return (
    <Badge color={color} variant="dot" {...props}>
      {label}
    </Badge>
  );
}
