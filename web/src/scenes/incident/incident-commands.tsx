/**
 * How the incident page changes an incident. Every action goes through `run`, which
 * sends the command with `If-Match: "<version the user saw>"`, puts the returned view in
 * the cache and refreshes the timeline. When someone else changed the incident first
 * (409 stale version), the banner lists what changed since and offers to retry the same
 * action against the new version; other refusals show the server's reason.
 */
import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiError, request } from '../../api/client.js';
import { queryKeys } from '../../api/queries.js';
import type { IncidentView, TimelineEntry, TimelinePage } from '../../api/types.js';
import { errorText } from '../../components/query-state.js';

export interface CommandRequest {
  /** Path under `/incidents/{id}`, e.g. `/notes` or `/roles/ic/assign`. */
  readonly path: string;
  readonly body?: unknown;
  readonly method?: 'POST' | 'DELETE';
  /** What the user asked for, in words ("Post the sitrep"). */
  readonly label: string;
}

interface Failure {
  readonly request: CommandRequest;
  readonly error: unknown;
  /** For a stale version: the entries recorded since the version the user saw. */
  readonly changes: readonly TimelineEntry[] | null;
}

interface Commands {
  /** Resolves to true when the command was accepted. */
  run(request: CommandRequest): Promise<boolean>;
  readonly pending: string | null;
}

const CommandsContext = createContext<Commands | null>(null);

export function useCommands(): Commands {
  const commands = useContext(CommandsContext);
  if (!commands) throw new Error('useCommands outside <IncidentCommands>');
  return commands;
}

export function IncidentCommands({ view, children }: { view: IncidentView; children: ReactNode }) {
  const queryClient = useQueryClient();
  const id = view.incident.id;
  const [pending, setPending] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const run = useCallback(
    async (command: CommandRequest): Promise<boolean> => {
      const seen = queryClient.getQueryData<IncidentView>(queryKeys.incident(id))?.incident.version ?? view.incident.version;
      setPending(command.label);
      setFailure(null);
      try {
        const updated = await request<IncidentView | undefined>(`/incidents/${encodeURIComponent(id)}${command.path}`, {
          method: command.method ?? 'POST',
          body: command.method === 'DELETE' ? undefined : (command.body ?? {}),
          ifMatch: seen,
        });
        if (updated?.incident) queryClient.setQueryData(queryKeys.incident(id), updated);
        else await queryClient.invalidateQueries({ queryKey: queryKeys.incident(id), exact: true });
        void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(id) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.incidents() });
        return true;
      } catch (error) {
        let changes: TimelineEntry[] | null = null;
        if (error instanceof ApiError && error.isStale) {
          void queryClient.invalidateQueries({ queryKey: queryKeys.incident(id) });
          void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(id) });
          const since = await request<TimelinePage>(`/incidents/${encodeURIComponent(id)}/timeline?after=${seen}&limit=100`).catch(() => null);
          changes = (since?.items ?? []).filter((entry) => entry.seq > seen);
        }
        setFailure({ request: command, error, changes });
        return false;
      } finally {
        setPending(null);
      }
    },
    [id, queryClient, view.incident.version],
  );

  const value = useMemo(() => ({ run, pending }), [run, pending]);

  return (
    <CommandsContext.Provider value={value}>
      {failure && <FailureBanner failure={failure} onRetry={() => void run(failure.request)} onDismiss={() => setFailure(null)} />}
      {children}
    </CommandsContext.Provider>
  );
}

function FailureBanner({ failure, onRetry, onDismiss }: { failure: Failure; onRetry: () => void; onDismiss: () => void }) {
  const stale = failure.changes !== null;
  return (
    <Alert
      color={stale ? 'orange' : 'red'}
      variant="light"
      role="alert"
      mb="md"
      title={stale ? `Someone changed this incident before "${failure.request.label}" went through` : `Could not ${failure.request.label.toLowerCase()}`}
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={onDismiss}
      data-testid="command-failure"
    >
      {stale ? (
        <>
          <Text size="sm">The page now shows the latest state. What changed:</Text>
          {failure.changes && failure.changes.length > 0 ? (
            <List size="sm" mt={4}>
              {failure.changes.map((entry) => (
                <List.Item key={entry.seq}>
                  {entry.summary} <Text span c="dimmed" size="xs">(@{entry.actor})</Text>
                </List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm" c="dimmed">
              (see the timeline)
            </Text>
          )}
          <Text size="sm" mt="xs">
            Check that your action still makes sense, then retry.
          </Text>
        </>
      ) : (
        <Text size="sm">{errorText(failure.error)}</Text>
      )}
      <Group gap="xs" mt="sm">
        <Button size="xs" color={stale ? 'orange' : 'red'} onClick={onRetry}>
          Retry: {failure.request.label}
        </Button>
        <Button size="xs" variant="default" onClick={onDismiss}>
          Dismiss
        </Button>
      </Group>
    </Alert>
  );
}
