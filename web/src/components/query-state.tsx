/**
 * Loading, error and empty states, so every panel says what is going on instead of
 * showing a blank box: a skeleton while loading, the server's message with a retry
 * button on error, and a short plain sentence when there is nothing yet.
 */
import { Alert, Button, EmptyState, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { AlertIcon, InboxIcon } from './icons.js';

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.fullMessage;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function LoadingBlock({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} height={18} radius="sm" width={i === lines - 1 ? '60%' : '100%'} />
      ))}
    </Stack>
  );
}

export function ErrorBlock({ error, onRetry, title = 'Could not load this' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <Alert color="red" variant="light" title={title} icon={<AlertIcon />} role="alert">
      {errorText(error)}
      {onRetry && (
        <Button size="xs" variant="white" color="red" mt="sm" onClick={onRetry} display="block">
          Try again
        </Button>
      )}
    </Alert>
  );
}

export function EmptyBlock({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState size="sm" icon={<InboxIcon size={28} />} withIndicatorBackground title={title} description={description} py="lg">
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
