/**
 * The advisory log's hash chain: the same canonical encoding and SHA-256 link as the
 * incident log (`domain/chain`), over the advisory envelope's fields.
 */
import { hashEnvelope } from '../chain/event-sealer.js';
import type { ChainVerdict } from '../chain/hash-chain.js';
import type { AdvisoryEventEnvelope } from './events.js';

export const ADVISORY_GENESIS_HASH = '0'.repeat(64);

export function hashAdvisoryEvent(event: Omit<AdvisoryEventEnvelope, 'hash'>): string {
  return hashEnvelope('advisoryId', event);
}

/** Checks one advisory's events in seq order; the verdict names the first broken link. */
export function verifyAdvisoryChain(advisoryId: string, events: readonly AdvisoryEventEnvelope[]): ChainVerdict {
  let prev = ADVISORY_GENESIS_HASH;
  let expected = 1;
  for (const event of events) {
    const fail = (reason: string): ChainVerdict => ({ ok: false, incidentId: advisoryId, seq: event.seq, reason });
    if (event.advisoryId !== advisoryId) return fail(`event belongs to ${event.advisoryId}`);
    if (event.seq !== expected) return fail(`expected event #${expected}, found #${event.seq}`);
    if (event.prevHash !== prev) return fail('its previous-hash does not match the event before it');
    if (hashAdvisoryEvent(event) !== event.hash) return fail('its content does not match its hash (the event was altered)');
    prev = event.hash;
    expected += 1;
  }
  return { ok: true, events: events.length, head: prev };
}
