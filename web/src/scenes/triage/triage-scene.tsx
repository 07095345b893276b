/**
 * The triage view of one reported event: what was reported, by whom, how long triage
 * may take, and the decision form. After confirming, the incident page takes over.
 */
import { Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useIncident, usePlan } from '../../api/queries.js';
import { ClockLine } from '../../components/countdown.js';
import { MarkdownView } from '../../components/markdown-view.js';
import { ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { RouterLink } from '../../components/router-link.js';
import { StatusBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { incidentPath, navigate } from '../../hooks/use-route.js';
import { IncidentCommands } from '../incident/incident-commands.js';
import { TriageForm } from './triage-form.js';

export default function TriageScene({ id }: { id: string }) {
  const incident = useIncident(id);
  const plan = usePlan(incident.data?.plan.id ?? null);
  if (incident.isPending) return <LoadingBlock lines={6} />;
  if (incident.isError) return <ErrorBlock error={incident.error} onRetry={() => void incident.refetch()} />;
  const view = incident.data;
  const { incident: state } = view;
  const awaiting = state.kind === 'event' && state.status === 'investigating';
  const clocks = view.clocks.filter((c) => c.id === 'triage' || c.id === 'ack');

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <RouterLink to="/" size="sm">
          ← Dashboard
        </RouterLink>
      </Group>
      <Stack gap={4}>
        <Group gap="xs">
          <Text size="sm" c="dimmed" ff="monospace">
            {state.id}
          </Text>
          <StatusBadge status={state.status} />
        </Group>
        <Title order={1} size="h2">
          {state.title}
        </Title>
        <Text size="sm" c="dimmed">
          Reported <Timestamp iso={state.reportedAt} showAbsolute /> by {state.reporter.anonymous ? 'an anonymous reporter' : state.reporter.name} under{' '}
          {view.plan.name}
        </Text>
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          {!awaiting ? (
            <Stack>
              <Text>This report has already been triaged ({state.kind === 'incident' ? 'confirmed as an incident' : 'closed as a false alarm'}).</Text>
              <RouterLink to={incidentPath(state.id)}>Open the incident</RouterLink>
            </Stack>
          ) : plan.isPending ? (
            <LoadingBlock lines={6} />
          ) : plan.isError ? (
            <ErrorBlock error={plan.error} onRetry={() => void plan.refetch()} />
          ) : (
            <IncidentCommands view={view}>
              <TriageForm plan={plan.data} onDone={() => navigate(incidentPath(state.id))} />
            </IncidentCommands>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Stack gap="xs">
              <Title order={2} size="h5">
                Deadlines
              </Title>
              {clocks.map((clock) => (
                <ClockLine key={clock.id} clock={clock} />
              ))}
            </Stack>
            <Stack gap="xs">
              <Title order={2} size="h5">
                What was reported
              </Title>
              {state.summary ? <MarkdownView text={state.summary} /> : <Text c="dimmed" size="sm">No summary given.</Text>}
            </Stack>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
