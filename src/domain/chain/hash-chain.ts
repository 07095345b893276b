/**
 * The tamper-evident link between an incident's events: each event's hash covers its own
 * content and the previous event's hash, so changing, removing or reordering any stored
 * event breaks every link after it. `verifyChain` names the first broken one.
 */
import type { IncidentEventEnvelope } from '../incident/events.js';
import { GENESIS_HASH } from '../incident/state.js';
import { hashEnvelope } from './event-sealer.js';

export type UnhashedEnvelope = Omit<IncidentEventEnvelope, 'hash'>;

export function hashEvent(event: UnhashedEnvelope): string {
  return hashEnvelope('incidentId', event);
}

export interface ChainBreak {
  readonly incidentId: string;
  readonly seq: number;
  readonly reason: string;
}

export type ChainVerdict = { readonly ok: true; readonly events: number; readonly head: string } | ({ readonly ok: false } & ChainBreak);

/** Checks one incident's events, in seq order, from the first. */
export function verifyChain(incidentId: string, events: readonly IncidentEventEnvelope[]): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const event of events) {
    const fail = (reason: string): ChainVerdict => ({ ok: false, incidentId, seq: event.seq, reason });
    if (event.incidentId !== incidentId) return fail(`event belongs to ${event.incidentId}`);
    if (event.seq !== expectedSeq) return fail(`expected event #${expectedSeq}, found #${event.seq} (an event is missing or out of order)`);
    if (event.prevHash !== prev) return fail('its previous-hash does not match the event before it');
    const actual = hashEvent(event);
    if (actual !== event.hash) return fail('its content does not match its hash (the event was altered)');
    prev = event.hash;
    expectedSeq += 1;
  }
  return { ok: true, events: events.length, head: prev };
}
