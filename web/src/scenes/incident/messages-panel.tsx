/**
 * Messages to the plan's audiences and the incident's delivery record. "Send message"
 * opens a dialog: choose the template and audience, edit the body, and see a live preview
 * of exactly what leaves (times in the plan's zone) with whatever still blocks it (a
 * placeholder, a variable nobody filled) and who must approve it. Messages in review can be
 * approved or rejected here; every delivery shows its status, attempts and last error.
 */
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ComposedMessage, PlanMessage } from '../../../../src/app/messages/message-service.js';
import type { DeliveryRecord } from '../../../../src/integrations/delivery/delivery-service.js';
import { request } from '../../api/client.js';
import type { IncidentView } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { Timestamp } from '../../components/timestamp.js';

const TEMPLATES = [
  { value: 'broadcast', label: 'Broadcast' },
  { value: 'internalNotification', label: 'Internal notification' },
  { value: 'externalDisclosure', label: 'External disclosure' },
];
const STATUS_COLOUR: Record<string, string> = { sent: 'green', queued: 'blue', review: 'yellow', failed: 'orange', dead: 'red', rejected: 'gray' };

const keys = {
  messages: (id: string) => ['incident', id, 'messages'] as const,
  deliveries: (id: string) => ['incident', id, 'deliveries'] as const,
};

function SendDialog({ incidentId, opened, onClose }: { incidentId: string; opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [template, setTemplate] = useState('broadcast');
  const [audience, setAudience] = useState('');
  const [body, setBody] = useState<string | null>(null);
  const [preview, setPreview] = useState<ComposedMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = { template, ...(audience.trim() ? { audience: audience.trim() } : {}), ...(body !== null ? { body } : {}) };
  const key = JSON.stringify(input);

  // The preview follows every edit, a moment after typing stops.
  useEffect(() => {
    if (!opened) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      request<ComposedMessage>(`/incidents/${incidentId}/messages/preview`, { method: 'POST', body: JSON.parse(key), signal: controller.signal })
        .then((p) => {
          setPreview(p);
          setError(null);
          setBody((b) => b ?? p.body);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setError(errorText(e));
        });
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [incidentId, key, opened]);

  const blockers = preview ? [...preview.missingVariables.map((v) => `The template's variable "${v}" has no value: write it into the body.`), ...preview.placeholders.map((p) => `${p.field} line ${p.line} still holds ${p.text}`)] : [];
  const send = async () => {
    setBusy(true);
    try {
      await request<PlanMessage>(`/incidents/${incidentId}/messages`, { method: 'POST', body: input });
      await queryClient.invalidateQueries({ queryKey: ['incident', incidentId] });
      setBody(null);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Send message" size="lg">
      <Stack gap="sm">
        <Group grow wrap="wrap">
          <Select label="Template" data={TEMPLATES} value={template} allowDeselect={false} onChange={(v) => { setTemplate(v ?? 'broadcast'); setBody(null); }} />
          <TextInput label="Audience" placeholder={preview?.audience ?? "template's audience"} value={audience} onChange={(e) => setAudience(e.currentTarget.value)} />
        </Group>
        <Textarea label="Body" autosize minRows={6} maxRows={16} value={body ?? ''} onChange={(e) => setBody(e.currentTarget.value)} data-testid="message-body" />
        {preview ? (
          <Card withBorder padding="sm" data-testid="message-preview">
            <Text size="xs" c="dimmed">
              To {preview.audience}: {preview.recipients.length === 0 ? 'no channel configured (firebreak channels set)' : preview.recipients.join(', ')}
            </Text>
            {preview.subject ? <Text fw={600} size="sm">{preview.subject}</Text> : null}
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{preview.body}</Text>
            <Text size="xs" mt="xs">
              {preview.approvalsNeeded === 0 ? 'Sent at once.' : `Waits for ${preview.approvalsNeeded} approval${preview.approvalsNeeded > 1 ? 's' : ''} by people other than you.`}
            </Text>
          </Card>
        ) : null}
        {blockers.length > 0 ? (
          <Alert color="yellow" title="Not sendable yet" data-testid="message-blockers">
            {blockers.map((b) => <Text key={b} size="sm">{b}</Text>)}
          </Alert>
        ) : null}
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button onClick={() => void send()} loading={busy} disabled={!preview || blockers.length > 0}>
            {preview && preview.approvalsNeeded > 0 ? 'Submit for review' : 'Send'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ReviewButtons({ message, incidentId }: { message: PlanMessage; incidentId: string }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = async (path: string, body: unknown) => {
    try {
      await request(`/messages/${message.id}/${path}`, { method: 'POST', body });
      await queryClient.invalidateQueries({ queryKey: ['incident', incidentId] });
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="wrap">
        <Button size="compact-xs" onClick={() => void act('approve', {})}>Approve</Button>
        <TextInput size="xs" aria-label="Reason to reject" placeholder="Reason to reject" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button size="compact-xs" variant="light" color="red" disabled={!reason.trim()} onClick={() => void act('reject', { reason })}>Reject</Button>
      </Group>
      {error ? <Text size="xs" c="red" role="alert">{error}</Text> : null}
    </Stack>
  );
}

export function MessagesPanel({ view }: { view: IncidentView }) {
  const id = view.incident.id;
  const [open, setOpen] = useState(false);
  const messages = useQuery({ queryKey: keys.messages(id), queryFn: ({ signal }) => request<{ items: PlanMessage[] }>(`/incidents/${id}/messages`, { signal }).then((r) => r.items) });
  const deliveries = useQuery({ queryKey: keys.deliveries(id), queryFn: ({ signal }) => request<{ items: DeliveryRecord[] }>(`/incidents/${id}/deliveries`, { signal }).then((r) => r.items), refetchInterval: 15_000 });

  return (
    <Card component="section" aria-labelledby="messages-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5" id="messages-heading">Messages</Title>
        <Button size="compact-sm" variant="light" onClick={() => setOpen(true)}>Send message</Button>
      </Group>
      <Stack gap="xs">
        {(messages.data ?? []).map((m) => (
          <Stack key={m.id} gap={2}>
            <Group gap="xs">
              <Badge size="sm" color={STATUS_COLOUR[m.status] ?? 'gray'}>{m.status === 'review' ? `review ${m.approvedBy.length}/${m.approvalsNeeded}` : m.status}</Badge>
              <Text size="sm">{m.subject ?? m.template} to {m.audience}, by @{m.author}</Text>
            </Group>
            {m.status === 'rejected' ? <Text size="xs" c="dimmed">Rejected by @{m.rejectedBy}: {m.rejectReason}</Text> : null}
            {m.status === 'review' ? <ReviewButtons message={m} incidentId={id} /> : null}
          </Stack>
        ))}
        {messages.data?.length === 0 ? <Text size="sm" c="dimmed">No messages sent yet.</Text> : null}
      </Stack>
      <Title order={3} size="h6" mt="md" mb="xs" id="deliveries-heading">Deliveries</Title>
      <Stack gap={4} aria-labelledby="deliveries-heading" data-testid="deliveries">
        {deliveries.error ? <Text size="sm" c="red">{errorText(deliveries.error)}</Text> : null}
        {(deliveries.data ?? []).map((d) => (
          <Stack key={d.id} gap={0}>
            <Group gap="xs" wrap="wrap">
              <Badge size="xs" color={STATUS_COLOUR[d.status] ?? 'gray'}>{d.status}</Badge>
              <Text size="xs">{d.template ?? d.clock ?? 'message'} to {d.recipient} by {d.channel}</Text>
              <Text size="xs" c="dimmed">{d.attempts} attempt{d.attempts === 1 ? '' : 's'}</Text>
              <Timestamp iso={d.sentAt ?? d.createdAt} size="xs" c="dimmed" />
            </Group>
            {d.lastError ? <Text size="xs" c="red">Last error: {d.lastError}</Text> : null}
          </Stack>
        ))}
        {deliveries.data?.length === 0 ? <Text size="sm" c="dimmed">Nothing delivered for this incident yet.</Text> : null}
      </Stack>
      <SendDialog incidentId={id} opened={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
