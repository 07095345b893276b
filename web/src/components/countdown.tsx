/**
 * A deadline as a live countdown: time left while pending, time past due in red when
 * overdue, and "met" (or "met late") once done. Ticks every second from one shared timer.
 */
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { Clock } from '../api/types.js';
import { useNow } from '../hooks/use-now.js';
import { formatLocal } from './timestamp.js';

export function formatSpan(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds)}s`;
}

export type LiveClockState = 'pending' | 'soon' | 'overdue' | 'met' | 'met-late';

/** The state now, which may be ahead of the server's (a pending clock passing its due time). */
export function liveState(clock: Pick<Clock, 'state' | 'dueAt' | 'late'>, now: number): LiveClockState {
  if (clock.state === 'met') return clock.late ? 'met-late' : 'met';
  const left = new Date(clock.dueAt).getTime() - now;
  if (clock.state === 'overdue' || left < 0) return 'overdue';
  return left < 10 * 60_000 ? 'soon' : 'pending';
}

const COLOR: Record<LiveClockState, string> = { pending: 'blue', soon: 'orange', overdue: 'red', met: 'green', 'met-late': 'yellow' };

export function Countdown({ clock, size = 'md' }: { clock: Pick<Clock, 'state' | 'dueAt' | 'late' | 'metAt'>; size?: 'sm' | 'md' | 'lg' }) {
  const now = useNow();
  const state = liveState(clock, now);
  const left = new Date(clock.dueAt).getTime() - now;
  const text =
    state === 'met' ? 'Met' : state === 'met-late' ? 'Met late' : state === 'overdue' ? `Overdue ${formatSpan(-left)}` : `${formatSpan(left)} left`;
  const label = clock.metAt ? `Due ${formatLocal(clock.dueAt)}; met ${formatLocal(clock.metAt)}` : `Due ${formatLocal(clock.dueAt)}`;
  return (
    <Tooltip label={label} openDelay={300}>
      <Badge
        color={COLOR[state]}
        variant={state === 'overdue' ? 'filled' : 'light'}
        size={size}
        radius="sm"
        className="fb-countdown"
        style={{ flexShrink: 0 }}
        data-state={state}
        styles={{ label: { fontVariantNumeric: 'tabular-nums', textTransform: 'none' } }}
      >
        <time dateTime={clock.dueAt}>{text}</time>
      </Badge>
    </Tooltip>
  );
}

export function ClockLine({ clock }: { clock: Clock }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <Text size="sm" lineClamp={2}>
        {clock.label}
      </Text>
      <Countdown clock={clock} size="sm" />
    </Group>
  );
}
