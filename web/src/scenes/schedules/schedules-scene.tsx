/**
 * On-call schedules: who is on call now in each, the next week's shifts in the reader's
 * time zone with gaps marked, overrides added and taken away, and a rotation (daily,
 * weekly or any number of days or hours) made or changed from the people the team already
 * knows — picked from the directory, never typed free. Every refusal the server gives
 * (an unknown person, an overlapping override) is shown as it was worded.
 */
import { Alert, Badge, Button, Card, Group, MultiSelect, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { request } from '../../api/client.js';
import { useSession, useUsers } from '../../api/queries.js';
import { ActionDialog } from '../../components/action-dialog.js';
import { EmptyBlock, ErrorBlock, errorText, LoadingBlock } from '../../components/query-state.js';
import { format } from 'date-fns';

interface Shift {
  readonly user: string;
  readonly start: string;
  readonly end: string;
  readonly source: string;
}
interface Override {
  readonly id: string;
  readonly user: string;
  readonly start: string;
  readonly end: string;
}
interface ScheduleSummary {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  readonly onCallNow: string | null;
  readonly overrides: readonly Override[];
  readonly layers: readonly Layer[];
}
interface Layer {
  readonly name: string;
  readonly users: readonly string[];
  readonly shift: { readonly days: number } | { readonly hours: number };
  readonly start: string;
  readonly handover: string;
  readonly timeZone: string;
  readonly window?: { readonly from: string; readonly to: string };
}
interface ScheduleDetail extends ScheduleSummary {
  readonly shifts: readonly Shift[];
  readonly gaps: readonly { readonly start: string; readonly end: string }[];
}

const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Shift edges as a person scans them: weekday, date and wall time in the reader's zone. */
const when = (iso: string) => format(new Date(iso), 'EEE d MMM, HH:mm');
const schedulesKey = ['schedules'] as const;

function useSchedules() {
  return useQuery({ queryKey: schedulesKey, queryFn: () => request<{ schedules: ScheduleSummary[] }>('/schedules').then((r) => r.schedules) });
}

function useScheduleDetail(id: string) {
  return useQuery({ queryKey: [...schedulesKey, id], queryFn: () => request<ScheduleDetail>(`/schedules/${encodeURIComponent(id)}?days=7`) });
}

/** `datetime-local` input text (the reader's wall clock) as an ISO instant. */
function localInputToIso(value: string): string | null {
  const ms = Date.parse(value);
  return value && !Number.isNaN(ms) ? new Date(ms).toISOString() : null;
}

function usePeople(schedules: readonly ScheduleSummary[] | undefined): string[] {
  const me = useSession().data?.user;
  const users = useUsers(me?.role === 'admin');
  const people = new Set<string>();
  for (const user of users.data ?? []) people.add(user.handle);
  for (const s of schedules ?? []) for (const layer of s.layers) for (const u of layer.users) people.add(u);
  if (me) people.add(me.handle);
  return [...people].sort();
}

function ScheduleCard({ summary, people, canEdit }: { summary: ScheduleSummary; people: readonly string[]; canEdit: boolean }) {
  const detail = useScheduleDetail(summary.id);
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [user, setUser] = useState<string | null>(null);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: schedulesKey });

  async function addOverride(): Promise<boolean> {
    setError(null);
    try {
      await request(`/schedules/${encodeURIComponent(summary.id)}/overrides`, { method: 'POST', body: { user, start: localInputToIso(start), end: localInputToIso(end) } });
      await refresh();
      return true;
    } catch (failure) {
      setError(errorText(failure));
      return false;
    }
  }

  async function removeOverride(id: string) {
    await request(`/schedules/${encodeURIComponent(summary.id)}/overrides/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await refresh();
  }

  return (
    <Card component="section" aria-labelledby={`schedule-${summary.id}`}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <div>
          <Title order={2} size="h4" id={`schedule-${summary.id}`}>
            {summary.name}
          </Title>
          <Text size="xs" c="dimmed" ff="monospace">
            {summary.id}
          </Text>
        </div>
        {summary.onCallNow ? (
          <Badge size="lg" color="green" variant="light">
            On call now: {summary.onCallNow}
          </Badge>
        ) : (
          <Badge size="lg" color="red">
            Nobody is on call now
          </Badge>
        )}
      </Group>
      <Text size="sm" fw={600} mt="md">
        Next 7 days <Text span c="dimmed" size="xs">(times in {ZONE})</Text>
      </Text>
      {detail.isPending ? (
        <LoadingBlock lines={3} />
      ) : detail.isError ? (
        <ErrorBlock error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <Stack gap={4} mt={4} component="ul" className="fb-plain-list" aria-label={`Shifts of ${summary.name}`}>
          {[...detail.data.shifts.map((s) => ({ ...s, gap: false })), ...detail.data.gaps.map((g) => ({ ...g, user: '', source: '', gap: true }))]
            .sort((a, b) => a.start.localeCompare(b.start))
            .map((s) => (
              <Text component="li" key={`${s.start}-${s.user}`} size="sm" c={s.gap ? 'red' : undefined} fw={s.gap ? 650 : undefined}>
                {when(s.start)} → {when(s.end)}: {s.gap ? 'GAP — nobody is on call' : `${s.user}${s.source === 'override' ? ' (override)' : ''}`}
              </Text>
            ))}
        </Stack>
      )}
      {summary.overrides.length > 0 && (
        <Stack gap={4} mt="sm">
          <Text size="sm" fw={600}>
            Overrides
          </Text>
          {summary.overrides.map((o) => (
            <Group key={o.id} gap="xs" wrap="wrap">
              <Text size="sm">
                {o.user}: {when(o.start)} → {when(o.end)}
              </Text>
              {canEdit && (
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => void removeOverride(o.id)} aria-label={`Remove ${o.user}'s override`}>
                  Remove
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {canEdit && (
        <Group mt="md">
          <Button variant="light" onClick={() => setOpen(true)}>
            Add override
          </Button>
          <Button variant="subtle" onClick={() => setEditing(true)}>
            Edit rotation
          </Button>
        </Group>
      )}
      {editing && <RotationDialog opened onClose={() => setEditing(false)} people={people} existing={summary} />}
      <ActionDialog
        opened={open}
        onClose={() => setOpen(false)}
        title={`Override on ${summary.name}`}
        description="Put someone on call for an interval, on top of the rotation."
        submitLabel="Add override"
        canSubmit={user !== null && localInputToIso(start) !== null && localInputToIso(end) !== null}
        onSubmit={addOverride}
      >
        <Select label="Who takes it" data={[...people]} value={user} onChange={setUser} searchable required />
        <TextInput label={`From (${ZONE})`} type="datetime-local" value={start} onChange={(e) => setStart(e.currentTarget.value)} required />
        <TextInput label={`Until (${ZONE})`} type="datetime-local" value={end} onChange={(e) => setEnd(e.currentTarget.value)} required />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </ActionDialog>
    </Card>
  );
}

/**
 * Makes a schedule of one rotation, or changes the first rotation of an existing one (its
 * other layers and its overrides are kept). A new rotation hands over in the reader's zone;
 * an existing one keeps its own.
 */
function RotationDialog({ opened, onClose, people, existing }: { opened: boolean; onClose: () => void; people: readonly string[]; existing?: ScheduleSummary }) {
  const queryClient = useQueryClient();
  const layer = existing?.layers[0];
  const zone = layer?.timeZone ?? ZONE;
  const [id, setId] = useState(existing?.id ?? '');
  const [name, setName] = useState(existing?.name ?? '');
  const [users, setUsers] = useState<string[]>(layer ? [...new Set(layer.users)] : []);
  const [unit, setUnit] = useState<'days' | 'hours'>(layer && 'hours' in layer.shift ? 'hours' : 'days');
  const [length, setLength] = useState<number | string>(layer ? ('hours' in layer.shift ? layer.shift.hours : layer.shift.days) : 7);
  const [startDate, setStartDate] = useState(layer?.start ?? new Date().toISOString().slice(0, 10));
  const [handover, setHandover] = useState(layer?.handover ?? '09:00');
  const [error, setError] = useState<string | null>(null);

  async function save(): Promise<boolean> {
    setError(null);
    const rotation = { ...layer, name: layer?.name ?? 'rotation', users, shift: unit === 'hours' ? { hours: Number(length) } : { days: Number(length) }, start: startDate, handover, timeZone: zone };
    try {
      if (existing) {
        await request(`/schedules/${encodeURIComponent(existing.id)}`, { method: 'PUT', body: { name, timeZone: existing.timeZone, layers: [rotation, ...existing.layers.slice(1)] } });
      } else {
        await request('/schedules', { method: 'POST', body: { id, name, timeZone: ZONE, layers: [rotation] } });
      }
      await queryClient.invalidateQueries({ queryKey: schedulesKey });
      return true;
    } catch (failure) {
      setError(errorText(failure));
      return false;
    }
  }

  return (
    <ActionDialog
      opened={opened}
      onClose={onClose}
      title={existing ? `Rotation of ${existing.name}` : 'New on-call schedule'}
      {...(existing && existing.layers.length > 1 ? { description: `Changes the first rotation (${layer?.name}); the other layers and the overrides stay as they are.` } : {})}
      submitLabel={existing ? 'Save rotation' : 'Create schedule'}
      canSubmit={id !== '' && name !== '' && users.length > 0 && Number(length) >= 1}
      onSubmit={save}
    >
      {!existing && <TextInput label="Id" description="lower-case letters, digits and -, e.g. primary-oncall" value={id} onChange={(e) => setId(e.currentTarget.value)} required />}
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <MultiSelect label="People, in rotation order" description="Chosen from the people with an account here" data={[...new Set([...people, ...users])]} value={users} onChange={setUsers} searchable required />
      <Group grow align="flex-start">
        <NumberInput label="Shift length" min={1} max={unit === 'hours' ? 744 : 366} value={length} onChange={setLength} />
        <Select label="Counted in" data={[{ value: 'days', label: 'days (7 = weekly)' }, { value: 'hours', label: 'hours' }]} value={unit} onChange={(v) => setUnit(v === 'hours' ? 'hours' : 'days')} allowDeselect={false} />
      </Group>
      <TextInput label="First hand-over date" type="date" value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} required />
      <TextInput label={`Hand-over time (${zone})`} type="time" value={handover} onChange={(e) => setHandover(e.currentTarget.value)} required />
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </ActionDialog>
  );
}

export default function SchedulesScene() {
  const schedules = useSchedules();
  const me = useSession().data?.user;
  const people = usePeople(schedules.data);
  const canEdit = me?.role === 'admin' || me?.role === 'responder';
  const [creating, setCreating] = useState(false);
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            On-call schedules
          </Title>
          <Text c="dimmed" size="sm">
            Who is paged when an escalation reaches a schedule. Subscribe to your own shifts with <Text span ff="monospace">firebreak schedule feed</Text>.
          </Text>
        </div>
        {canEdit && <Button onClick={() => setCreating(true)}>New schedule</Button>}
      </Group>
      {schedules.isPending ? (
        <LoadingBlock lines={6} />
      ) : schedules.isError ? (
        <ErrorBlock error={schedules.error} onRetry={() => void schedules.refetch()} />
      ) : schedules.data.length === 0 ? (
        <EmptyBlock title="No on-call schedules yet" description="Escalation can page a schedule's on-call person once one exists." />
      ) : (
        schedules.data.map((s) => <ScheduleCard key={s.id} summary={s} people={people} canEdit={canEdit} />)
      )}
      {creating && <RotationDialog opened onClose={() => setCreating(false)} people={people} />}
    </Stack>
  );
}
