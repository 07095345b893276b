/** One reported event awaiting triage: what, who reported it, and the triage clock. */
import { Button, Card, Group, Stack, Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import type { IncidentView } from '../../api/types.js';
import { Countdown } from '../../components/countdown.js';
import { RouterLink, handleLinkClick } from '../../components/router-link.js';
import { Timestamp } from '../../components/timestamp.js';
import { incidentPath } from '../../hooks/use-route.js';

export function EventRow({ view }: { view: IncidentView }) {
  const { incident } = view;
  const triage = view.clocks.find((c) => c.id === 'triage') ?? view.mostUrgentClock;
  const triagePath = `${incidentPath(incident.id)}/triage`;
  const reporter = incident.reporter.anonymous ? 'anonymous' : incident.reporter.name;
  return (
    <Card padding="md" data-testid="event-row">
      <Group justify="space-between" wrap="nowrap" gap="md">
        <Stack gap={4} miw={0}>
          <Group gap="xs">
            <Text size="xs" c="dimmed" ff="monospace">
              {incident.id}
            </Text>
            <Text size="xs" c="dimmed">
              {view.plan.name}
            </Text>
          </Group>
          <RouterLink to={incidentPath(incident.id)} fw={600} c="var(--mantine-color-text)" lineClamp={1}>
            {incident.title}
          </RouterLink>
          <Text size="sm" c="dimmed">
            Reported <Timestamp iso={incident.reportedAt} /> by {reporter}
            {incident.source ? ` via ${incident.source}` : ''}
          </Text>
        </Stack>
        <Group gap="sm" wrap="nowrap">
          {triage && <Countdown clock={triage} />}
          <Button
            component="a"
            href={triagePath}
            onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, triagePath)}
            aria-label={`Triage ${incident.title}`}
          >
            Triage
          </Button>
        </Group>
      </Group>
    </Card>
  );
}
