/**
 * A point in time as a person under stress reads it: relative ("4 min ago") with the
 * exact local time (viewer's time zone) beside or on hover, and a machine-readable
 * `<time>` element.
 */
import { Text, type TextProps, Tooltip } from '@mantine/core';
import { format, formatDistanceStrict } from 'date-fns';
import { useNow } from '../hooks/use-now.js';

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatLocal(iso: string): string {
  return `${format(new Date(iso), 'EEE d MMM yyyy, HH:mm:ss')} (${zone})`;
}

export function formatShort(iso: string): string {
  return format(new Date(iso), 'd MMM HH:mm');
}

export function relativeTo(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Math.abs(now - then) < 45_000) return 'just now';
  const distance = formatDistanceStrict(then, now);
  return then < now ? `${distance} ago` : `in ${distance}`;
}

export function Timestamp({ iso, showAbsolute = false, ...props }: { iso: string; showAbsolute?: boolean } & TextProps) {
  const now = useNow();
  const relative = relativeTo(iso, now);
  return (
    <Tooltip label={formatLocal(iso)} openDelay={300}>
      <Text component="time" dateTime={iso} span size="sm" {...props}>
        {showAbsolute ? `${formatShort(iso)} · ${relative}` : relative}
      </Text>
    </Tooltip>
  );
}
