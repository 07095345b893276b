/**
 * Keeps what is on screen current: subscribes to a Server-Sent Events stream of the API
 * and, on each message, invalidates the queries that message touches, so TanStack Query
 * refetches them in place (no reload). EventSource reconnects by itself after a drop;
 * the returned status lets the page show whether it is live.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { API_BASE } from '../api/client.js';
import { queryKeys } from '../api/queries.js';
import type { StreamMessage } from '../api/types.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

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
    const source = new EventSource(`${API_BASE}${path}`, { withCredentials: true });
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
    source.addEventListener('open', () => setStatus('live'));
    source.addEventListener('error', () => setStatus(source.readyState === EventSource.CLOSED ? 'reconnecting' : 'connecting'));
    source.addEventListener('incident', refresh);
    source.addEventListener('clocks', refresh);
    source.addEventListener('message', refresh);
    return () => source.close();
  }, [path, queryClient]);

  return status;
}
