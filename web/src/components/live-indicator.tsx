/** Shows whether the page is receiving live updates from the server. */
import { Badge, Tooltip } from '@mantine/core';
import type { LiveStatus } from '../hooks/use-live-stream.js';

const LABEL: Record<LiveStatus, { text: string; color: string; help: string }> = {
  live: { text: 'Live', color: 'green', help: 'Changes appear here as they happen.' },
  connecting: { text: 'Connecting', color: 'yellow', help: 'Connecting to live updates…' },
  reconnecting: { text: 'Reconnecting', color: 'orange', help: 'Live updates dropped; reconnecting. What you see may be out of date.' },
};

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { text, color, help } = LABEL[status];
  return (
    <Tooltip label={help}>
      <Badge color={color} variant="dot" size="lg" data-testid="live-status" data-status={status} role="status">
        {text}
      </Badge>
    </Tooltip>
  );
}
