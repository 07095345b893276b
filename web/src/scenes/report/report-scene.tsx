/**
 * Report an event: anything suspicious goes in here first, as an event awaiting triage.
 * Plan, title, what was seen, when it was detected (viewer's local time), and who reports
 * it (or anonymously). Field errors from the server show under their field.
 */
import { Alert, Button, Card, Checkbox, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { format } from 'date-fns';
import { type FormEvent, useState } from 'react';
import { ApiError, request } from '../../api/client.js';
import { usePlans, useSession } from '../../api/queries.js';
import type { IncidentView } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';
import { incidentPath, navigate } from '../../hooks/use-route.js';

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** The general-purpose built-in plan, preselected when loaded. */
const DEFAULT_PLAN = 'nist-800-61r3';

function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.problem.fields ?? []).map((f) => [f.path.replace(/^body\./, ''), f.message]));
}

export default function ReportScene() {
  const plans = usePlans();
  const me = useSession().data?.user;
  const [plan, setPlan] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [detectedAt, setDetectedAt] = useState(() => format(new Date(), "yyyy-MM-dd'T'HH:mm"));
  const [reporter, setReporter] = useState(me?.name ?? '');
  const [anonymous, setAnonymous] = useState(false);
  const [restricted, setRestricted] = useState(false);
  const [drill, setDrill] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosenPlan = plan ?? (plans.data?.find((p) => p.id === DEFAULT_PLAN) ?? plans.data?.[0])?.id ?? null;
  const fields = fieldErrors(error);
  const detected = detectedAt ? new Date(detectedAt) : null;
  const detectedInFuture = detected !== null && detected.getTime() > Date.now() + 60_000;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosenPlan || !title.trim() || detectedInFuture) return;
    setBusy(true);
    setError(null);
    try {
      const created = await request<IncidentView>('/incidents', {
        method: 'POST',
        body: {
          plan: chosenPlan,
          title: title.trim(),
          ...(summary.trim() ? { summary: summary.trim() } : {}),
          ...(anonymous ? { anonymous: true } : { reporter: reporter.trim() || me?.handle }),
          ...(restricted ? { restricted: true } : {}),
          ...(drill ? { drill: true } : {}),
          ...(detected && !Number.isNaN(detected.getTime()) ? { occurredAt: detected.toISOString() } : {}),
        },
      });
      navigate(`${incidentPath(created.incident.id)}/triage`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Title order={1} size="h2">
          Report an event
        </Title>
        <Text c="dimmed" size="sm">
          Anything that might be a security incident. It waits for triage, where it is confirmed as an incident or closed as a false alarm.
        </Text>
      </div>
      <Card>
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {error !== null && (
              <Alert color="red" variant="light" role="alert" title="Could not report the event">
                {errorText(error)}
              </Alert>
            )}
            <Select
              label="Response plan"
              required
              data={(plans.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }))}
              value={chosenPlan}
              onChange={setPlan}
              disabled={plans.isPending}
              error={plans.isError ? errorText(plans.error) : fields['plan']}
              allowDeselect={false}
            />
            <TextInput label="Title" required placeholder="e.g. Unexpected admin login from a new country" value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fields['title']} maxLength={300} data-autofocus autoFocus />
            <Textarea
              label="What did you see?"
              description="Markdown. Facts first: what, where, since when, what you already did."
              autosize
              minRows={4}
              value={summary}
              onChange={(e) => setSummary(e.currentTarget.value)}
              error={fields['summary']}
            />
            <TextInput
              label="When was it detected?"
              description={`Your local time (${zone})`}
              type="datetime-local"
              value={detectedAt}
              onChange={(e) => setDetectedAt(e.currentTarget.value)}
              error={detectedInFuture ? 'Cannot be in the future' : fields['occurredAt']}
              w={280}
            />
            <Group align="flex-end" gap="md">
              <TextInput label="Reported by" value={anonymous ? '' : reporter} disabled={anonymous} onChange={(e) => setReporter(e.currentTarget.value)} error={fields['reporter']} w={280} />
              <Checkbox label="Report anonymously" checked={anonymous} onChange={(e) => setAnonymous(e.currentTarget.checked)} mb={8} />
            </Group>
            <Group gap="lg">
              <Checkbox label="Restricted (need-to-know)" checked={restricted} onChange={(e) => setRestricted(e.currentTarget.checked)} />
              <Checkbox label="This is a drill" checked={drill} onChange={(e) => setDrill(e.currentTarget.checked)} />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => navigate('/')}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={busy} disabled={!chosenPlan || !title.trim() || detectedInFuture}>
                Report event
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
