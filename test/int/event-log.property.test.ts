/**
 * Property tests of the event log, against the real store:
 * - replaying any sequence of valid commands gives exactly the stored projection;
 * - altering any field of any stored event makes verification fail at that event.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/chain/canonical-json.js';
import { verifyChain } from '../../src/domain/chain/hash-chain.js';
import { FirebreakError } from '../../src/domain/errors.js';
import type { IncidentCommand } from '../../src/domain/incident/commands.js';
import type { IncidentEventEnvelope } from '../../src/domain/incident/events.js';
import { replay } from '../../src/domain/incident/state.js';
import { loadEvents, loadIncidentState } from '../../src/store/incident-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PLAN = 'nist-800-61r3';
const people = fc.constantFrom('alice', 'bob', 'carol');
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
const severity = fc.constantFrom('critical', 'high', 'medium', 'low', 'bogus');
const role = fc.constantFrom('ic', 'tech-lead', 'comms', 'scribe');
const phase = fc.constantFrom('detect', 'contain', 'recover', 'improve');
const item = fc.constantFrom('confirm-incident', 'scope', 'preserve-evidence', 'contain', 'eradicate', 'restore', 'review');

const command: fc.Arbitrary<IncidentCommand> = fc.oneof(
  fc.record({ type: fc.constant('triage' as const), decision: fc.constant('confirm' as const), severity }),
  fc.record({ type: fc.constant('triage' as const), decision: fc.constant('dismiss' as const), reason: text }),
  fc.constant({ type: 'acknowledge' as const }),
  fc.record({ type: fc.constant('change_severity' as const), severity, reason: text }),
  fc.record({ type: fc.constant('assign_role' as const), role, to: people }),
  fc.record({ type: fc.constant('initiate_handoff' as const), role, to: people, briefing: text }),
  fc.record({ type: fc.constant('confirm_handoff' as const), role }),
  fc.record({ type: fc.constant('enter_phase' as const), phase }),
  fc.record({ type: fc.constant('enter_phase' as const), phase, force: fc.record({ reason: text }) }),
  fc.record({ type: fc.constant('complete_item' as const), item }),
  fc.record({ type: fc.constant('add_note' as const), text }),
  fc.record({ type: fc.constant('post_sitrep' as const), text }),
  fc.record({ type: fc.constant('set_flag' as const), flag: fc.constantFrom('personal-data', 'ransom') }),
  fc.constant({ type: 'resolve' as const }),
  fc.constant({ type: 'close' as const }),
  fc.record({ type: fc.constant('reopen' as const), reason: text }),
);

const step = fc.record({ command, actor: people, minutesLater: fc.integer({ min: 0, max: 180 }) });

describe('event log properties', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('replaying the stored events reproduces the stored projection', async () => {
    let applied = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const { state } = await app.incidents.report(PLAN, { type: 'report', title: 'generated', reporter: { anonymous: true } }, { actor: 'alice' });
        for (const s of steps) {
          app.time.advance(s.minutesLater * 60_000);
          try {
            await app.incidents.execute(state.id, s.command, { actor: s.actor });
            applied += 1;
          } catch (error) {
            if (!(error instanceof FirebreakError)) throw error;
            refused += 1;
          }
        }
        const events = await loadEvents(app.store.db, state.id);
        const stored = await loadIncidentState(app.store.db, state.id);
        expect(canonicalJson(replay(events))).toBe(canonicalJson(stored));
        expect(verifyChain(state.id, events).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
    console.log(`event-log property: ${applied} commands applied, ${refused} refused by the rules`);
    expect(applied).toBeGreaterThan(0);
  });

  it('altering any field of any event fails verification at that event', async () => {
    const { state } = await app.incidents.report(PLAN, { type: 'report', title: 'tamper target', reporter: { anonymous: false, name: 'alice' } }, { actor: 'alice' });
    await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'high' }, { actor: 'alice' });
    await app.incidents.execute(state.id, { type: 'acknowledge' }, { actor: 'bob' });
    await app.incidents.execute(state.id, { type: 'assign_role', role: 'ic', to: 'alice' }, { actor: 'alice' });
    await app.incidents.execute(state.id, { type: 'add_note', text: 'evidence preserved' }, { actor: 'carol' });
    const events = await loadEvents(app.store.db, state.id);

    const field = fc.constantFrom<keyof IncidentEventEnvelope>('type', 'data', 'occurredAt', 'recordedAt', 'actor', 'prevHash', 'seq', 'hash');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: events.length - 1 }), field, fc.string({ minLength: 1, maxLength: 8 }), (index, key, noise) => {
        const altered = events.map((e) => ({ ...e })) as IncidentEventEnvelope[];
        const original = altered[index]!;
        const value = original[key];
        const changed =
          typeof value === 'number' ? value + 1 : typeof value === 'string' ? `${value}${noise}` : { ...(value as object), injected: noise };
        altered[index] = { ...original, [key]: changed } as IncidentEventEnvelope;
        const verdict = verifyChain(state.id, altered);
        expect(verdict.ok).toBe(false);
        if (!verdict.ok) expect(verdict.seq).toBeLessThanOrEqual(index + 2);
      }),
      { numRuns: 300 },
    );
  });
});
