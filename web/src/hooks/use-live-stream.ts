/**
 * Keeps what is on screen current: subscribes to a Server-Sent Events stream of the API
 * and, on each message, invalidates the queries that message touches, so TanStack Query
 * refetches them in place (no reload). The returned status lets the page show whether it
 * is live.
 *
 * After a dropped connection EventSource reconnects by itself, but after an answer that is
 * not a stream (a 503 while the server sheds load, a 502 from a proxy while it restarts)
 * it gives up for good. Then a new one is opened after a growing pause (1 s, 2 s, … at most
 * 30 s). Whenever a stream opens after an error, everything on screen is refetched:
 * messages sent while it was down are not replayed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { API_BASE } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import type { StreamMessage } from '../api/types.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** The pause before opening a stream again after the server refused one, doubled each time up to the most. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

function parse(data: string): StreamMessage | null {
  try {
    const value = JSON.parse(data) as StreamMessage;
    return typeof value?.incidentId === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** `path` is `/stream` (every visible incident) or `/incidents/{id}/stream`. */
export function useLiveStream(path: string): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let openedBefore = false;
    /** Set by any error: messages may have been missed until the next stream opens. */
    let missed = false;
    const refreshAll = () => void queryClient.invalidateQueries();
    const refresh = (event: MessageEvent<string>) => {
      const message = parse(event.data);
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidents() });
      void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard });
      if (message) {
        void queryClient.invalidateQueries({ queryKey: queryKeys.incident(message.incidentId) });
        // Drafting and publishing an advisory are facts on the incident's log too.
        for (const entry of message.events ?? []) {
          if (entry.type === 'advisory_drafted' || entry.type === 'advisory_published') {
            void queryClient.invalidateQueries({ queryKey: queryKeys.advisories(message.incidentId) });
            void queryClient.invalidateQueries({ queryKey: queryKeys.advisory(entry.data.advisoryId) });
          }
        }
      }
    };
    const connect = () => {
      const current = new EventSource(`${API_BASE}${path}`, { withCredentials: true });
      source = current;
      current.addEventListener('open', () => {
        setStatus('live');
        failures = 0;
        openedBefore = true;
        if (missed) refreshAll();
        missed = false;
      });
      current.addEventListener('error', () => {
        missed = true;
        if (current.readyState !== EventSource.CLOSED) {
          // A dropped connection: EventSource retries by itself.
          setStatus(openedBefore ? 'reconnecting' : 'connecting');
          return;
        }
        setStatus('reconnecting');
        current.close();
        const pause = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
        failures += 1;
        retryTimer = setTimeout(connect, pause);
      });
      current.addEventListener('incident', refresh);
      current.addEventListener('clocks', refresh);
      current.addEventListener('message', refresh);
    };
    connect();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [path, queryClient]);

  return status;
}
