/**
 * Two published revisions side by side, field by field (`field-diff.ts`): pick any two,
 * see each changed field with its old and new value, optionally the unchanged ones too.
 */
import { Badge, Card, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useAdvisoryRevisions } from '../../api/queries.js';
import type { AdvisoryRevisionEntry } from '../../api/types.js';
import { EmptyBlock, ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { diffDocuments } from './field-diff.js';

function Value({ text, tone }: { text: string | undefined; tone: 'old' | 'new' | 'same' }) {
  if (text === undefined) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        (absent)
      </Text>
    );
  }
  const color = tone === 'old' ? 'red' : tone === 'new' ? 'green' : undefined;
  return (
    <Text size="sm" c={color} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {text}
    </Text>
  );
}

function revisionLabel(entry: AdvisoryRevisionEntry): string {
  return `Revision ${entry.number} · ${entry.publishedAt.slice(0, 10)}${entry.embargoed ? ' (embargoed)' : ''}`;
}

export function RevisionDiff({ id, revisionCount }: { id: string; revisionCount: number }) {
  const revisions = useAdvisoryRevisions(id, revisionCount > 0);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [showSame, setShowSame] = useState(false);
  const docs = useMemo(() => [...(revisions.data ?? [])].sort((a, b) => a.number - b.number), [revisions.data]);
  const pick = (value: string | null, fallback: number) => docs.find((d) => String(d.number) === value) ?? docs.at(fallback);
  const left = pick(from, -2);
  const right = pick(to, -1);
  const rows = useMemo(() => (left && right ? diffDocuments(left.document, right.document) : []), [left, right]);

  if (revisionCount < 2) {
    return <EmptyBlock title="Nothing to compare yet" description="Once the advisory has been published twice, pick two revisions here to see what changed field by field." />;
  }
  if (revisions.isPending) return <LoadingBlock lines={6} label="Loading the revisions" />;
  if (revisions.isError) return <ErrorBlock title="Could not load the revisions" error={revisions.error} onRetry={() => void revisions.refetch()} />;

  const options = docs.map((d) => ({ value: String(d.number), label: revisionLabel(d) }));
  const changed = rows.filter((r) => r.before !== r.after);
  const shown = showSame ? rows : changed;

  return (
    <Stack gap="sm" data-testid="revision-diff">
      <Group align="flex-end">
        <Select label="From" data={options} value={left ? String(left.number) : null} onChange={setFrom} allowDeselect={false} w={240} />
        <Select label="To" data={options} value={right ? String(right.number) : null} onChange={setTo} allowDeselect={false} w={240} />
        <Switch label="Show unchanged fields" checked={showSame} onChange={(e) => setShowSame(e.currentTarget.checked)} mb={6} />
        <Badge variant="light" mb={6}>
          {changed.length} field{changed.length === 1 ? '' : 's'} changed
        </Badge>
      </Group>
      <Card withBorder p={0}>
        <Table striped verticalSpacing="xs" layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="28%">Field</Table.Th>
              <Table.Th>{left ? revisionLabel(left) : 'From'}</Table.Th>
              <Table.Th>{right ? revisionLabel(right) : 'To'}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={3}>
                  <Text size="sm" c="dimmed">
                    The two revisions are identical.
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              shown.map((row) => {
                const same = row.before === row.after;
                return (
                  <Table.Tr key={row.path} data-testid="diff-row" data-changed={!same}>
                    <Table.Td>
                      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {row.path}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Value text={row.before} tone={same ? 'same' : 'old'} />
                    </Table.Td>
                    <Table.Td>
                      <Value text={row.after} tone={same ? 'same' : 'new'} />
                    </Table.Td>
                  </Table.Tr>
                );
              })
            )}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
