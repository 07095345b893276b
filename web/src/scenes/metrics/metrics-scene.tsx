/**
 * The metrics page: response figures over a period (count, MTTA, mean and p90 time to
 * contain and resolve, SLA compliance per clock kind, sitrep punctuality, overdue action
 * items) for all incidents or one severity, category or plan, with charts comparing the
 * groups and a CSV export of the same report. Drills are left out by the server and
 * counted on their own. Loaded on demand (recharts is large).
 */
import { Badge, Button, Card, Group, Select, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { API_BASE } from '../../api/client.js';
import { metricsPath, useMetrics, usePlans } from '../../api/queries.js';
import type { GroupMetrics, MetricsPeriod, MetricsReport, SlaFigure } from '../../api/types.js';
import { formatSpan } from '../../components/countdown.js';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { CountChart, type NamedGroup, ResponseTimeChart, SlaChart } from './metrics-charts.js';

type Preset = '30' | '90' | '365' | 'all' | 'custom';
type Dimension = 'severity' | 'category' | 'plan';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** The period a preset (or the custom dates) stands for; null while custom dates are incomplete or reversed. */
function periodOf(preset: Preset, custom: { from: string; to: string }): MetricsPeriod | null {
  if (preset === 'all') return {};
  if (preset !== 'custom') return { from: daysAgo(Number(preset)) };
  const from = custom.from.trim();
  const to = custom.to.trim();
  if ((from && !DATE.test(from)) || (to && !DATE.test(to))) return null;
  if (from && to && from >= to) return null;
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

function duration(ms: number | null): string {
  return ms === null ? '—' : formatSpan(ms);
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={`figure-${label}`}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

const SLA_LABELS: Record<string, string> = { ack: 'Acknowledge', triage: 'Triage', response: 'Response', checklist: 'Checklist', retrospective: 'Review', regulatory: 'Regulatory' };

function Figures({ metrics }: { metrics: GroupMetrics }) {
  const sla = Object.entries(metrics.sla) as [string, SlaFigure][];
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Figure label="Incidents" value={String(metrics.count)} hint={`${metrics.open} still open`} />
        <Figure label="MTTA" value={duration(metrics.mttaMs)} hint="mean time to acknowledge" />
        <Figure label="Contain" value={duration(metrics.meanContainMs)} hint={`mean · p90 ${duration(metrics.p90ContainMs)}`} />
        <Figure label="Resolve" value={duration(metrics.meanResolveMs)} hint={`mean · p90 ${duration(metrics.p90ResolveMs)}`} />
        <Figure label="Sitreps on time" value={percent(metrics.sitrepPunctuality)} hint={`${metrics.sitrepsOnTime} of ${metrics.sitrepsOwed} owed`} />
        <Figure label="Action items overdue" value={String(metrics.actionItemsOverdue)} />
      </SimpleGrid>
      <Group gap="xs" aria-label="SLA compliance per clock kind">
        <Text size="sm" fw={600}>
          SLA compliance:
        </Text>
        {sla.length === 0 ? (
          <Text size="sm" c="dimmed">
            no clock decided yet
          </Text>
        ) : (
          sla.map(([kind, f]) => (
            <Badge key={kind} variant="light" color={f.compliance === null ? 'gray' : f.compliance >= 0.9 ? 'green' : f.compliance >= 0.7 ? 'yellow' : 'red'}>
              {SLA_LABELS[kind] ?? kind} {percent(f.compliance)} ({f.onTime}/{f.onTime + f.late + f.missed})
            </Badge>
          ))
        )}
      </Group>
    </Stack>
  );
}

function groupsOf(report: MetricsReport, dimension: Dimension, planName: (id: string) => string): NamedGroup[] {
  const source = dimension === 'severity' ? report.bySeverity : dimension === 'category' ? report.byCategory : report.byPlan;
  return Object.entries(source).map(([key, metrics]) => ({ key, label: dimension === 'plan' ? planName(key) : key, metrics }));
}

export default function MetricsScene() {
  const [preset, setPreset] = useState<Preset>('90');
  const [custom, setCustom] = useState({ from: '', to: '' });
  const [scope, setScope] = useState<string>('overall');
  const [dimension, setDimension] = useState<Dimension>('severity');
  const period = periodOf(preset, custom);
  const metrics = useMetrics(period ?? {}, period !== null);
  const plans = usePlans();
  const planName = useMemo(() => {
    const names = new Map((plans.data ?? []).map((p) => [p.id, p.name]));
    return (id: string) => names.get(id) ?? id;
  }, [plans.data]);

  const report = metrics.data;
  const scopeOptions = report
    ? [
        { group: 'All', items: [{ value: 'overall', label: 'All incidents' }] },
        { group: 'Severity', items: Object.keys(report.bySeverity).map((k) => ({ value: `severity:${k}`, label: `Severity ${k}` })) },
        { group: 'Category', items: Object.keys(report.byCategory).map((k) => ({ value: `category:${k}`, label: `Category ${k}` })) },
        { group: 'Plan', items: Object.keys(report.byPlan).map((k) => ({ value: `plan:${k}`, label: planName(k) })) },
      ].filter((g) => g.items.length > 0)
    : [];
  const [scopeKind, scopeKey] = scope.includes(':') ? (scope.split(/:(.*)/s, 2) as [Dimension, string]) : ['overall', ''];
  const selected: GroupMetrics | undefined = !report
    ? undefined
    : scopeKind === 'severity'
      ? report.bySeverity[scopeKey]
      : scopeKind === 'category'
        ? report.byCategory[scopeKey]
        : scopeKind === 'plan'
          ? report.byPlan[scopeKey]
          : report.overall;
  const scopeLabel = scopeOptions.flatMap((g) => g.items).find((i) => i.value === scope)?.label ?? 'All incidents';
  const csvHref = `${API_BASE}${metricsPath(period ?? {}, 'csv')}`;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Response metrics
          </Title>
          <Text c="dimmed" size="sm">
            Incidents reported in the period. Drills are left out; dismissed events count as false alarms.
          </Text>
        </div>
        <Button component="a" href={csvHref} download="firebreak-metrics.csv" variant="default" disabled={period === null}>
          Export CSV
        </Button>
      </Group>

      <Card withBorder padding="sm" radius="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="metrics-period-label">
              Period
            </Text>
            <SegmentedControl
              aria-labelledby="metrics-period-label"
              value={preset}
              onChange={(value) => setPreset(value as Preset)}
              data={[
                { value: '30', label: '30 days' },
                { value: '90', label: '90 days' },
                { value: '365', label: '12 months' },
                { value: 'all', label: 'All time' },
                { value: 'custom', label: 'Custom' },
              ]}
            />
          </Stack>
          {preset === 'custom' && (
            <>
              <TextInput type="date" label="From" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })} />
              <TextInput
                type="date"
                label="Until (not including)"
                value={custom.to}
                onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })}
                error={period === null ? 'Must be after the start date' : undefined}
              />
            </>
          )}
          <Select label="Figures for" data={scopeOptions} value={scope} onChange={(value) => setScope(value ?? 'overall')} allowDeselect={false} w={220} disabled={!report} />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="metrics-compare-label">
              Compare by
            </Text>
            <SegmentedControl
              aria-labelledby="metrics-compare-label"
              value={dimension}
              onChange={(value) => setDimension(value as Dimension)}
              data={[
                { value: 'severity', label: 'Severity' },
                { value: 'category', label: 'Category' },
                { value: 'plan', label: 'Plan' },
              ]}
            />
          </Stack>
        </Group>
      </Card>

      {period === null ? (
        <EmptyBlock title="Choose a valid period" description="The start date must come before the end date (both as YYYY-MM-DD)." />
      ) : metrics.isPending ? (
        <LoadingBlock lines={8} label="Loading metrics" />
      ) : metrics.isError ? (
        <ErrorBlock title="Could not load the metrics" error={metrics.error} onRetry={() => void metrics.refetch()} />
      ) : !report ? null : report.overall.count === 0 && report.falseAlarms === 0 ? (
        <EmptyBlock title="No incidents in this period" description={report.drillsExcluded > 0 ? `${report.drillsExcluded} drills were left out.` : 'Choose a longer period.'} />
      ) : (
        <Stack gap="lg" data-testid="metrics-report">
          <Stack gap="xs">
            <Group gap="xs">
              <Title order={2} size="h4">
                {scopeLabel}
              </Title>
              <Badge variant="outline" color="gray">
                {report.drillsExcluded} drills excluded
              </Badge>
              <Badge variant="outline" color="gray">
                {report.falseAlarms} false alarms
              </Badge>
            </Group>
            {selected ? <Figures metrics={selected} /> : <Text c="dimmed">No incidents in this group for the period.</Text>}
          </Stack>
          <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="metrics-charts">
            <CountChart groups={groupsOf(report, dimension, planName)} dimension={dimension} />
            <ResponseTimeChart groups={groupsOf(report, dimension, planName)} dimension={dimension} />
            <SlaChart sla={selected?.sla ?? {}} scope={scopeLabel} />
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
