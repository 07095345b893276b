/**
 * The dashboard: what is burning and what is due next. Events awaiting triage on top,
 * then active incidents in order of urgency, each with its most urgent clock ticking.
 * Kept current over the server's event stream: a change anywhere refetches the lists.
 */
import { Alert, Checkbox, Group, MultiSelect, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useDashboardFigures, useIncidents, usePlans, useSession } from '../../api/queries.js';
import type { IncidentStatus } from '../../api/types.js';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { LiveIndicator } from '../../components/live-indicator.js';
import { RouterLink } from '../../components/router-link.js';
import { useLiveStream } from '../../hooks/use-live-stream.js';
import { useNow } from '../../hooks/use-now.js';
import { EventRow } from './event-row.js';
import { IncidentRow } from './incident-row.js';
import { byUrgency, commanderOf } from './incident-urgency.js';

const EVENT_FILTERS = { kind: 'event', status: ['investigating'] } as const;
const STATUS_CHOICES: Record<string, readonly IncidentStatus[]> = {
  active: ['active'],
  recent: ['resolved'],
  closed: ['closed', 'dismissed'],
};

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'red' | 'orange' }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} c={value > 0 && tone ? tone : undefined} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Paper>
  );
}

export function DashboardScene() {
  const live = useLiveStream('/stream');
  const now = useNow();
  const me = useSession().data?.user ?? null;
  const plans = usePlans();
  const [statusChoice, setStatusChoice] = useState('active');
  const [search, setSearch] = useState('');
  const [severities, setSeverities] = useState<string[]>([]);
  const [mine, setMine] = useState(false);
  const [q] = useDebouncedValue(search, 250);

  const figures = useDashboardFigures();
  const deadLetters = figures.data?.deliveries.deadLetters ?? 0;
  const unreachable = figures.data?.unreachablePlans ?? [];
  const events = useIncidents(EVENT_FILTERS);
  const incidents = useIncidents({ kind: 'incident', status: STATUS_CHOICES[statusChoice] ?? ['active'], q });

  const severityOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const plan of plans.data ?? []) for (const s of plan.severities) if (!seen.has(s.id)) seen.set(s.id, s.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [plans.data]);

  // Sorted by a minute-coarse "now" so rows do not jump every second.
  const minute = Math.floor(now / 60_000) * 60_000;
  const shown = useMemo(() => {
    const items = (incidents.data?.items ?? []).filter((view) => {
      if (severities.length > 0 && !severities.includes(view.incident.severity ?? '')) return false;
      if (mine && me && !view.roles.some((r) => r.holder === me.handle || r.pendingHandoffTo === me.handle)) return false;
      return true;
    });
    return [...items].sort(byUrgency(plans.data, minute));
  }, [incidents.data, severities, mine, me, plans.data, minute]);

  const active = statusChoice === 'active' ? (incidents.data?.items ?? []) : [];
  const overdue = active.filter((v) => v.clocks.some((c) => c.state !== 'met' && new Date(c.dueAt).getTime() < now)).length;
  const withoutIc = active.filter((v) => commanderOf(v) === null).length;
  const awaiting = events.data?.items ?? [];

  return (
    <Stack gap="xl">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Incident room
          </Title>
          <Text c="dimmed" size="sm">
            What is burning, what is due next, and who holds which role.
          </Text>
        </div>
        <LiveIndicator status={live} />
      </Group>

      {deadLetters > 0 ? (
        <Alert color="red" variant="light" title="Messages could not be delivered" role="alert" data-testid="dead-letter-alert">
          {deadLetters === 1 ? '1 message' : `${deadLetters} messages`} ran out of delivery attempts (dead-lettered), so someone was not told.
          An admin can see why and send again: firebreak deliveries --failed, or POST /api/v1/deliveries/&lt;id&gt;/retry.
        </Alert>
      ) : null}

      {unreachable.length > 0 ? (
        <Alert color="red" variant="light" title="An unacknowledged event would page nobody" role="alert" data-testid="unreachable-alert">
          {unreachable.map((plan) => (
            <Text key={plan.planId} size="sm">
              <strong>{plan.planName}</strong> ({plan.severities.join(', ')}): {plan.problems.join('; ')}.
            </Text>
          ))}
          <Text size="sm">Give people contact points (firebreak contacts add), put them on an on-call schedule, or configure the plan's channels (firebreak channels set); firebreak doctor checks again.</Text>
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="Awaiting triage" value={awaiting.length} tone="orange" />
        <Stat label="Active incidents" value={statusChoice === 'active' ? active.length : 0} />
        <Stat label="With overdue deadlines" value={overdue} tone="red" />
        <Stat label="Without an IC" value={withoutIc} tone="red" />
      </SimpleGrid>

      <section aria-labelledby="triage-heading">
        <Title order={2} size="h4" id="triage-heading" mb="sm">
          Awaiting triage
        </Title>
        {events.isPending ? (
          <LoadingBlock />
        ) : events.isError ? (
          <ErrorBlock error={events.error} onRetry={() => void events.refetch()} />
        ) : awaiting.length === 0 ? (
          <Paper withBorder p="md">
            <Text size="sm" c="dimmed">
              No reported events are waiting for triage.
            </Text>
          </Paper>
        ) : (
          <Stack gap="xs">
            {awaiting.map((view) => (
              <EventRow key={view.incident.id} view={view} />
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="incidents-heading">
        <Group justify="space-between" mb="sm" align="flex-end" wrap="wrap">
          <Title order={2} size="h4" id="incidents-heading">
            Incidents
          </Title>
          <SegmentedControl
            aria-label="Which incidents"
            value={statusChoice}
            onChange={setStatusChoice}
            data={[
              { value: 'active', label: 'Active' },
              { value: 'recent', label: 'Resolved' },
              { value: 'closed', label: 'Closed' },
            ]}
          />
        </Group>
        <Group gap="sm" mb="md" wrap="wrap" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Title or id"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={240}
          />
          <MultiSelect label="Severity" placeholder="Any" data={severityOptions} value={severities} onChange={setSeverities} clearable w={260} />
          <Checkbox label="Only where I hold a role" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} mb={8} />
        </Group>
        {incidents.isPending ? (
          <LoadingBlock lines={5} />
        ) : incidents.isError ? (
          <ErrorBlock error={incidents.error} onRetry={() => void incidents.refetch()} />
        ) : shown.length === 0 ? (
          <EmptyBlock
            title={statusChoice === 'active' ? 'No active incidents' : 'Nothing here'}
            description={
              (incidents.data?.items.length ?? 0) > 0 ? 'No incident matches these filters.' : statusChoice === 'active' ? 'All quiet. Anything suspicious? Report it.' : undefined
            }
            action={statusChoice === 'active' ? <RouterLink to="/report">Report an event</RouterLink> : undefined}
          />
        ) : (
          <Stack gap="xs">
            {shown.map((view) => (
              <IncidentRow key={view.incident.id} view={view} now={now} />
            ))}
          </Stack>
        )}
      </section>
    </Stack>
  );
}
