import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import type { IncidentEventEnvelope } from '../incident/events.js';
import { canonicalJson } from './canonical-json.js';
import { verifyChain } from './hash-chain.js';

function log(): IncidentEventEnvelope[] {
  const incident = new IncidentHarness(builtInPlan('nist-800-61r3'));
  incident.run({ type: 'triage', decision: 'confirm', severity: 'high' });
  incident.run({ type: 'acknowledge' }, 'bob');
  incident.run({ type: 'add_note', text: 'first look: credential stuffing' });
  return incident.events;
}

describe('canonicalJson', () => {
  it('sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, 'x'] } })).toBe('{"a":{"c":[1,"x"]},"b":1}');
  });
});

describe('verifyChain', () => {
  it('accepts an untouched log', () => {
    expect(verifyChain('INC-2026-0001', log())).toMatchObject({ ok: true, events: 4 });
  });

  it('names an altered event', () => {
    const events = log();
    events[3] = { ...events[3]!, data: { text: 'first look: nothing to see' } } as IncidentEventEnvelope;
    expect(verifyChain('INC-2026-0001', events)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/altered/) });
  });

  it('names the gap when an event is removed', () => {
    const events = log();
    events.splice(1, 1);
    expect(verifyChain('INC-2026-0001', events)).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/missing/) });
  });

  it('names the first altered event even when later events are untouched', () => {
    const events = log();
    const forged = { ...events[1]!, actor: 'mallory' };
    events[1] = forged;
    expect(verifyChain('INC-2026-0001', events)).toMatchObject({ ok: false, seq: 2 });
  });
});
