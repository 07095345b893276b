/**
 * Sealing new events into a hash chain, for any log that has one (an incident's, an
 * advisory's): each event gets the next seq, the previous event's hash and its own hash
 * over the canonical encoding of the envelope. The envelope names its stream by one key
 * (`incidentId`, `advisoryId`); everything else is the same for every log.
 */
import { canonicalDigest } from './canonical-json.js';

/** What a decide function returns: a type and its payload. */
export interface ChainEvent {
  readonly type: string;
  readonly data: unknown;
}

/** Who and when, the same for every event sealed in one go. */
export interface SealMeta {
  readonly actor: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

/** The link a new batch continues from: the stream's version (last seq) and last hash. */
export interface ChainHead {
  readonly version: number;
  readonly lastHash: string;
}

/** An envelope before its hash is known. */
export type UnsealedEnvelope<K extends string, E extends ChainEvent> = { readonly [P in K]: string } & {
  readonly seq: number;
  readonly type: E['type'];
  readonly data: E['data'];
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly prevHash: string;
};

export type SealedEnvelope<K extends string, E extends ChainEvent> = UnsealedEnvelope<K, E> & { readonly hash: string };

/** The SHA-256 of an envelope's fields (all but `hash`), canonically encoded. */
export function hashEnvelope<K extends string>(streamKey: K, envelope: UnsealedEnvelope<K, ChainEvent>): string {
  const content = {
    [streamKey]: envelope[streamKey],
    seq: envelope.seq,
    type: envelope.type,
    data: envelope.data,
    occurredAt: envelope.occurredAt,
    recordedAt: envelope.recordedAt,
    actor: envelope.actor,
    prevHash: envelope.prevHash,
  };
  return canonicalDigest(content);
}

/** Seals `events` after `head` in the stream `streamKey` = `streamId`. */
export function sealEvents<K extends string, E extends ChainEvent>(
  streamKey: K,
  streamId: string,
  head: ChainHead,
  events: readonly E[],
  meta: SealMeta,
): SealedEnvelope<K, E>[] {
  const sealed: SealedEnvelope<K, E>[] = [];
  let prevHash = head.lastHash;
  let seq = head.version;
  for (const event of events) {
    seq += 1;
    const unhashed = { [streamKey]: streamId, seq, type: event.type, data: event.data, occurredAt: meta.occurredAt, recordedAt: meta.recordedAt, actor: meta.actor, prevHash } as UnsealedEnvelope<K, E>;
    const hash = hashEnvelope(streamKey, unhashed);
    sealed.push({ ...unhashed, hash } as SealedEnvelope<K, E>);
    prevHash = hash;
  }
  return sealed;
}
