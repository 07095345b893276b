/**
 * Fans the live feed out to open event streams. For each message it loads the incident
 * once, then re-checks every subscriber's credential and asks the policy whether they may
 * see it now (membership and restriction change over time), so a stream never carries
 * an incident its reader could not open.
 */
import type { ServerResponse } from 'node:http';
import type { Principal } from '../../app/auth/auth-service.js';
import type { LiveMessage } from '../../app/live-feed.js';
import type { IncidentEventEnvelope } from '../../domain/incident/events.js';
import type { IncidentState } from '../../domain/incident/state.js';
import { type Credential, recheck } from '../auth/request-auth.js';
import type { HttpContext } from '../http-context.js';
import { presentEvent } from '../incidents/present.js';
import { policy } from '../policy.js';

export interface StreamConnection {
  principal: Principal;
  readonly credential: Credential;
  readonly ip: string;
  /** Only this incident, or every incident the reader may see. */
  readonly incidentId: string | null;
  readonly response: ServerResponse;
}

export function writeEvent(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export class StreamHub {
  private readonly connections = new Set<StreamConnection>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  /** Messages are delivered one after another, in the order they were published. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly context: HttpContext) {
    this.unsubscribe = context.live.subscribe((message) => {
      this.queue = this.queue.then(() => this.dispatch(message)).catch(() => undefined);
    });
    this.heartbeat = setInterval(() => void this.beat(), context.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.connections.size;
  }

  add(connection: StreamConnection): void {
    this.connections.add(connection);
    connection.response.on('close', () => this.connections.delete(connection));
  }

  /** Waits until every message published so far has been delivered (tests, shutdown). */
  async drain(): Promise<void> {
    await this.queue;
  }

  private end(connection: StreamConnection): void {
    this.connections.delete(connection);
    connection.response.end();
  }

  private async stillAllowed(connection: StreamConnection): Promise<boolean> {
    const principal = await recheck(this.context, connection.credential, connection.ip);
    if (!principal) {
      this.end(connection);
      return false;
    }
    connection.principal = principal;
    return true;
  }

  private async beat(): Promise<void> {
    for (const connection of [...this.connections]) {
      if (await this.stillAllowed(connection)) connection.response.write(': heartbeat\n\n');
    }
  }

  private async dispatch(message: LiveMessage): Promise<void> {
    const readers = [...this.connections].filter((c) => c.incidentId === null || c.incidentId === message.incidentId);
    if (readers.length === 0) return;
    let state: IncidentState;
    try {
      state = await this.context.app.incidents.get(message.incidentId);
    } catch {
      return;
    }
    let payload: unknown;
    if (message.kind === 'incident') {
      const events: readonly IncidentEventEnvelope[] =
        message.events ?? (await this.context.app.incidents.timeline(message.incidentId, { afterSeq: message.firstSeq - 1 })).filter((e) => e.seq <= message.version);
      payload = { incidentId: message.incidentId, version: message.version, events: events.map(presentEvent) };
    } else {
      payload = { incidentId: message.incidentId };
    }
    for (const connection of readers) {
      if (!(await this.stillAllowed(connection))) continue;
      if (!policy.canSeeIncident(connection.principal.user, state)) continue;
      writeEvent(connection.response, message.kind, payload);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const connection of [...this.connections]) this.end(connection);
  }
}
