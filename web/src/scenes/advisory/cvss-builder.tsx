/**
 * The CVSS vector builder: one picker per base metric (3.1 or 4.0), the vector string
 * they make, and the score and severity the server computes as the vector changes.
 * Pasting a vector into the text field sets the pickers; a vector the server rejects
 * shows its message, which names the metric at fault.
 */
import { Badge, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useCvssScore } from '../../api/queries.js';
import type { CvssVersion } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { buildVector, CVSS_BASE_METRICS, parseVector, SEVERITY_COLORS } from './cvss-metrics.js';

export function CvssScoreLine({ vector, version }: { vector: string; version: CvssVersion }) {
  const [debounced] = useDebouncedValue(vector.trim(), 250);
  const score = useCvssScore(debounced);
  if (!debounced) {
    return (
      <Text size="sm" c="dimmed" data-testid={`cvss-score-${version}`}>
        No CVSS {version} vector.
      </Text>
    );
  }
  if (score.isError) {
    return (
      <Text size="sm" c="red" role="alert" data-testid={`cvss-error-${version}`}>
        {errorText(score.error)}
      </Text>
    );
  }
  if (!score.data) return <Text size="sm" c="dimmed">Scoring…</Text>;
  return (
    <Group gap="xs" data-testid={`cvss-score-${version}`} aria-live="polite" opacity={score.isPlaceholderData || debounced !== vector.trim() ? 0.6 : 1}>
      <Text fw={700} fz="xl" data-testid={`cvss-base-score-${version}`}>
        {score.data.baseScore.toFixed(1)}
      </Text>
      <Badge color={SEVERITY_COLORS[score.data.severity] ?? 'gray'} variant="light" data-testid={`cvss-severity-${version}`}>
        {score.data.severity}
      </Badge>
      <Text size="xs" c="dimmed">
        CVSS {score.data.version} base score, computed by the server
      </Text>
    </Group>
  );
}

export function CvssBuilder({ version, value, onChange }: { version: CvssVersion; value: string | undefined; onChange: (vector: string | undefined) => void }) {
  const [text, setText] = useState(value ?? '');
  // A saved or reset form replaces what is shown.
  useEffect(() => setText((shown) => (shown.trim() === (value ?? '') ? shown : (value ?? ''))), [value]);
  const parsed = parseVector(version, text);

  const setText_ = (next: string) => {
    setText(next);
    onChange(next.trim() === '' ? undefined : next.trim());
  };
  const pick = (key: string, picked: string) => {
    const metrics = new Map(parsed.metrics);
    metrics.set(key, picked);
    setText_(buildVector(version, metrics));
  };

  return (
    <Card withBorder component="section" aria-label={`CVSS ${version} builder`} data-testid={`cvss-builder-${version}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h6">
            CVSS {version}
          </Title>
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setText_('')} disabled={text === ''}>
            Clear
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
          {CVSS_BASE_METRICS[version].map((metric) => (
            <fieldset key={metric.key} data-testid={`cvss-metric-${metric.key}`} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
              <Text component="legend" size="xs" fw={600} mb={2} p={0}>
                {metric.name} ({metric.key})
              </Text>
              <SegmentedControl
                size="xs"
                fullWidth
                value={parsed.metrics.get(metric.key) ?? ''}
                onChange={(v) => pick(metric.key, v)}
                data={metric.values.map((v) => ({ value: v.value, label: v.label }))}
              />
            </fieldset>
          ))}
        </SimpleGrid>
        <TextInput
          label={`CVSS ${version} vector`}
          description="Pick the metrics above, or paste a whole vector here."
          placeholder={version === '3.1' ? 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' : 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'}
          value={text}
          onChange={(event) => setText_(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          spellCheck={false}
        />
        <CvssScoreLine vector={text} version={version} />
      </Stack>
    </Card>
  );
}
