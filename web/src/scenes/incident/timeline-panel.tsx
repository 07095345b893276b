/**
 * The incident's log, newest first: each entry with what happened, who, when it happened
 * and when it was written down. Filters by kind and by person. Notes and sitreps show
 * their Markdown (sanitised); a handoff shows its briefing.
 */
import { Badge, Blockquote, Card, Group, MultiSelect, Select, Stack, Text, Timeline, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTimeline } from '../../api/queries.js';
import type { IncidentEventType, TimelineEntry } from '../../api/types.js';
import { MarkdownView } from '../../components/markdown-view.js';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { formatLocal, formatShort } from '../../components/timestamp.js';

const KIND_LABEL: Record<IncidentEventType, string> = {
  reported: 'Reported',
  declared: 'Declared',
  dismissed: 'Dismissed',
  acknowledged: 'Acknowledged',
  severity_changed: 'Severity',
  role_assigned: 'Role assigned',
  handoff_initiated: 'Handoff started',
  handoff_confirmed: 'Handoff confirmed',
  handoff_cancelled: 'Handoff cancelled',
  phase_entered: 'Phase',
  checklist_item_completed: 'Checklist',
  note_added: 'Note',
  sitrep_posted: 'Sitrep',
  flag_set: 'Flag',
  regulatory_filed: 'Regulatory',
  regulatory_draft_edited: 'Report draft',
  regulatory_draft_reviewed: 'Report review',
  member_added: 'Member added',
  member_removed: 'Member removed',
  restriction_changed: 'Restriction',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
  clock_fired: 'Clock',
  message_submitted: 'Message',
  message_approved: 'Review',
  message_rejected: 'Review',
  message_sent: 'Message',
  advisory_drafted: 'Advisory',
  advisory_published: 'Advisory published',
  evidence_added: 'Evidence',
  evidence_accessed: 'Evidence accessed',
  evidence_transferred: 'Custody transfer',
  review_completed: 'Review completed',
};

const KIND_COLOR: Partial<Record<IncidentEventType, string>> = {
  declared: 'red',
  severity_changed: 'orange',
  sitrep_posted: 'indigo',
  note_added: 'gray',
  handoff_initiated: 'violet',
  handoff_confirmed: 'violet',
  resolved: 'green',
  closed: 'gray',
  clock_fired: 'orange',
  advisory_published: 'teal',
};

function kindLabel(type: string): string {
  return KIND_LABEL[type as IncidentEventType] ?? type;
}

function EntryBody({ entry }: { entry: TimelineEntry }) {
  switch (entry.type) {
    case 'note_added':
    case 'sitrep_posted':
      return <MarkdownView text={entry.data.text} />;
    case 'handoff_initiated':
      return (
        <Blockquote p="xs" color="violet" fz="sm">
          {entry.data.briefing}
        </Blockquote>
      );
    default:
      return null;
  }
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const lag = new Date(entry.recordedAt).getTime() - new Date(entry.occurredAt).getTime();
  return (
    <Stack gap={4} data-testid="timeline-entry" data-type={entry.type} data-seq={entry.seq}>
      <Group gap={6} wrap="wrap">
        <Badge size="xs" variant="light" color={KIND_COLOR[entry.type] ?? 'blue'}>
          {kindLabel(entry.type)}
        </Badge>
        <Text size="sm" fw={500}>
          {entry.summary}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        @{entry.actor} · occurred{' '}
        <time dateTime={entry.occurredAt} title={formatLocal(entry.occurredAt)}>
          {formatShort(entry.occurredAt)}
        </time>{' '}
        · recorded{' '}
        <time dateTime={entry.recordedAt} title={formatLocal(entry.recordedAt)}>
          {Math.abs(lag) < 60_000 ? 'at once' : formatShort(entry.recordedAt)}
        </time>{' '}
        · #{entry.seq}
      </Text>
      <EntryBody entry={entry} />
    </Stack>
  );
}

export function TimelinePanel({ id }: { id: string }) {
  const timeline = useTimeline(id);
  const [kinds, setKinds] = useState<string[]>([]);
  const [actor, setActor] = useState<string | null>(null);
  const entries = timeline.data ?? [];
  const kindOptions = useMemo(() => [...new Set(entries.map((e) => e.type))].map((type) => ({ value: type, label: kindLabel(type) })), [entries]);
  const actorOptions = useMemo(() => [...new Set(entries.map((e) => e.actor))].sort(), [entries]);
  const shown = useMemo(
    () => entries.filter((e) => (kinds.length === 0 || kinds.includes(e.type)) && (actor === null || e.actor === actor)).toReversed(),
    [entries, kinds, actor],
  );

  return (
    <Card component="section" aria-labelledby="timeline-heading">
      <Group justify="space-between" mb="md" wrap="wrap" align="flex-end">
        <Title order={2} size="h5" id="timeline-heading">
          Timeline
        </Title>
        <Group gap="xs" wrap="wrap">
          <MultiSelect size="xs" label="Kind" placeholder="All kinds" data={kindOptions} value={kinds} onChange={setKinds} clearable w={220} />
          <Select size="xs" label="Person" placeholder="Everyone" data={actorOptions} value={actor} onChange={setActor} clearable w={160} />
        </Group>
      </Group>
      {timeline.isPending ? (
        <LoadingBlock lines={4} />
      ) : timeline.isError ? (
        <ErrorBlock error={timeline.error} onRetry={() => void timeline.refetch()} />
      ) : shown.length === 0 ? (
        <EmptyBlock title={entries.length === 0 ? 'Nothing recorded yet' : 'No entry matches these filters'} />
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={-1}>
          {shown.map((entry) => (
            <Timeline.Item key={entry.seq}>
              <Entry entry={entry} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Card>
  );
}
