/**
 * Live updates fan-out: committed incident events and clock changes, published once and
 * delivered to every subscriber (the HTTP event streams). `InProcessLiveFeed` serves one
 * process; with several processes on PostgreSQL, a LISTEN/NOTIFY feed implements the
 * same interface (a NOTIFY payload is small, so messages may omit `events` and carry the
 * seq range instead; subscribers then read the events from the store).
 */
import { EventEmitter } from 'node:events';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentService } from './incident-service.js';

export type LiveMessage =
  | {
      readonly kind: 'incident';
      readonly incidentId: string;
      readonly version: number;
      /** Seq of the first new event; the last is `version`. */
      readonly firstSeq: number;
      /** The new events, when the feed carries them (in process it does). */
      readonly events?: readonly IncidentEventEnvelope[];
    }
  | { readonly kind: 'clocks'; readonly incidentId: string };

export interface LiveFeed {
  publish(message: LiveMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: (message: LiveMessage) => void): () => void;
  close(): Promise<void>;
}

export class InProcessLiveFeed implements LiveFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(message: LiveMessage): void {
    this.emitter.emit('message', message);
  }

  subscribe(listener: (message: LiveMessage) => void): () => void {
    this.emitter.on('message', listener);
    return () => this.emitter.off('message', listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Publishes every committed command of the incident service to the feed. */
export function feedCommittedIncidents(incidents: IncidentService, feed: LiveFeed): () => void {
  return incidents.onCommitted(({ state, events }) => {
    if (events.length === 0) return;
    feed.publish({ kind: 'incident', incidentId: state.id, version: state.version, firstSeq: events[0]!.seq, events });
  });
}

/** Anything that announces clock-row changes (the scheduler's `onClocksChanged`). */
export interface ClockChangeSource {
  onClocksChanged(listener: (incidentId: string) => void): () => void;
}

/**
 * Publishes a `clocks` message whenever an incident's clock rows changed (inserted,
 * moved, cancelled) or one of its clocks fired, so open countdowns refresh without reload.
 */
export function feedClockChanges(scheduler: ClockChangeSource, feed: LiveFeed): () => void {
  return scheduler.onClocksChanged((incidentId) => feed.publish({ kind: 'clocks', incidentId }));
}
