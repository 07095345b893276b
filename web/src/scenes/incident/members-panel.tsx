/**
 * Who may see this incident. A restricted incident is visible only to its members (others
 * get "not found"); the panel lists them, adds and removes them, and switches the
 * restriction on or off with a reason.
 */
import { Badge, Button, CloseButton, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { IncidentView } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { LockIcon } from '../../components/icons.js';
import { PersonInput } from '../../components/person-input.js';
import { useCommands } from './incident-commands.js';

export function MembersPanel({ view, people }: { view: IncidentView; people: readonly string[] }) {
  const { run } = useCommands();
  const { incident } = view;
  const [dialog, setDialog] = useState<'add' | 'restrict' | null>(null);
  const [user, setUser] = useState('');
  const [reason, setReason] = useState('');
  const close = () => setDialog(null);

  return (
    <Card component="section" aria-labelledby="members-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="members-heading">
          Members
        </Title>
        {incident.restricted ? (
          <Badge color="dark" leftSection={<LockIcon size={12} />}>
            Restricted
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            Open to all responders
          </Badge>
        )}
      </Group>
      <Stack gap={6}>
        {incident.members.length === 0 ? (
          <Text size="sm" c="dimmed">
            {incident.restricted ? 'No members yet: only administrators can see it.' : 'No named members.'}
          </Text>
        ) : (
          incident.members.map((member) => (
            <Group key={member} justify="space-between" gap="xs">
              <Text size="sm">@{member}</Text>
              <CloseButton
                size="sm"
                aria-label={`Remove @${member}`}
                onClick={() => void run({ path: `/members/${encodeURIComponent(member)}`, method: 'DELETE', label: `Remove @${member}` })}
              />
            </Group>
          ))
        )}
      </Stack>
      <Group gap="xs" mt="sm">
        <Button size="compact-sm" variant="light" onClick={() => { setUser(''); setDialog('add'); }}>
          Add member
        </Button>
        <Button size="compact-sm" variant="subtle" color="gray" onClick={() => { setReason(''); setDialog('restrict'); }}>
          {incident.restricted ? 'Lift restriction' : 'Restrict'}
        </Button>
      </Group>

      <ActionDialog
        opened={dialog === 'add'}
        onClose={close}
        title="Add a member"
        submitLabel="Add"
        canSubmit={user.trim() !== ''}
        onSubmit={() => run({ path: '/members', body: { user: user.trim() }, label: `Add @${user.trim()}` })}
      >
        <PersonInput label="Person" value={user} onChange={setUser} known={people.filter((p) => !incident.members.includes(p))} />
      </ActionDialog>
      <ActionDialog
        opened={dialog === 'restrict'}
        onClose={close}
        title={incident.restricted ? 'Open this incident to all responders' : 'Restrict this incident to its members'}
        submitLabel={incident.restricted ? 'Lift restriction' : 'Restrict'}
        canSubmit={reason.trim() !== ''}
        onSubmit={() => run({ path: '/restriction', body: { restricted: !incident.restricted, reason: reason.trim() }, label: 'Change the restriction' })}
      >
        <Textarea label="Reason" required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
      </ActionDialog>
    </Card>
  );
}
