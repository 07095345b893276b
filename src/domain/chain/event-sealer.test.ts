import { describe, expect, it } from 'vitest';
import { hashAdvisoryEvent } from '../advisory/advisory-chain.js';
import { GENESIS_HASH } from '../incident/state.js';
import { hashEvent, verifyChain } from './hash-chain.js';
import { sealEvents } from './event-sealer.js';
import type { IncidentEventEnvelope } from '../incident/events.js';

const meta = { actor: 'alice', occurredAt: '2026-03-02T09:00:00.000Z', recordedAt: '2026-03-02T09:00:01.000Z' };

describe('sealEvents', () => {
  it('given a head, numbers the events after it and links each to the one before', () => {
    const sealed = sealEvents('incidentId', 'INC-2026-0001', { version: 0, lastHash: GENESIS_HASH }, [
      { type: 'note_added', data: { text: 'one' } },
      { type: 'note_added', data: { text: 'two' } },
    ], meta);
    expect(sealed.map((e) => [e.incidentId, e.seq, e.actor, e.recordedAt])).toEqual([
      ['INC-2026-0001', 1, 'alice', meta.recordedAt],
      ['INC-2026-0001', 2, 'alice', meta.recordedAt],
    ]);
    expect(sealed[0]!.prevHash).toBe(GENESIS_HASH);
    expect(sealed[1]!.prevHash).toBe(sealed[0]!.hash);
  });

  it('hashes exactly as the incident and advisory chains verify them', () => {
    const incident = sealEvents('incidentId', 'INC-2026-0001', { version: 0, lastHash: GENESIS_HASH }, [{ type: 'note_added', data: { text: 'x' } }], meta);
    expect(incident[0]!.hash).toBe(hashEvent(incident[0]! as unknown as IncidentEventEnvelope));
    expect(verifyChain('INC-2026-0001', incident as unknown as IncidentEventEnvelope[]).ok).toBe(true);
    const advisory = sealEvents('advisoryId', 'ESA-2026-001', { version: 3, lastHash: 'a'.repeat(64) }, [{ type: 'submitted', data: {} }], meta);
    expect(advisory[0]!.seq).toBe(4);
    expect(advisory[0]!.hash).toBe(hashAdvisoryEvent(advisory[0]! as unknown as Parameters<typeof hashAdvisoryEvent>[0]));
  });

  it('seals nothing for no events', () => {
    expect(sealEvents('advisoryId', 'ESA-2026-001', { version: 2, lastHash: 'b'.repeat(64) }, [], meta)).toEqual([]);
  });
});
