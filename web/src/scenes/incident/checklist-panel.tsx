/**
 * The current phase's checklist: each item with its owner role (and who holds it), its
 * due time as a countdown, and a "Required" mark for the items that block the next phase.
 * One click ticks an item off; the record keeps who did it and when.
 */
import { Badge, Card, Checkbox, Group, Progress, Stack, Text, Title } from '@mantine/core';
import type { IncidentView } from '../../api/types.js';
import { Countdown } from '../../components/countdown.js';
import { Timestamp } from '../../components/timestamp.js';
import { useCommands } from './incident-commands.js';

export function ChecklistPanel({ view }: { view: IncidentView }) {
  const { run, pending } = useCommands();
  const items = view.checklist;
  const done = items.filter((item) => item.done).length;
  const responding = view.incident.status === 'active' || view.incident.status === 'investigating';
  const holderOf = (roleId: string | null) => view.roles.find((r) => r.id === roleId);

  return (
    <Card component="section" aria-labelledby="checklist-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="checklist-heading">
          Checklist · {view.phaseName}
        </Title>
        <Text size="xs" c="dimmed">
          {done} of {items.length} done
        </Text>
      </Group>
      {items.length > 0 && <Progress value={(done / items.length) * 100} size="sm" mb="md" aria-label="Checklist progress" color={done === items.length ? 'green' : undefined} />}
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          This phase has no checklist.
        </Text>
      ) : (
        <Stack gap="sm">
          {items.map((item) => {
            const owner = holderOf(item.role);
            const label = `Complete: ${item.text}`;
            return (
              <Group key={item.id} justify="space-between" wrap="nowrap" align="flex-start" gap="sm" data-testid="checklist-item" data-item-id={item.id} data-done={item.done}>
                <Checkbox
                  checked={item.done}
                  disabled={item.done || !responding || pending === label}
                  onChange={() => void run({ path: `/checklist/${encodeURIComponent(item.id)}/complete`, label })}
                  label={
                    <Text size="sm" td={item.done ? 'line-through' : undefined} c={item.done ? 'dimmed' : undefined}>
                      {item.text}
                    </Text>
                  }
                  description={
                    item.done && item.doneBy && item.doneAt ? (
                      <>
                        Done by @{item.doneBy} <Timestamp iso={item.doneAt} size="xs" />
                      </>
                    ) : owner ? (
                      `${owner.name}${owner.holder ? ` · @${owner.holder}` : ' · unassigned'}`
                    ) : undefined
                  }
                  styles={{ body: { alignItems: 'flex-start' } }}
                />
                <Group gap={6} wrap="nowrap">
                  {item.required && !item.done && (
                    <Badge size="sm" color="red" variant="light">
                      Required
                    </Badge>
                  )}
                  {item.dueAt && !item.done && <Countdown clock={{ dueAt: item.dueAt, state: item.clockState ?? 'pending', late: false, metAt: null }} size="sm" />}
                </Group>
              </Group>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}
