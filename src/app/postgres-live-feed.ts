/**
 * Live updates across processes on PostgreSQL: every process LISTENs on one channel and
 * each publish is also sent with NOTIFY, so a browser connected to process A sees a change
 * made through process B. A NOTIFY payload is limited to 8000 bytes, so it carries only the
 * incident id and seq range; subscribers of other processes read the events from the
 * store (the stream hub does). Subscribers in the publishing process get the full message
 * at once and ignore its echo. If the listening connection drops, it reconnects.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { InProcessLiveFeed, type LiveFeed, type LiveMessage } from './live-feed.js';

export const LIVE_CHANNEL = 'firebreak_live';

type WireMessage = { readonly origin: string } & (
  | { readonly kind: 'incident'; readonly incidentId: string; readonly version: number; readonly firstSeq: number }
  | { readonly kind: 'clocks'; readonly incidentId: string }
);

export interface PostgresLiveFeedOptions {
  /** Told about connection trouble (a logger's warn); never given the URL. */
  readonly warn?: (message: string) => void;
  readonly reconnectMs?: number;
}

function toWire(origin: string, message: LiveMessage): WireMessage {
  return message.kind === 'incident'
    ? { origin, kind: 'incident', incidentId: message.incidentId, version: message.version, firstSeq: message.firstSeq }
    : { origin, kind: 'clocks', incidentId: message.incidentId };
}

function fromWire(payload: string | undefined): WireMessage | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<WireMessage>;
    if (typeof value.origin !== 'string' || typeof value.incidentId !== 'string') return undefined;
    if (value.kind === 'clocks') return value as WireMessage;
    if (value.kind === 'incident' && Number.isInteger(value.version) && Number.isInteger(value.firstSeq)) return value as WireMessage;
  } catch {
    // Not ours: someone else NOTIFYing on the channel. Ignored.
  }
  return undefined;
}

export class PostgresLiveFeed implements LiveFeed {
  private readonly local = new InProcessLiveFeed();
  private readonly origin = randomUUID();
  /** One connection for NOTIFY, so this process's messages leave in publish order. */
  private readonly publisher: pg.Pool;
  private listener: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly options: PostgresLiveFeedOptions,
  ) {
    this.publisher = new pg.Pool({ connectionString: url, max: 1 });
    this.publisher.on('error', () => undefined);
  }

  static async open(url: string, options: PostgresLiveFeedOptions = {}): Promise<PostgresLiveFeed> {
    const feed = new PostgresLiveFeed(url, options);
    await feed.listen();
    return feed;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => {
      if (n.channel !== LIVE_CHANNEL) return;
      const wire = fromWire(n.payload);
      if (!wire || wire.origin === this.origin) return;
      const { origin: _origin, ...message } = wire;
      this.local.publish(message);
    });
    const lost = () => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      this.options.warn?.('live updates: lost the LISTEN connection to PostgreSQL; reconnecting');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${LIVE_CHANNEL}`);
    this.listener = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.listen().catch(() => this.scheduleReconnect());
    }, this.options.reconnectMs ?? 1000);
    this.reconnectTimer.unref();
  }

  publish(message: LiveMessage): void {
    this.local.publish(message);
    if (this.closed) return;
    this.publisher.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify(toWire(this.origin, message))]).catch(() => {
      this.options.warn?.('live updates: NOTIFY failed; other processes miss this change until their next refresh');
    });
  }

  subscribe(listener: (message: LiveMessage) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.publisher.end().catch(() => undefined);
    await this.local.close();
  }
}
