/**
 * The advisory's review and release steps as buttons: submit for review, approve (not
 * offered to anyone who wrote the working copy, with the reason shown), request changes
 * with a reason, schedule behind an embargo (the date shown in the viewer's time zone)
 * and publish. Each asks for its few words in a dialog and shows the server's message
 * when it refuses, so the user learns what is missing rather than that "it failed".
 */
import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { ApiError, request } from '../../api/client.js';
import { advisoryPath, queryKeys, useSession } from '../../api/queries.js';
import type { AdvisoryStatus, AdvisoryView } from '../../api/types.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { errorText } from '../../components/query-state.js';
import { formatLocal } from '../../components/timestamp.js';

type Step = 'submit' | 'approve' | 'request-changes' | 'schedule' | 'publish';

const STEP_LABEL: Record<Step, string> = {
  submit: 'Submit for review',
  approve: 'Approve',
  'request-changes': 'Request changes',
  schedule: 'Schedule release',
  publish: 'Publish',
};

export const STATUS_LABEL: Record<AdvisoryStatus, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  in_review: { label: 'In review', color: 'blue' },
  approved: { label: 'Approved', color: 'teal' },
  scheduled: { label: 'Scheduled (embargoed)', color: 'grape' },
  published: { label: 'Published', color: 'green' },
  updated: { label: 'Published (updated)', color: 'green' },
};

export function AdvisoryStatusBadge({ status }: { status: AdvisoryStatus }) {
  const { label, color } = STATUS_LABEL[status];
  return (
    <Badge color={color} variant="light" data-testid="advisory-status" data-status={status}>
      {label}
    </Badge>
  );
}

/** `datetime-local` input value (viewer's zone) → ISO instant. */
function localInputToIso(value: string): string | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function LifecycleBar({ view, canWrite }: { view: AdvisoryView; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const me = useSession().data?.user?.handle ?? '';
  const [open, setOpen] = useState<Step | null>(null);
  const [note, setNote] = useState('');
  const [releaseAt, setReleaseAt] = useState('');
  const [failure, setFailure] = useState<{ step: Step; error: unknown } | null>(null);

  const writers = new Set([...view.authors, ...(view.submittedBy ? [view.submittedBy] : [])]);
  const isWriter = writers.has(me);
  const pending = view.revisions.find((r) => r.embargoed && new Date(r.publishedAt).getTime() > Date.now());
  const status = view.status;

  const openStep = (step: Step) => {
    setNote('');
    setReleaseAt('');
    setFailure(null);
    setOpen(step);
  };

  const run = async (step: Step): Promise<boolean> => {
    const body =
      step === 'request-changes'
        ? { reason: note }
        : step === 'schedule'
          ? { releaseAt: localInputToIso(releaseAt) ?? releaseAt, ...(note.trim() ? { summary: note } : {}) }
          : step === 'publish'
            ? note.trim()
              ? { summary: note }
              : {}
            : note.trim()
              ? { note }
              : {};
    try {
      const updated = await request<AdvisoryView | undefined>(advisoryPath(view.id, `/${step}`), { method: 'POST', body, ifMatch: view.version });
      if (updated?.id) queryClient.setQueryData(queryKeys.advisory(view.id), updated);
      else await queryClient.invalidateQueries({ queryKey: queryKeys.advisory(view.id), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.advisories() });
      void queryClient.invalidateQueries({ queryKey: ['advisory', view.id] });
      setFailure(null);
      return true;
    } catch (error) {
      setFailure({ step, error });
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: queryKeys.advisory(view.id), exact: true });
      return false;
    }
  };

  const button = (step: Step, props: { color?: string; variant?: string } = {}) => (
    <Button key={step} size="sm" onClick={() => openStep(step)} {...props}>
      {STEP_LABEL[step]}
    </Button>
  );

  const steps: ReactNode[] = [];
  if (status === 'draft') steps.push(button('submit'));
  if (status === 'in_review') {
    steps.push(
      isWriter ? (
        <Tooltip key="approve" label="A second person must approve.">
          <Button size="sm" color="teal" disabled data-testid="approve-disabled">
            Approve
          </Button>
        </Tooltip>
      ) : (
        button('approve', { color: 'teal' })
      ),
    );
  }
  if (status === 'in_review' || status === 'approved') steps.push(button('request-changes', { variant: 'default' }));
  if (status === 'approved') steps.push(button('schedule', { variant: 'light' }), button('publish', { color: 'green' }));
  if (status === 'scheduled' && pending) steps.push(button('publish', { color: 'green' }));

  const dialogStep = open;
  const schedulePreview = releaseAt ? localInputToIso(releaseAt) : null;

  return (
    <Card withBorder component="section" aria-label="Review and release" data-testid="lifecycle-bar">
      <Stack gap="xs">
        <Group justify="space-between" align="center">
          <Group gap="xs">
            <AdvisoryStatusBadge status={status} />
            {pending && (
              <Text size="sm" data-testid="embargo">
                Embargoed until <strong>{formatLocal(pending.publishedAt)}</strong>
              </Text>
            )}
          </Group>
          {canWrite ? (
            <Group gap="xs">{steps}</Group>
          ) : (
            <Text size="sm" c="dimmed">
              Viewers can read advisories; responders review and release them.
            </Text>
          )}
        </Group>
        {status === 'in_review' && isWriter && (
          <Text size="sm" c="dimmed" data-testid="approve-reason">
            You cannot approve this advisory: you wrote or submitted this version ({[...writers].map((w) => `@${w}`).join(', ')}). Another person must review and approve it.
          </Text>
        )}
        {view.approvals.length > 0 && (
          <Text size="sm" data-testid="approvals">
            Approved by {view.approvals.map((a) => `@${a.by}${a.note ? ` (“${a.note}”)` : ''}`).join(', ')}
          </Text>
        )}
        {(view.openGates ?? []).length > 0 && (
          <Text size="sm" c="orange" data-testid="open-gates">
            The incident's checklist items {(view.openGates ?? []).join(', ')} must be done before this can be published.
          </Text>
        )}
        {status === 'approved' && view.missingForPublish.length > 0 && (
          <Text size="sm" c="orange">
            Publishing will be refused until these are filled in: {view.missingForPublish.map((m) => m.field).join(', ')}.
          </Text>
        )}
        {(status === 'published' || status === 'updated') && (
          <Text size="sm" c="dimmed">
            Readers see revision {Math.max(0, ...view.revisions.map((r) => r.number))}. Edits go to a working copy that needs review again before it becomes the next revision.
          </Text>
        )}
        {failure && !open && (
          <Alert color="red" variant="light" role="alert" title={`${STEP_LABEL[failure.step]} was refused`} withCloseButton closeButtonLabel="Dismiss" onClose={() => setFailure(null)} data-testid="lifecycle-failure">
            {errorText(failure.error)}
          </Alert>
        )}
      </Stack>

      <ActionDialog
        opened={dialogStep !== null}
        onClose={() => setOpen(null)}
        title={dialogStep ? `${STEP_LABEL[dialogStep]}: ${view.id}` : ''}
        submitLabel={dialogStep ? STEP_LABEL[dialogStep] : ''}
        submitColor={dialogStep === 'publish' ? 'green' : undefined}
        canSubmit={dialogStep === 'request-changes' ? note.trim() !== '' : dialogStep === 'schedule' ? schedulePreview !== null : true}
        description={
          dialogStep === 'publish'
            ? 'The advisory becomes public at once: on the public advisory pages, in the feed and as OSV.'
            : dialogStep === 'schedule'
              ? 'The advisory stays invisible until the embargo ends, then appears on its own.'
              : dialogStep === 'submit'
                ? 'A second person reviews and approves it before it can be released.'
                : undefined
        }
        onSubmit={() => (dialogStep ? run(dialogStep) : Promise.resolve(false))}
      >
        {dialogStep === 'schedule' && (
          <>
            <TextInput type="datetime-local" label="Release at (your time zone)" required value={releaseAt} onChange={(e) => setReleaseAt(e.currentTarget.value)} />
            {schedulePreview && (
              <Text size="sm" data-testid="schedule-preview">
                Releases {formatLocal(schedulePreview)} · {schedulePreview}
              </Text>
            )}
          </>
        )}
        <Textarea
          label={dialogStep === 'request-changes' ? 'What needs to change?' : dialogStep === 'schedule' || dialogStep === 'publish' ? 'What changed (revision note, optional)' : 'Note (optional)'}
          required={dialogStep === 'request-changes'}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {failure && open && (
          <Alert color="red" variant="light" role="alert" title={`${STEP_LABEL[failure.step]} was refused`} data-testid="lifecycle-failure">
            {errorText(failure.error)}
          </Alert>
        )}
      </ActionDialog>
    </Card>
  );
}
