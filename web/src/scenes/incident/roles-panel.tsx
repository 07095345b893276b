/**
 * Who holds which role, since when, and the explicit handoff: the holder starts it with
 * a briefing, the incoming person reads the briefing and confirms, and only then does
 * the role move. The person a handoff waits for sees it as a banner at the top.
 */
import { Alert, Badge, Blockquote, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { IncidentView } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { Countdown } from '../../components/countdown.js';
import { HandoffIcon } from '../../components/icons.js';
import { PersonInput } from '../../components/person-input.js';
import { Timestamp } from '../../components/timestamp.js';
import { useCommands } from './incident-commands.js';

type Role = IncidentView['roles'][number];
type Dialog = { kind: 'assign' | 'handoff' | 'cancel'; role: Role } | null;

function rolePath(role: Role, suffix: string): string {
  return `/roles/${encodeURIComponent(role.id)}${suffix}`;
}

/** Handles the page knows of, for suggestions. */
export function knownPeople(view: IncidentView, extra: readonly string[] = []): string[] {
  const people = new Set<string>([...view.incident.members, ...extra]);
  for (const role of view.roles) {
    if (role.holder) people.add(role.holder);
    if (role.pendingHandoffTo) people.add(role.pendingHandoffTo);
  }
  return [...people];
}

export function HandoffBanner({ view, me }: { view: IncidentView; me: string }) {
  const { run, pending } = useCommands();
  const waiting = view.roles.filter((role) => role.pendingHandoffTo === me);
  if (waiting.length === 0) return null;
  return (
    <Stack gap="xs">
      {waiting.map((role) => {
        const label = `Confirm the ${role.name} handoff`;
        return (
          <Alert key={role.id} color="indigo" variant="light" icon={<HandoffIcon />} title={`@${role.holder} is handing ${role.name} to you`} data-testid="handoff-banner">
            <Text size="sm">Read the briefing, then confirm to take over. Until you confirm, @{role.holder} still holds the role.</Text>
            <Blockquote mt="xs" p="sm" color="indigo">
              {view.incident.roles[role.id]?.pendingHandoff?.briefing ?? ''}
            </Blockquote>
            <Button mt="sm" loading={pending === label} onClick={() => void run({ path: rolePath(role, '/handoff/confirm'), label })}>
              Confirm and take over as {role.name}
            </Button>
          </Alert>
        );
      })}
    </Stack>
  );
}

export function RolesPanel({ view, me, people }: { view: IncidentView; me: string; people: readonly string[] }) {
  const { run, pending } = useCommands();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const finished = ['resolved', 'closed', 'dismissed'].includes(view.incident.status);
  const open = (kind: 'assign' | 'handoff' | 'cancel', role: Role) => {
    setTo(kind === 'assign' ? me : '');
    setText('');
    setDialog({ kind, role });
  };
  const close = () => setDialog(null);
  const role = dialog?.role;

  return (
    <Card component="section" aria-labelledby="roles-heading">
      <Title order={2} size="h5" id="roles-heading" mb="sm">
        Roles
      </Title>
      <Stack gap="md">
        {view.roles.map((r) => {
          const shift = view.clocks.find((c) => c.id === `shift:${r.id}`);
          const mine = r.holder === me;
          return (
            <Stack key={r.id} gap={4} data-testid="role" data-role-id={r.id}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {r.name}
                  </Text>
                  {r.id === view.commanderRole && (
                    <Badge size="xs" variant="light">
                      Lead
                    </Badge>
                  )}
                  {r.requiredNow && !r.holder && (
                    <Badge size="xs" color="red">
                      Needed
                    </Badge>
                  )}
                </Group>
                {!finished && !r.holder && (
                  <Button size="compact-sm" variant="light" onClick={() => open('assign', r)} aria-label={`Assign ${r.name}`}>
                    Assign
                  </Button>
                )}
                {!finished && mine && !r.pendingHandoffTo && (
                  <Button size="compact-sm" variant="light" onClick={() => open('handoff', r)} aria-label={`Hand off ${r.name}`}>
                    Hand off
                  </Button>
                )}
              </Group>
              {r.holder ? (
                <Group gap={6} wrap="wrap">
                  <Text size="sm" data-testid="role-holder">
                    @{r.holder}
                    {mine && (
                      <Text span c="dimmed" size="sm">
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Text>
                  {r.since && (
                    <Text size="xs" c="dimmed">
                      since <Timestamp iso={r.since} size="xs" />
                    </Text>
                  )}
                  {shift && <Countdown clock={shift} size="sm" />}
                </Group>
              ) : (
                <Text size="sm" c="dimmed">
                  Nobody
                </Text>
              )}
              {r.pendingHandoffTo && (
                <Group gap={6} wrap="nowrap">
                  <Badge color="indigo" variant="outline" leftSection={<HandoffIcon size={12} />} data-testid="pending-handoff">
                    Handing off to @{r.pendingHandoffTo}
                  </Badge>
                  {(mine || r.pendingHandoffTo === me) && (
                    <Button size="compact-xs" variant="subtle" color="gray" onClick={() => open('cancel', r)}>
                      Cancel
                    </Button>
                  )}
                </Group>
              )}
            </Stack>
          );
        })}
      </Stack>

      <ActionDialog
        opened={dialog?.kind === 'assign'}
        onClose={close}
        title={`Assign ${role?.name ?? ''}`}
        submitLabel="Assign"
        canSubmit={to.trim() !== ''}
        onSubmit={() => run({ path: rolePath(role!, '/assign'), body: { to: to.trim() }, label: `Assign ${role?.name}` })}
      >
        <PersonInput label="Person" value={to} onChange={setTo} known={people} />
      </ActionDialog>

      <ActionDialog
        opened={dialog?.kind === 'handoff'}
        onClose={close}
        title={`Hand off ${role?.name ?? ''}`}
        description="Brief the incoming person: what is going on, what is in flight, what to watch. They confirm after reading it; until then you keep the role."
        submitLabel="Start handoff"
        canSubmit={to.trim() !== '' && text.trim() !== ''}
        onSubmit={() => run({ path: rolePath(role!, '/handoff'), body: { to: to.trim(), briefing: text.trim() }, label: `Hand off ${role?.name}` })}
      >
        <PersonInput label="Hand off to" value={to} onChange={setTo} known={people.filter((p) => p !== me)} />
        <Textarea label="Briefing" required autosize minRows={4} maxRows={12} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      </ActionDialog>

      <ActionDialog
        opened={dialog?.kind === 'cancel'}
        onClose={close}
        title={`Cancel the ${role?.name ?? ''} handoff`}
        submitLabel="Cancel the handoff"
        submitColor="red"
        canSubmit={text.trim() !== ''}
        onSubmit={() => run({ path: rolePath(role!, '/handoff/cancel'), body: { reason: text.trim() }, label: `Cancel the ${role?.name} handoff` })}
      >
        <Textarea label="Reason" required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} data-autofocus />
      </ActionDialog>
      {pending && <span className="fb-skip-link" role="status">{pending}…</span>}
    </Card>
  );
}
