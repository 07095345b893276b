/**
 * The advisory editor (`/incidents/:incidentId/advisories/:id`): header, the review and
 * release steps, what publishing still needs, then tabs for the content form (with the
 * CVSS builders), the export preview and the revision diff. Loaded on demand, so the
 * incident room's first screen does not carry it.
 */
import { Alert, Badge, Group, List, Stack, Tabs, Text, Title } from '@mantine/core';
import { useAdvisory, useSession } from '../../api/queries.js';
import { ErrorBlock, LoadingBlock } from '../../components/query-state.js';
import { RouterLink } from '../../components/router-link.js';
import { Timestamp } from '../../components/timestamp.js';
import { incidentPath } from '../../hooks/use-route.js';
import { AdvisoryForm } from './advisory-form.js';
import { SEVERITY_COLORS } from './cvss-metrics.js';
import { ExportPreview } from './export-preview.js';
import { LifecycleBar } from './lifecycle-bar.js';
import { RevisionDiff } from './revision-diff.js';

export default function AdvisoryScene({ id, incidentId }: { id: string; incidentId: string }) {
  const advisory = useAdvisory(id);
  const role = useSession().data?.user?.role;
  const canWrite = role === 'admin' || role === 'responder';
  if (advisory.isPending) return <LoadingBlock lines={8} label="Loading the advisory" />;
  if (advisory.isError) return <ErrorBlock title={`Could not open advisory ${id}`} error={advisory.error} onRetry={() => void advisory.refetch()} />;
  const view = advisory.data;
  const severity = view.severity;
  const published = view.revisions.some((r) => !r.embargoed || new Date(r.publishedAt).getTime() <= Date.now());

  return (
    <Stack gap="lg" data-testid="advisory-page" data-version={view.version}>
      <Stack gap={4}>
        <RouterLink to={incidentPath(view.incidentId ?? incidentId)} size="sm">
          ← Incident {view.incidentId ?? incidentId}
        </RouterLink>
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {view.id}: {view.content.title}
          </Title>
          {severity && (
            <Badge color={SEVERITY_COLORS[severity] ?? 'gray'} data-testid="advisory-severity">
              {severity}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          Drafted by @{view.author} · version {view.version}
          {view.revisions.length > 0 && ` · ${view.revisions.length} revision${view.revisions.length === 1 ? '' : 's'}`}
          {published && (
            <>
              {' · '}
              <a href={`/advisories/${encodeURIComponent(view.id)}`} target="_blank" rel="noopener noreferrer">
                Public page
              </a>
            </>
          )}
        </Text>
      </Stack>

      <LifecycleBar view={view} canWrite={canWrite} />

      {view.missingForPublish.length > 0 ? (
        <Alert color="orange" variant="light" title="Publishing needs" data-testid="missing-for-publish">
          <List size="sm">
            {view.missingForPublish.map((m) => (
              <List.Item key={m.field}>
                <strong>{m.field}</strong>: {m.problem}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : (
        <Alert color="green" variant="light" data-testid="ready-to-publish">
          Every field publishing requires is filled in.
        </Alert>
      )}

      <Tabs defaultValue="content" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="content">Content</Tabs.Tab>
          <Tabs.Tab value="exports">Export preview</Tabs.Tab>
          <Tabs.Tab value="revisions">Revisions ({view.revisions.length})</Tabs.Tab>
          <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="content">
          <AdvisoryForm view={view} canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="exports">
          <ExportPreview id={view.id} version={view.version} published={published} />
        </Tabs.Panel>
        <Tabs.Panel value="revisions">
          <Stack gap="md">
            <List size="sm">
              {view.revisions.map((r) => (
                <List.Item key={r.number}>
                  Revision {r.number}: {r.summary} · <Timestamp iso={r.publishedAt} showAbsolute />
                  {r.embargoed && ' (embargoed)'}
                </List.Item>
              ))}
            </List>
            <RevisionDiff id={view.id} revisionCount={view.revisions.length} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="timeline">
          <List size="sm">
            {view.timeline.map((t) => (
              <List.Item key={`${t.label}-${t.at}`}>
                {t.label}: <Timestamp iso={t.at} showAbsolute />
              </List.Item>
            ))}
          </List>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
