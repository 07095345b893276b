/**
 * The incident page: header and phase on top; the checklist, the composer and the
 * timeline in the main column; clocks, roles and members at the side. Live over the
 * incident's event stream, so everyone in the room sees each change as it lands.
 */
import { Grid, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { useIncident, usePlan, useSession, useTimeline } from '../../api/queries.js';
import { LiveIndicator } from '../../components/live-indicator.js';
import { ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { useLiveStream } from '../../hooks/use-live-stream.js';
import { TriageForm } from '../triage/triage-form.js';
import { AdvisoriesPanel } from './advisories-panel.js';
import { ChecklistPanel } from './checklist-panel.js';
import { ClocksPanel } from './clocks-panel.js';
import { ComposePanel } from './compose-panel.js';
import { IncidentCommands } from './incident-commands.js';
import { IncidentHeader } from './incident-header.js';
import { MembersPanel } from './members-panel.js';
import { MessagesPanel } from './messages-panel.js';
import { PhaseStepper } from './phase-stepper.js';
import { HandoffBanner, knownPeople, RolesPanel } from './roles-panel.js';
import { TimelinePanel } from './timeline-panel.js';

export default function IncidentScene({ id }: { id: string }) {
  const live = useLiveStream(`/incidents/${encodeURIComponent(id)}/stream`);
  const incident = useIncident(id);
  const plan = usePlan(incident.data?.plan.id ?? null);
  const timeline = useTimeline(id);
  const me = useSession().data?.user?.handle ?? '';
  const loaded = incident.isSuccess;

  useEffect(() => {
    // Marks when the page first shows a usable incident; the e2e run reads and prints it.
    if (loaded) performance.mark('fb-incident-interactive');
  }, [loaded]);

  if (incident.isPending) return <LoadingBlock lines={8} label="Loading the incident" />;
  if (incident.isError) return <ErrorBlock title="Could not open this incident" error={incident.error} onRetry={() => void incident.refetch()} />;

  const view = incident.data;
  const people = knownPeople(view, [me, ...new Set((timeline.data ?? []).map((e) => e.actor))]);
  const awaitingTriage = view.incident.kind === 'event' && view.incident.status === 'investigating';

  return (
    <IncidentCommands view={view}>
      <Stack gap="lg" data-testid="incident-page" data-version={view.incident.version}>
        <HandoffBanner view={view} me={me} />
        <IncidentHeader view={view} plan={plan.data} live={<LiveIndicator status={live} />} />
        {awaitingTriage && plan.data && <TriageForm plan={plan.data} />}
        <PhaseStepper view={view} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <ChecklistPanel view={view} />
              <ComposePanel view={view} />
              <TimelinePanel id={id} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="lg">
              <ClocksPanel view={view} />
              <MessagesPanel view={view} />
              <AdvisoriesPanel view={view} />
              <RolesPanel view={view} me={me} people={people} />
              <MembersPanel view={view} people={people} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </IncidentCommands>
  );
}
