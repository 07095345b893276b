/** One active incident on the dashboard: severity, title, phase, IC, the most urgent clock. */
import { Badge, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { MouseEvent } from 'react';
import type { IncidentView } from '../../api/types.js';
import { Countdown } from '../../components/countdown.js';
import { LockIcon } from '../../components/icons.js';
import { handleLinkClick } from '../../components/router-link.js';
import { SeverityBadge, StatusBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { incidentPath } from '../../hooks/use-route.js';
import { commanderOf } from './incident-urgency.js';

export function IncidentRow({ view, now }: { view: IncidentView; now: number }) {
  const { incident } = view;
  const to = incidentPath(incident.id);
  const ic = commanderOf(view);
  const clock = view.mostUrgentClock;
  const overdue = clock !== null && new Date(clock.dueAt).getTime() < now;
  return (
    <Card
      component="a"
      href={to}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => handleLinkClick(event, to)}
      className="fb-row-link fb-incident-row"
      data-overdue={overdue}
      padding="md"
      data-testid="incident-row"
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="md">
        <Stack gap={6} miw={0}>
          <Group gap="xs" wrap="wrap">
            <SeverityBadge planId={view.plan.id} severity={incident.severity} name={view.severityName} />
            <StatusBadge status={incident.status} />
            <Text size="xs" c="dimmed" ff="monospace">
              {incident.id}
            </Text>
            {incident.restricted && (
              <Tooltip label="Restricted to its members">
                <Badge variant="outline" color="gray" leftSection={<LockIcon size={12} />}>
                  Restricted
                </Badge>
              </Tooltip>
            )}
            {incident.drill && (
              <Badge variant="outline" color="cyan">
                Drill
              </Badge>
            )}
          </Group>
          <Text fw={600} size="md" className="fb-row-title" lineClamp={1}>
            {incident.title}
          </Text>
          <Group gap="lg" wrap="wrap">
            <Text size="sm" c="dimmed">
              Phase <Text span c="var(--mantine-color-text)" fw={500}>{view.phaseName}</Text>
            </Text>
            <Text size="sm" c="dimmed">
              IC{' '}
              {ic ? (
                <Text span c="var(--mantine-color-text)" fw={500}>
                  @{ic}
                </Text>
              ) : (
                <Text span c="red" fw={600}>
                  unassigned
                </Text>
              )}
            </Text>
            <Text size="sm" c="dimmed">
              Reported <Timestamp iso={incident.reportedAt} />
            </Text>
          </Group>
        </Stack>
        <Stack gap={4} align="flex-end" miw={160}>
          {clock ? (
            <>
              <Countdown clock={clock} size="lg" />
              <Text size="xs" c="dimmed" ta="right" lineClamp={2} maw={220}>
                {clock.label}
              </Text>
            </>
          ) : (
            <Text size="sm" c="dimmed">
              No open deadlines
            </Text>
          )}
        </Stack>
      </Group>
    </Card>
  );
}
