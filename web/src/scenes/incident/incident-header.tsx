/**
 * The top of the incident page: id, title, severity (changeable, with a reason), status,
 * restricted and drill marks, and the lifecycle actions that fit the current status
 * (acknowledge, resolve, close, reopen).
 */
import { Badge, Button, Group, Select, Stack, Text, Textarea, Title, Tooltip } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { IncidentView, Plan } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { LockIcon } from '../../components/icons.js';
import { RouterLink } from '../../components/router-link.js';
import { SeverityBadge, StatusBadge } from '../../components/severity-badge.js';
import { Timestamp } from '../../components/timestamp.js';
import { useCommands } from './incident-commands.js';

type Dialog = 'severity' | 'resolve' | 'reopen' | null;

export function IncidentHeader({ view, plan, live }: { view: IncidentView; plan: Plan | undefined; live: ReactNode }) {
  const { run, pending } = useCommands();
  const { incident } = view;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [severity, setSeverity] = useState<string | null>(null);
  const [text, setText] = useState('');
  const open = (which: Dialog) => {
    setText('');
    setSeverity(null);
    setDialog(which);
  };
  const close = () => setDialog(null);
  const isIncident = incident.kind === 'incident';
  const finished = incident.status === 'resolved' || incident.status === 'closed' || incident.status === 'dismissed';

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Group gap="xs">
          <RouterLink to="/" size="sm">
            ← Dashboard
          </RouterLink>
          <Text size="sm" c="dimmed">
            /
          </Text>
          <Text size="sm" c="dimmed" ff="monospace">
            {incident.id}
          </Text>
        </Group>
        {live}
      </Group>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={6} miw={0} style={{ flex: 1 }}>
          <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
            {incident.title}
          </Title>
          <Group gap="xs" wrap="wrap">
            <SeverityBadge planId={view.plan.id} severity={incident.severity} name={view.severityName} size="lg" data-testid="severity-badge" />
            <StatusBadge status={incident.status} size="lg" data-testid="status-badge" />
            {view.categoryName && (
              <Badge variant="outline" color="gray" size="lg">
                {view.categoryName}
              </Badge>
            )}
            {incident.restricted && (
              <Tooltip label="Only members of this incident can see it">
                <Badge variant="filled" color="dark" size="lg" leftSection={<LockIcon size={12} />}>
                  Restricted
                </Badge>
              </Tooltip>
            )}
            {incident.drill && (
              <Badge variant="outline" color="cyan" size="lg">
                Drill
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              Reported <Timestamp iso={incident.reportedAt} /> by {incident.reporter.anonymous ? 'an anonymous reporter' : incident.reporter.name} ·{' '}
              <RouterLink to={`/plans/${encodeURIComponent(view.plan.id)}`} size="sm">
                {view.plan.name} {view.plan.version}
              </RouterLink>
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          {!incident.acknowledgedAt && !finished && (
            <Button variant="light" color="orange" loading={pending === 'Acknowledge'} onClick={() => void run({ path: '/ack', label: 'Acknowledge' })}>
              Acknowledge
            </Button>
          )}
          {isIncident && !finished && (
            <Button variant="default" onClick={() => open('severity')}>
              Change severity
            </Button>
          )}
          {incident.status === 'active' && (
            <Button color="green" onClick={() => open('resolve')}>
              Resolve
            </Button>
          )}
          {incident.status === 'resolved' && (
            <Button color="gray" loading={pending === 'Close the incident'} onClick={() => void run({ path: '/close', label: 'Close the incident' })}>
              Close
            </Button>
          )}
          {finished && (
            <Button variant="default" onClick={() => open('reopen')}>
              Reopen
            </Button>
          )}
        </Group>
      </Group>
      {incident.status === 'dismissed' && incident.dismissedReason && (
        <Text size="sm" c="dimmed">
          Dismissed as a false alarm: {incident.dismissedReason}
        </Text>
      )}

      <ActionDialog
        opened={dialog === 'severity'}
        onClose={close}
        title="Change severity"
        description="The change and your reason go into the record; the clocks follow the new severity."
        submitLabel="Change severity"
        canSubmit={severity !== null && text.trim() !== ''}
        onSubmit={() => run({ path: '/severity', body: { severity, reason: text.trim() }, label: 'Change severity' })}
      >
        <Select
          label="New severity"
          required
          data={(plan?.severities ?? []).filter((s) => s.id !== incident.severity).map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
          value={severity}
          onChange={setSeverity}
          data-autofocus
        />
        <Textarea label="Reason" required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </ActionDialog>

      <ActionDialog
        opened={dialog === 'resolve'}
        onClose={close}
        title="Resolve the incident"
        description="Resolving starts the retrospective clock. You can reopen it if it flares up again."
        submitLabel="Resolve"
        submitColor="green"
        onSubmit={() => run({ path: '/resolve', body: text.trim() ? { summary: text.trim() } : {}, label: 'Resolve the incident' })}
      >
        <Textarea label="Resolution summary (optional)" autosize minRows={3} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
      </ActionDialog>

      <ActionDialog
        opened={dialog === 'reopen'}
        onClose={close}
        title="Reopen"
        submitLabel="Reopen"
        canSubmit={text.trim() !== ''}
        onSubmit={() => run({ path: '/reopen', body: { reason: text.trim() }, label: 'Reopen' })}
      >
        <Textarea label="Why reopen it?" required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
      </ActionDialog>
    </Stack>
  );
}
