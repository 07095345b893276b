/**
 * The mapping between a hash-chained event envelope and its table row, shared by every
 * log (incident events in `events`, advisory events in `advisory_events`). The tables
 * differ only in the column naming the stream (`incident_id`, `advisory_id`); the rest is
 * the same columns, with `data` stored as JSON text.
 */
import { readJson } from './database.js';

/** The columns every event table has, besides the stream id. */
export const EVENT_COLUMNS = ['seq', 'type', 'data', 'occurred_at', 'recorded_at', 'actor', 'prev_hash', 'hash'] as const;

interface EventColumns {
  readonly seq: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly actor: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export type EventRow<C extends string> = { readonly [P in C]: string } & EventColumns;

/** The envelope fields a row maps to (the stream key, e.g. `incidentId`, added by the caller's type). */
interface EnvelopeFields {
  readonly seq: number;
  readonly type: string;
  readonly data: unknown;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** A stored row → its envelope; `column` names the stream column and `key` the envelope field. */
export function rowToEnvelope<C extends string, K extends string>(column: C, key: K, row: EventRow<C>): { readonly [P in K]: string } & EnvelopeFields {
  return {
    [key]: row[column],
    seq: Number(row.seq),
    type: row.type,
    data: readJson(row.data),
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    prevHash: row.prev_hash,
    hash: row.hash,
  } as { readonly [P in K]: string } & EnvelopeFields;
}

/** An envelope → the row to insert (`data` as JSON text). */
export function envelopeToRow<C extends string, K extends string>(column: C, key: K, envelope: { readonly [P in K]: string } & EnvelopeFields): { [P in C]: string } & { seq: number; type: string; data: string; occurred_at: string; recorded_at: string; actor: string; prev_hash: string; hash: string } {
  return {
    [column]: envelope[key],
    seq: envelope.seq,
    type: envelope.type,
    data: JSON.stringify(envelope.data),
    occurred_at: envelope.occurredAt,
    recorded_at: envelope.recordedAt,
    actor: envelope.actor,
    prev_hash: envelope.prevHash,
    hash: envelope.hash,
  } as { [P in C]: string } & { seq: number; type: string; data: string; occurred_at: string; recorded_at: string; actor: string; prev_hash: string; hash: string };
}
