/**
 * The charts of the metrics page (recharts): incidents per group, response times per
 * group, and SLA outcomes per clock kind. Loaded only with the metrics page, so recharts
 * never weighs on the first screen.
 */
import { Card, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GroupMetrics, SlaFigure } from '../../api/types.js';

const COLORS = {
  closed: 'var(--mantine-color-indigo-6)',
  open: 'var(--mantine-color-orange-5)',
  meanContain: 'var(--mantine-color-teal-4)',
  p90Contain: 'var(--mantine-color-teal-8)',
  meanResolve: 'var(--mantine-color-indigo-4)',
  p90Resolve: 'var(--mantine-color-indigo-8)',
  onTime: 'var(--mantine-color-green-6)',
  late: 'var(--mantine-color-yellow-5)',
  missed: 'var(--mantine-color-red-6)',
};

const axis = { fontSize: 12, fill: 'var(--mantine-color-dimmed)' };
const tooltipStyle = { background: 'var(--mantine-color-body)', border: '1px solid var(--mantine-color-default-border)', borderRadius: 6 };

export interface NamedGroup {
  readonly key: string;
  readonly label: string;
  readonly metrics: GroupMetrics;
}

function hours(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10;
}

function ChartCard({ title, description, empty, children }: { title: string; description: string; empty: boolean; children: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Stack gap={4} mb="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      </Stack>
      {empty ? (
        <Text size="sm" c="dimmed" py="xl" ta="center">
          Nothing to chart in this period.
        </Text>
      ) : (
        <div style={{ width: '100%', height: 260 }}>{children}</div>
      )}
    </Card>
  );
}

export function CountChart({ groups, dimension }: { groups: readonly NamedGroup[]; dimension: string }) {
  const data = groups.map((g) => ({ name: g.label, Closed: g.metrics.count - g.metrics.open, Open: g.metrics.open }));
  return (
    <ChartCard title={`Incidents by ${dimension}`} description="Reported in the period; open ones are still active or investigating." empty={data.length === 0}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={axis} interval={0} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip contentStyle={tooltipStyle} cursor={{ fillOpacity: 0.1 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="Closed" stackId="count" fill={COLORS.closed} isAnimationActive={false} />
          <Bar dataKey="Open" stackId="count" fill={COLORS.open} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

export function ResponseTimeChart({ groups, dimension }: { groups: readonly NamedGroup[]; dimension: string }) {
  const data = groups.map((g) => ({
    name: g.label,
    'Mean to contain': hours(g.metrics.meanContainMs),
    'p90 to contain': hours(g.metrics.p90ContainMs),
    'Mean to resolve': hours(g.metrics.meanResolveMs),
    'p90 to resolve': hours(g.metrics.p90ResolveMs),
  }));
  const any = groups.some((g) => g.metrics.meanContainMs !== null || g.metrics.meanResolveMs !== null);
  return (
    <ChartCard title={`Time to contain and resolve by ${dimension}`} description="Hours from declaration; mean and 90th percentile (nearest rank)." empty={!any}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: -8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={axis} interval={0} />
          <YAxis tick={axis} unit=" h" />
          <Tooltip contentStyle={tooltipStyle} cursor={{ fillOpacity: 0.1 }} formatter={(value) => (value === null || value === undefined ? 'none yet' : `${String(value)} h`)} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="Mean to contain" fill={COLORS.meanContain} isAnimationActive={false} />
          <Bar dataKey="p90 to contain" fill={COLORS.p90Contain} isAnimationActive={false} />
          <Bar dataKey="Mean to resolve" fill={COLORS.meanResolve} isAnimationActive={false} />
          <Bar dataKey="p90 to resolve" fill={COLORS.p90Resolve} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

const CLOCK_LABELS: Record<string, string> = {
  ack: 'Acknowledge',
  triage: 'Triage',
  response: 'Response',
  checklist: 'Checklist',
  retrospective: 'Review',
  regulatory: 'Regulatory',
};

export function SlaChart({ sla, scope }: { sla: GroupMetrics['sla']; scope: string }) {
  const data = (Object.entries(sla) as [string, SlaFigure][]).map(([kind, f]) => ({
    name: CLOCK_LABELS[kind] ?? kind,
    'On time': f.onTime,
    Late: f.late,
    Missed: f.missed,
    compliance: f.compliance,
  }));
  return (
    <ChartCard title="SLA outcomes per clock kind" description={`${scope}: clocks met on time, met late, or overdue and still unmet. Pending clocks are not counted.`} empty={data.length === 0}>
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axis} />
          <YAxis type="category" dataKey="name" tick={axis} width={90} />
          <Tooltip contentStyle={tooltipStyle} cursor={{ fillOpacity: 0.1 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="On time" stackId="sla" fill={COLORS.onTime} isAnimationActive={false} />
          <Bar dataKey="Late" stackId="sla" fill={COLORS.late} isAnimationActive={false} />
          <Bar dataKey="Missed" stackId="sla" fill={COLORS.missed} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
