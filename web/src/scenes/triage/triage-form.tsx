/**
 * Triage: confirm a reported event as an incident (with a severity from the plan's
 * rubric and, optionally, a category), or close it as a false alarm with a reason.
 * The plan's severity descriptions sit next to each choice so the decision is quick.
 */
import { Button, Card, Group, Radio, SegmentedControl, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { Plan } from '../../api/types.js';
import { useCommands } from '../incident/incident-commands.js';

export function TriageForm({ plan, onDone }: { plan: Plan; onDone?: (decision: 'confirm' | 'dismiss') => void }) {
  const { run, pending } = useCommands();
  const [decision, setDecision] = useState<'confirm' | 'dismiss'>('confirm');
  const [severity, setSeverity] = useState<string | null>(null);
  const [category, setCategory] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const canSubmit = decision === 'confirm' ? severity !== null : reason.trim() !== '';
  const label = decision === 'confirm' ? 'Confirm as an incident' : 'Close as a false alarm';

  const submit = async () => {
    const body = decision === 'confirm' ? { decision, severity, ...(category ? { category } : {}) } : { decision, reason: reason.trim() };
    if (await run({ path: '/triage', body, label })) onDone?.(decision);
  };

  return (
    <Card component="section" aria-labelledby="triage-heading" data-testid="triage-form">
      <Title order={2} size="h4" id="triage-heading" mb={4}>
        Triage
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Is this a potential incident or a false alarm?
      </Text>
      <Stack gap="md">
        <SegmentedControl
          aria-label="Decision"
          value={decision}
          onChange={(value) => setDecision(value as 'confirm' | 'dismiss')}
          data={[
            { value: 'confirm', label: 'Confirm as incident' },
            { value: 'dismiss', label: 'False alarm' },
          ]}
        />
        {decision === 'confirm' ? (
          <>
            <Radio.Group label="Severity" withAsterisk value={severity} onChange={setSeverity}>
              <Stack gap="xs" mt="xs">
                {plan.severities.map((s) => (
                  <Radio.Card key={s.id} value={s.id} p="sm" radius="md" aria-label={s.name}>
                    <Group wrap="nowrap" align="flex-start" gap="sm">
                      <Radio.Indicator />
                      <div>
                        <Text fw={600} size="sm">
                          {s.name}{' '}
                          <Text span c="dimmed" size="xs">
                            ack within {s.ackWithin} · respond within {s.respondWithin}
                            {s.sitrepEvery ? ` · sitrep every ${s.sitrepEvery}` : ''}
                          </Text>
                        </Text>
                        <Text size="xs" c="dimmed">
                          {s.description}
                        </Text>
                      </div>
                    </Group>
                  </Radio.Card>
                ))}
              </Stack>
            </Radio.Group>
            {plan.categories.length > 0 && (
              <Select
                label="Category (optional)"
                placeholder="Choose a category"
                clearable
                data={plan.categories.map((c) => ({ value: c.id, label: c.name }))}
                value={category}
                onChange={setCategory}
              />
            )}
          </>
        ) : (
          <Textarea
            label="Why is it a false alarm?"
            required
            autosize
            minRows={3}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            placeholder="e.g. planned maintenance on the staging cluster"
          />
        )}
        <Group justify="flex-end">
          <Button color={decision === 'confirm' ? 'red' : 'gray'} disabled={!canSubmit} loading={pending === label} onClick={() => void submit()}>
            {label}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
