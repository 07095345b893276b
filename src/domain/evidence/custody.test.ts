import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import type { FirebreakError } from '../errors.js';
import { custodyReport } from './custody.js';

const plan = builtInPlan('iec62443-platform');
const SHA = 'a'.repeat(64);

function withEvidence() {
  const incident = new IncidentHarness(plan);
  incident.run({ type: 'add_evidence', evidenceId: 'EV-1', kind: 'file', sha256: SHA, size: 12, description: 'CI log', source: 'runner', collector: 'dave' }, 'alice', '2026-03-02T09:10:00.000Z');
  return incident;
}

describe('evidence commands', () => {
  it('given an incident, when evidence is added, then the collector holds it', () => {
    const incident = withEvidence();
    expect(incident.state.evidence['EV-1']).toEqual({ custodian: 'dave', sha256: SHA, addedAt: '2026-03-02T09:10:00.000Z' });
  });

  it('given evidence, when custody moves, then the event names both custodians and the reason', () => {
    const incident = withEvidence();
    expect(incident.run({ type: 'transfer_evidence', evidenceId: 'EV-1', to: 'erin', reason: 'imaging' }, 'dave')).toEqual([
      { type: 'evidence_transferred', data: { evidenceId: 'EV-1', from: 'dave', to: 'erin', reason: 'imaging' } },
    ]);
    expect(incident.state.evidence['EV-1']!.custodian).toBe('erin');
  });

  it('refuses unknown evidence, a transfer to the holder, a bad hash and an empty description', () => {
    const incident = withEvidence();
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as FirebreakError).code;
      }
      return 'accepted';
    };
    expect(code(() => incident.run({ type: 'access_evidence', evidenceId: 'EV-2', action: 'view' }))).toBe('FB_ERR_EVIDENCE_NOT_FOUND');
    expect(code(() => incident.run({ type: 'transfer_evidence', evidenceId: 'EV-1', to: 'dave', reason: 'x' }))).toBe('FB_ERR_INCIDENT_NOTHING_TO_DO');
    expect(code(() => incident.run({ type: 'add_evidence', evidenceId: 'EV-3', kind: 'text', sha256: 'xyz', size: 1, description: 'd', source: 's' }))).toBe('FB_ERR_INPUT_INVALID');
    expect(code(() => incident.run({ type: 'add_evidence', evidenceId: 'EV-3', kind: 'text', sha256: SHA, size: 1, description: '  ', source: 's' }))).toBe('FB_ERR_INPUT_INVALID');
    expect(incident.events.filter((e) => e.type.startsWith('evidence_'))).toHaveLength(1);
  });

  it('reads the chain of custody from the log, in order, with the custodian after each step', () => {
    const incident = withEvidence();
    incident.run({ type: 'access_evidence', evidenceId: 'EV-1', action: 'view', purpose: 'triage' }, 'bob', '2026-03-02T09:20:00.000Z');
    incident.run({ type: 'access_evidence', evidenceId: 'EV-1', action: 'export', purpose: 'counsel' }, 'bob', '2026-03-02T09:30:00.000Z');
    incident.run({ type: 'transfer_evidence', evidenceId: 'EV-1', to: 'erin', reason: 'imaging' }, 'dave', '2026-03-02T09:40:00.000Z');
    const report = custodyReport(incident.events, 'EV-1')!;
    expect(report.entries.map((e) => [e.at.slice(11, 16), e.actor, e.action, e.custodian, e.detail])).toEqual([
      ['09:10', 'alice', 'collected', 'dave', `collected by dave from runner, recorded by alice; sha256 ${SHA}, 12 bytes`],
      ['09:20', 'bob', 'viewed', 'dave', 'triage'],
      ['09:30', 'bob', 'exported', 'dave', 'counsel'],
      ['09:40', 'dave', 'transferred', 'erin', 'dave → erin: imaging'],
    ]);
    expect(custodyReport(incident.events, 'EV-9')).toBeUndefined();
  });
});
