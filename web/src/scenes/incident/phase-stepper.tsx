/**
 * Where the response stands in the plan's phases, and the one button that moves it on.
 * While required items of the current phase are open the button is disabled and says
 * which items block it; moving on anyway takes a reason (recorded as a forced move).
 */
import { Alert, Button, Group, Paper, Stepper, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { IncidentView } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { ArrowRightIcon } from '../../components/icons.js';
import { useCommands } from './incident-commands.js';

export function PhaseStepper({ view }: { view: IncidentView }) {
  const { run, pending } = useCommands();
  const [forcing, setForcing] = useState(false);
  const [reason, setReason] = useState('');
  const currentIndex = view.phases.findIndex((p) => p.current);
  const next = view.phases[currentIndex + 1];
  const responding = view.incident.status === 'active' || view.incident.status === 'investigating';
  const blocking = view.blockingItems.map((id) => view.checklist.find((item) => item.id === id)?.text ?? id);
  const advanceLabel = next ? `Move to ${next.name}` : '';

  return (
    <Paper withBorder p="md">
      <Stepper active={currentIndex} size="sm" iconSize={28} allowNextStepsSelect={false} aria-label="Phases">
        {view.phases.map((phase) => (
          <Stepper.Step
            key={phase.id}
            label={phase.name}
            description={phase.current ? 'Current' : phase.entered ? 'Done' : undefined}
            aria-current={phase.current ? 'step' : undefined}
          />
        ))}
      </Stepper>
      {responding && next && (
        <Group justify="space-between" mt="md" wrap="wrap" gap="sm">
          {blocking.length > 0 ? (
            <Alert color="yellow" variant="light" p="xs" style={{ flex: 1 }} data-testid="phase-blocked">
              <Text size="sm">
                <b>Cannot move to {next.name} yet:</b> {blocking.length} required item{blocking.length > 1 ? 's' : ''} of {view.phaseName} still open
                ({blocking.join('; ')}).
              </Text>
            </Alert>
          ) : (
            <Text size="sm" c="dimmed">
              All required items of {view.phaseName} are done.
            </Text>
          )}
          <Group gap="xs">
            {blocking.length > 0 && (
              <Button variant="subtle" color="gray" size="sm" onClick={() => { setReason(''); setForcing(true); }}>
                Move on anyway…
              </Button>
            )}
            <Button
              rightSection={<ArrowRightIcon size={16} />}
              disabled={blocking.length > 0}
              loading={pending === advanceLabel}
              onClick={() => void run({ path: '/phase', body: { phase: next.id }, label: advanceLabel })}
            >
              {advanceLabel}
            </Button>
          </Group>
        </Group>
      )}
      <ActionDialog
        opened={forcing}
        onClose={() => setForcing(false)}
        title={next ? `Move to ${next.name} with required items open` : 'Move on'}
        description={`The record will show that ${blocking.length} required item(s) were skipped, and why.`}
        submitLabel="Move on anyway"
        submitColor="orange"
        canSubmit={reason.trim() !== ''}
        onSubmit={() => run({ path: '/phase', body: { phase: next?.id, force: { reason: reason.trim() } }, label: `Force the move to ${next?.name}` })}
      >
        <Textarea label="Reason" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
      </ActionDialog>
    </Paper>
  );
}
