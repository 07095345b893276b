/**
 * The outbox: every message to every recipient is a `deliveries` row with its record
 * (review → queued → sent, or failed with the reason and retried with backoff, then dead).
 * Rows are written in the same transaction as what caused them (a clock firing), and sent
 * afterwards by `processDue`, which claims rows with a lease so two workers (or two
 * servers) never send the same row at once. A successful send is also recorded on the
 * incident's timeline as `message_sent`.
 */
import { randomUUID } from 'node:crypto';
import type { IncidentService } from '../../app/incident-service.js';
import type { TimeSource } from '../../app/time-source.js';
import { FirebreakError } from '../../domain/errors.js';
import type { Selectable, Transaction } from 'kysely';
import { type Database, type DeliveriesTable, readJson } from '../../store/database.js';
import type { Store } from '../../store/store.js';
import { OutboundGuard } from '../outbound/index.js';
import { ChannelSenders, type Destination, type MailConfig } from './channel-senders.js';
import { secretForTarget } from './contact-points.js';
import type { OutboundMessage } from './message-payloads.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.js';

export type DeliveryStatus = DeliveriesTable['status'];
type DeliveryRow = Selectable<DeliveriesTable>;

export interface DeliveryRecord {
  readonly id: string;
  readonly incidentId: string | null;
  readonly clock: string | null;
  readonly template: string | null;
  readonly channel: Destination['channel'];
  readonly recipient: string;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly subject: string | null;
  readonly body: string;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export interface NewDelivery {
  readonly incidentId: string | null;
  readonly clock?: string | null;
  readonly template?: string | null;
  /** Who it is for, for people reading the record: a handle or `audience:<id>`. */
  readonly recipient: string;
  readonly destination: Destination;
  readonly subject: string | null;
  readonly body: string;
  /** Held in the review queue until someone approves it. */
  readonly review: boolean;
  /** Who already approved it (a composed message that passed its review): sent, not held again. */
  readonly reviewedBy?: string;
}

export interface DeliveryOptions {
  readonly mail?: MailConfig;
  /** Where deliveries may go; default: public addresses plus $FIREBREAK_OUTBOUND_ALLOW (a malformed value fails here, at start-up). */
  readonly outbound?: OutboundGuard;
  readonly retry?: RetryPolicy;
  /** Jitter source; `Math.random` unless a test pins it. */
  readonly random?: () => number;
  readonly workerId?: string;
  /** How long a claimed row is reserved for the worker sending it. */
  readonly leaseMs?: number;
}

const SYSTEM_ACTOR = 'firebreak';
export const EXTERNAL_DISCLOSURE_TEMPLATE = 'externalDisclosure';

function toRecord(row: DeliveryRow): DeliveryRecord {
  const payload = readJson<{ subject: string | null; body: string }>(row.payload);
  return {
    id: row.id,
    incidentId: row.incident_id,
    clock: row.clock_key,
    template: row.template,
    channel: row.channel,
    recipient: row.recipient,
    target: row.target,
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    subject: payload.subject,
    body: payload.body,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/**
 * Last step before a message leaves the process (the pager puts a fresh acknowledge link
 * into a page here, so no usable link is ever stored in the outbox).
 */
export type MessagePreparer = (db: Store['db'], message: OutboundMessage, row: { readonly recipient: string; readonly template: string | null }, now: Date) => Promise<OutboundMessage>;

export class DeliveryService {
  private readonly senders: ChannelSenders;
  /** The guard deliveries go through; targets are checked against it when they are set, too. */
  readonly outbound: OutboundGuard;
  private preparer: MessagePreparer | undefined;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly workerId: string;
  private readonly leaseMs: number;

  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly time: TimeSource,
    options: DeliveryOptions = {},
  ) {
    this.outbound = options.outbound ?? OutboundGuard.fromEnv();
    this.senders = new ChannelSenders(options.mail, this.outbound);
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.random = options.random ?? Math.random;
    this.workerId = options.workerId ?? `delivery-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  setPreparer(preparer: MessagePreparer): void {
    this.preparer = preparer;
  }

  /** Writes the delivery rows inside the caller's transaction (the outbox). */
  async enqueue(trx: Transaction<Database>, messages: readonly NewDelivery[], now: Date): Promise<string[]> {
    const ids: string[] = [];
    for (const m of messages) {
      const id = randomUUID();
      // An external disclosure is always reviewed, whatever the plan says.
      const review = m.reviewedBy === undefined && (m.review || m.template === EXTERNAL_DISCLOSURE_TEMPLATE);
      ids.push(id);
      await trx
        .insertInto('deliveries')
        .values({
          id,
          incident_id: m.incidentId,
          clock_key: m.clock ?? null,
          template: m.template ?? null,
          channel: m.destination.channel,
          recipient: m.recipient,
          target: m.destination.target,
          status: review ? 'review' : 'queued',
          attempts: 0,
          last_error: null,
          next_attempt_at: review ? null : now.toISOString(),
          claimed_by: null,
          claimed_until: null,
          payload: JSON.stringify({ subject: m.subject, body: m.body }),
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          sent_at: null,
          reviewed_by: m.reviewedBy ?? null,
        })
        .execute();
    }
    return ids;
  }

  /** Enqueues in a transaction of its own. */
  async enqueueNow(messages: readonly NewDelivery[]): Promise<string[]> {
    const now = this.time.now();
    return this.store.transaction((trx) => this.enqueue(trx, messages, now));
  }

  /** Releases a message from the review queue (approve) or drops it (reject). */
  async review(id: string, decision: 'approve' | 'reject', by: string): Promise<DeliveryRecord> {
    const now = this.time.now().toISOString();
    return this.store.transaction(async (trx) => {
      const row = await trx.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new FirebreakError('FB_ERR_DELIVERY_NOT_FOUND', `no delivery ${id}`);
      if (row.status !== 'review') throw new FirebreakError('FB_ERR_DELIVERY_NOT_IN_REVIEW', `delivery ${id} is ${row.status}, not waiting for review`);
      const status = decision === 'approve' ? 'queued' : 'rejected';
      await trx
        .updateTable('deliveries')
        .set({ status, reviewed_by: by, updated_at: now, next_attempt_at: decision === 'approve' ? now : null })
        .where('id', '=', id)
        .execute();
      return toRecord({ ...row, status, reviewed_by: by, updated_at: now });
    });
  }

  async get(id: string): Promise<DeliveryRecord> {
    const row = await this.store.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_DELIVERY_NOT_FOUND', `no delivery ${id}`);
    return toRecord(row);
  }

  async list(filter: { status?: readonly DeliveryStatus[]; incidentId?: string; limit?: number } = {}): Promise<DeliveryRecord[]> {
    let query = this.store.db.selectFrom('deliveries').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(filter.limit ?? 200);
    if (filter.status && filter.status.length > 0) query = query.where('status', 'in', filter.status);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    return (await query.execute()).map(toRecord);
  }

  /**
   * Sends a dead-lettered message again: back to `queued`, due now, with a fresh round of
   * attempts (the count restarts; the last error stays until the next attempt).
   */
  async retryDead(id: string): Promise<DeliveryRecord> {
    const now = this.time.now().toISOString();
    return this.store.transaction(async (trx) => {
      const row = await trx.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new FirebreakError('FB_ERR_DELIVERY_NOT_FOUND', `no delivery ${id}`);
      if (row.status !== 'dead') throw new FirebreakError('FB_ERR_DELIVERY_NOT_DEAD', `delivery ${id} is ${row.status}, not dead-lettered; only dead-lettered messages are retried by hand`);
      const changed = { status: 'queued' as const, attempts: 0, next_attempt_at: now, claimed_by: null, claimed_until: null, updated_at: now };
      await trx.updateTable('deliveries').set(changed).where('id', '=', id).where('status', '=', 'dead').execute();
      return toRecord({ ...row, ...changed });
    });
  }

  /** How many messages are in each status (the dashboard's figures). */
  async countByStatus(): Promise<Partial<Record<DeliveryStatus, number>>> {
    const rows = await this.store.db.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Messages that exhausted their retries: the dashboard's dead-letter alert. */
  async deadLetterCount(): Promise<number> {
    const row = await this.store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'dead').executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** When the next queued or retrying message is due, for the worker's timer. */
  async nextAttemptAt(): Promise<string | undefined> {
    const row = await this.store.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', 'in', ['queued', 'failed'])
      .executeTakeFirst();
    return (row?.next as string | null | undefined) ?? undefined;
  }

  /** Claims due messages (queued, or failed and due for a retry) under a lease. */
  private async claim(now: Date, limit: number): Promise<DeliveryRow[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + this.leaseMs).toISOString();
    return this.store.transaction(async (trx) => {
      const rows = await trx
        .selectFrom('deliveries')
        .selectAll()
        .where('status', 'in', ['queued', 'failed'])
        .where('next_attempt_at', '<=', at)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(this.store.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('deliveries')
        .set({ claimed_by: this.workerId, claimed_until: until })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows;
    });
  }

  /** Sends every due message once; returns how many were attempted. */
  async processDue(now: Date = this.time.now(), limit = 50): Promise<number> {
    let attempted = 0;
    for (;;) {
      const rows = await this.claim(now, limit);
      for (const row of rows) await this.attempt(row, now);
      attempted += rows.length;
      if (rows.length < limit) return attempted;
    }
  }

  private async attempt(row: DeliveryRow, now: Date): Promise<void> {
    const payload = readJson<{ subject: string | null; body: string }>(row.payload);
    let message: OutboundMessage = { id: row.id, incidentId: row.incident_id, clock: row.clock_key, subject: payload.subject, body: payload.body };
    const attempts = Number(row.attempts) + 1;
    let error: string | null = null;
    try {
      if (this.preparer) message = await this.preparer(this.store.db, message, { recipient: row.recipient, template: row.template }, now);
      const secret = row.channel === 'webhook' ? await secretForTarget(this.store.db, row.target) : null;
      await this.senders.send(message, { channel: row.channel, target: row.target, secret }, now);
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const at = now.toISOString();
    const published = await this.store.transaction(async (trx) => {
      if (error === null) {
        await trx
          .updateTable('deliveries')
          .set({ status: 'sent', attempts, sent_at: at, last_error: null, next_attempt_at: null, claimed_by: null, claimed_until: null, updated_at: at })
          .where('id', '=', row.id)
          .execute();
        if (!row.incident_id) return undefined;
        return this.incidents.appendSystemEvents(
          trx,
          row.incident_id,
          [
            {
              type: 'message_sent',
              data: {
                delivery: row.id,
                channel: row.channel,
                recipient: row.recipient,
                ...(payload.subject ? { subject: payload.subject } : {}),
                ...(row.clock_key ? { clock: row.clock_key } : {}),
              },
            },
          ],
          { actor: SYSTEM_ACTOR, occurredAt: at },
        );
      }
      const dead = attempts >= this.retry.maxAttempts;
      const next = dead ? null : new Date(now.getTime() + retryDelayMs(this.retry, attempts, this.random)).toISOString();
      await trx
        .updateTable('deliveries')
        .set({ status: dead ? 'dead' : 'failed', attempts, last_error: error, next_attempt_at: next, claimed_by: null, claimed_until: null, updated_at: at })
        .where('id', '=', row.id)
        .execute();
      return undefined;
    });
    if (published) this.incidents.publish(published);
  }

  close(): void {
    this.senders.close();
  }
}
