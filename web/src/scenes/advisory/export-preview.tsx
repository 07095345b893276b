/**
 * Every export of the advisory as the server renders it: Markdown shown formatted (the
 * app's sanitising Markdown view), OSV, CSAF, CSAF VEX and the GitHub-advisory JSON
 * pretty-printed, each with copy and download buttons. Nothing is rendered here; what
 * the preview shows is byte for byte what the export endpoint returns.
 */
import { Button, Code, CopyButton, Group, ScrollArea, SegmentedControl, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { useAdvisoryExport } from '../../api/queries.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../api/types.js';
import { MarkdownView } from '../../components/markdown-view.js';
import { ErrorBlock, LoadingBlock } from '../../components/query-state.js';

const FORMAT_LABEL: Record<ExportFormat, string> = { md: 'Markdown', osv: 'OSV', csaf: 'CSAF', 'csaf-vex': 'CSAF VEX', ghsa: 'GitHub advisory' };
const FILE_SUFFIX: Record<ExportFormat, string> = { md: '.md', osv: '.osv.json', csaf: '.csaf.json', 'csaf-vex': '.vex.json', ghsa: '.ghsa.json' };

function pretty(format: ExportFormat, text: string): string {
  if (format === 'md') return text;
  try {
    return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  } catch {
    return text;
  }
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function ExportPanel({ id, format, version, which }: { id: string; format: ExportFormat; version: number; which: 'published' | 'working' }) {
  const exported = useAdvisoryExport(id, format, version, which);
  const [markdownAs, setMarkdownAs] = useState<'rendered' | 'source'>('rendered');
  if (exported.isPending) return <LoadingBlock lines={6} label={`Loading the ${FORMAT_LABEL[format]} export`} />;
  if (exported.isError) return <ErrorBlock title={`Could not export as ${FORMAT_LABEL[format]}`} error={exported.error} onRetry={() => void exported.refetch()} />;
  const text = pretty(format, exported.data);
  return (
    <Stack gap="sm" data-testid={`export-${format}`}>
      <Group justify="space-between">
        {format === 'md' ? (
          <SegmentedControl
            size="xs"
            value={markdownAs}
            onChange={(v) => setMarkdownAs(v as 'rendered' | 'source')}
            data={[
              { value: 'rendered', label: 'Rendered' },
              { value: 'source', label: 'Source' },
            ]}
          />
        ) : (
          <Text size="xs" c="dimmed">
            {text.length.toLocaleString()} characters
          </Text>
        )}
        <Group gap="xs">
          <CopyButton value={text}>
            {({ copied, copy }) => (
              <Button size="xs" variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="default" onClick={() => download(`${id}${FILE_SUFFIX[format]}`, text, format === 'md' ? 'text/markdown' : 'application/json')}>
            Download
          </Button>
        </Group>
      </Group>
      {format === 'md' && markdownAs === 'rendered' ? (
        <MarkdownView text={text} />
      ) : (
        <ScrollArea.Autosize mah={640} type="auto">
          <Code block data-testid="export-text">
            {text}
          </Code>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}

export function ExportPreview({ id, version, published }: { id: string; version: number; published: boolean }) {
  const [format, setFormat] = useState<ExportFormat>('md');
  const [which, setWhich] = useState<'published' | 'working'>(published ? 'published' : 'working');
  const shown = published ? which : 'working';
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {shown === 'published' ? 'The latest published revision, as readers and scanners get it.' : 'A preview of the working copy, as it would read if published now.'}
        </Text>
        {published && (
          <SegmentedControl
            size="xs"
            value={shown}
            onChange={(v) => setWhich(v as 'published' | 'working')}
            data={[
              { value: 'published', label: 'Published revision' },
              { value: 'working', label: 'Working copy' },
            ]}
          />
        )}
      </Group>
      <Tabs value={format} onChange={(v) => setFormat((v ?? 'md') as ExportFormat)} keepMounted={false}>
        <Tabs.List mb="md" aria-label="Export format">
          {EXPORT_FORMATS.map((f) => (
            <Tabs.Tab key={f} value={f}>
              {FORMAT_LABEL[f]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {EXPORT_FORMATS.map((f) => (
          <Tabs.Panel key={f} value={f}>
            <ExportPanel id={id} format={f} version={version} which={shown} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
