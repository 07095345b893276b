/**
 * The incident's advisories: each with its status and severity, a link into the editor,
 * and "Draft advisory", which asks for a title, creates the draft on the server and
 * opens it (the id comes from the plan's pattern, so only the server can make one).
 */
import { Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, request } from '../../api/client.js';
import { queryKeys, useIncidentAdvisories, useSession } from '../../api/queries.js';
import type { AdvisoryView, IncidentView } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { errorText } from '../../components/query-state.js';
import { RouterLink } from '../../components/router-link.js';
import { Timestamp } from '../../components/timestamp.js';
import { advisoryEditorPath, navigate } from '../../hooks/use-route.js';

const STATUS_TEXT: Record<string, string> = { draft: 'Draft', in_review: 'In review', approved: 'Approved', scheduled: 'Scheduled', published: 'Published', updated: 'Published (updated)' };

export function AdvisoriesPanel({ view }: { view: IncidentView }) {
  const incidentId = view.incident.id;
  const advisories = useIncidentAdvisories(incidentId);
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const role = useSession().data?.user?.role;
  const canWrite = role === 'admin' || role === 'responder';
  // Whoever may not read advisories (reporters) does not see the panel at all.
  if (advisories.error instanceof ApiError && (advisories.error.status === 403 || advisories.error.status === 404)) return null;

  const draft = async (): Promise<boolean> => {
    setFailure(null);
    try {
      const created = await request<AdvisoryView>(`/incidents/${encodeURIComponent(incidentId)}/advisories`, { method: 'POST', body: { title } });
      queryClient.setQueryData(queryKeys.advisory(created.id), created);
      void queryClient.invalidateQueries({ queryKey: queryKeys.advisories() });
      navigate(advisoryEditorPath(incidentId, created.id));
      return true;
    } catch (error) {
      setFailure(error);
      return false;
    }
  };

  return (
    <Card component="section" aria-labelledby="advisories-heading" data-testid="advisories-panel">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="advisories-heading">
          Advisories
        </Title>
        {canWrite && (
          <Button
            size="xs"
            variant="light"
            onClick={() => {
              setTitle(view.incident.title);
              setFailure(null);
              setOpen(true);
            }}
          >
            Draft advisory
          </Button>
        )}
      </Group>
      {advisories.isError ? (
        <Text size="sm" c="red">
          {errorText(advisories.error)}
        </Text>
      ) : (advisories.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {advisories.isPending ? 'Loading…' : 'No advisory yet.'}
        </Text>
      ) : (
        <Stack gap="xs">
          {(advisories.data ?? []).map((a) => (
            <Group key={a.id} justify="space-between" wrap="nowrap" data-testid="advisory-row">
              <Stack gap={0}>
                <RouterLink to={advisoryEditorPath(incidentId, a.id)} size="sm" fw={600}>
                  {a.id}: {a.title}
                </RouterLink>
                <Text size="xs" c="dimmed">
                  Updated <Timestamp iso={a.updatedAt} size="xs" />
                </Text>
              </Stack>
              <Group gap={4} wrap="nowrap">
                {a.severity && (
                  <Badge size="sm" variant="outline">
                    {a.severity}
                  </Badge>
                )}
                <Badge size="sm" variant="light">
                  {STATUS_TEXT[a.status] ?? a.status}
                </Badge>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      <ActionDialog
        opened={open}
        onClose={() => setOpen(false)}
        title="Draft an advisory"
        description="Start with a title; the editor that opens next has every other field."
        submitLabel="Create draft"
        canSubmit={title.trim() !== ''}
        onSubmit={draft}
      >
        <TextInput label="Advisory title" required data-autofocus value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        {failure !== null && (
          <Text size="sm" c="red" role="alert">
            {errorText(failure)}
          </Text>
        )}
      </ActionDialog>
    </Card>
  );
}
