/**
 * Writing into the record: a note, or a situation report. The sitrep starts from the
 * plan's template rendered for this incident (`GET /sitreps/draft`), stays editable, and
 * the preview shows exactly the sanitised Markdown the timeline will show.
 */
import { Button, Card, Group, SegmentedControl, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { fetchSitrepDraft } from '../../api/queries.js';
import type { IncidentView } from '../../api/types.js';
import { Countdown } from '../../components/countdown.js';
import { MarkdownView } from '../../components/markdown-view.js';
import { errorText } from '../../components/query-state.js';
import { useCommands } from './incident-commands.js';

function Editor({
  label,
  value,
  onChange,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  testId: string;
}) {
  const [mode, setMode] = useState('write');
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        w={180}
        value={mode}
        onChange={setMode}
        aria-label={`${label}: write or preview`}
        data={[
          { value: 'write', label: 'Write' },
          { value: 'preview', label: 'Preview' },
        ]}
      />
      {mode === 'write' ? (
        <Textarea
          aria-label={label}
          placeholder={placeholder}
          autosize
          minRows={5}
          maxRows={18}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          data-testid={testId}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
        />
      ) : (
        <Card withBorder padding="sm" mih={120} data-testid={`${testId}-preview`}>
          {value.trim() ? <MarkdownView text={value} /> : <Text c="dimmed" size="sm">Nothing to preview.</Text>}
        </Card>
      )}
      <Text size="xs" c="dimmed">
        Markdown: **bold**, _italic_, lists, links. HTML is shown as text.
      </Text>
    </Stack>
  );
}

export function ComposePanel({ view }: { view: IncidentView }) {
  const { run, pending } = useCommands();
  const id = view.incident.id;
  const [tab, setTab] = useState<string | null>('note');
  const [note, setNote] = useState('');
  const [sitrep, setSitrep] = useState<string | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);
  const sitrepClock = view.clocks.find((c) => c.id === 'sitrep');
  const canSitrep = !['resolved', 'closed', 'dismissed'].includes(view.incident.status);

  const loadDraft = useCallback(() => {
    setDraftError(null);
    fetchSitrepDraft(id).then(
      (draft) => setSitrep(draft.text),
      (error: unknown) => {
        setDraftError(errorText(error));
        setSitrep((current) => current ?? '');
      },
    );
  }, [id]);

  useEffect(() => {
    // Loads the draft when the tab opens with no text: the first time, and after posting.
    if (tab === 'sitrep' && sitrep === null) loadDraft();
  }, [tab, sitrep, loadDraft]);

  return (
    <Card component="section" aria-label="Write to the record" padding="md">
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="note">Note</Tabs.Tab>
          <Tabs.Tab value="sitrep" disabled={!canSitrep}>
            Sitrep
          </Tabs.Tab>
          {sitrepClock && (
            <Group ml="auto" gap={6} align="center">
              <Text size="xs" c="dimmed">
                Next sitrep
              </Text>
              <Countdown clock={sitrepClock} size="sm" />
            </Group>
          )}
        </Tabs.List>
        <Tabs.Panel value="note">
          <Stack gap="sm">
            <Editor label="Note" value={note} onChange={setNote} placeholder="What did you find or do? Measurements, theories, steps." testId="note-input" />
            <Group justify="flex-end">
              <Button
                disabled={note.trim() === ''}
                loading={pending === 'Add the note'}
                onClick={async () => {
                  if (await run({ path: '/notes', body: { text: note }, label: 'Add the note' })) setNote('');
                }}
              >
                Add note
              </Button>
            </Group>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="sitrep">
          {sitrep === null ? (
            <Text size="sm" c="dimmed">
              Loading the plan's sitrep template…
            </Text>
          ) : (
            <Stack gap="sm">
              {draftError && (
                <Text size="sm" c="red">
                  Could not load the template: {draftError}
                </Text>
              )}
              <Editor label="Sitrep" value={sitrep} onChange={setSitrep} placeholder="Situation report" testId="sitrep-input" />
              <Group justify="space-between">
                <Button variant="subtle" color="gray" size="xs" onClick={loadDraft}>
                  Start again from the template
                </Button>
                <Button
                  disabled={sitrep.trim() === ''}
                  loading={pending === 'Post the sitrep'}
                  onClick={async () => {
                    if (await run({ path: '/sitreps', body: { text: sitrep }, label: 'Post the sitrep' })) setSitrep(null);
                  }}
                >
                  Post sitrep
                </Button>
              </Group>
            </Stack>
          )}
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
