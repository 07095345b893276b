/**
 * Every deadline of the incident as a live countdown with its state, most urgent first;
 * met ones fold under a toggle so the open ones stand out.
 */
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { Clock, IncidentView } from '../../api/types.js';
import { Countdown } from '../../components/countdown.js';
import { formatShort } from '../../components/timestamp.js';

function ClockItem({ clock }: { clock: Clock }) {
  return (
    <Stack gap={2} data-testid="clock" data-clock-id={clock.id}>
      <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
        <Text size="sm" fw={500} lineClamp={2}>
          {clock.label}
        </Text>
        <Countdown clock={clock} size="sm" />
      </Group>
      <Text size="xs" c="dimmed">
        {clock.kind} · within {clock.window} · due {formatShort(clock.dueAt)}
        {clock.role ? ` · @${clock.role}` : ''}
        {clock.escalation?.some((level) => level.reached) && (
          <Badge ml={6} size="xs" color="red" variant="light">
            escalated to {clock.escalation.filter((level) => level.reached).at(-1)?.role}
          </Badge>
        )}
      </Text>
    </Stack>
  );
}

export function ClocksPanel({ view }: { view: IncidentView }) {
  const [showMet, setShowMet] = useState(false);
  const open = view.clocks.filter((c) => c.state !== 'met');
  const met = view.clocks.filter((c) => c.state === 'met');
  return (
    <Card component="section" aria-labelledby="clocks-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="clocks-heading">
          Clocks
        </Title>
        <Text size="xs" c="dimmed">
          {open.length} open · {met.length} met
        </Text>
      </Group>
      <Stack gap="sm">
        {open.length === 0 && (
          <Text size="sm" c="dimmed">
            No open deadlines.
          </Text>
        )}
        {open.map((clock) => (
          <ClockItem key={clock.id} clock={clock} />
        ))}
        {met.length > 0 && (
          <Button variant="subtle" size="compact-sm" color="gray" onClick={() => setShowMet(!showMet)} aria-expanded={showMet}>
            {showMet ? 'Hide' : 'Show'} {met.length} met
          </Button>
        )}
        {showMet && met.map((clock) => <ClockItem key={clock.id} clock={clock} />)}
      </Stack>
    </Card>
  );
}
