import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../errors.js';
import type { ReporterInfo } from '../incident/events.js';
import { sealEvents } from '../chain/event-sealer.js';
import { ADVISORY_GENESIS_HASH, verifyAdvisoryChain } from './advisory-chain.js';
import { formatAdvisoryId } from './advisory-id.js';
import { type AdvisoryCommand, type AdvisoryContext, decideAdvisory, decideDraft } from './commands.js';
import type { AdvisoryEvent, AdvisoryEventEnvelope } from './events.js';
import { type AdvisoryState, effectiveStatus, evolveAdvisory, publicRevision } from './state.js';

const T0 = '2026-03-02T09:00:00.000Z';
const named: ReporterInfo = { anonymous: false, name: 'Ada Reporter' };

const complete = {
  title: 'Timing side channel in OPAQUE login',
  summary: 'The server leaks whether an account exists through response timing.',
  impact: 'An attacker can enumerate registered users.',
  cwes: [{ id: 'CWE-208', name: 'Observable Timing Discrepancy' }],
  cvssV3: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N',
  cve: 'CVE-2026-12345',
  packages: [{ ecosystem: 'NuGet', name: 'Ecliptix.Security.OPAQUE', introduced: '1.0.0', fixed: '1.2.3' }],
  resolution: 'Upgrade to 1.2.3 or later.',
};

/** Seals events into a chain, as the service does. */
function given(events: readonly { event: AdvisoryEvent; actor: string; at?: string }[]): { state: AdvisoryState; log: AdvisoryEventEnvelope[] } {
  let state: AdvisoryState | null = null;
  const log: AdvisoryEventEnvelope[] = [];
  for (const { event, actor, at } of events) {
    const head = { version: log.length, lastHash: log.at(-1)?.hash ?? ADVISORY_GENESIS_HASH };
    const [sealed] = sealEvents('advisoryId', 'ESA-2026-001', head, [event], { actor, occurredAt: at ?? T0, recordedAt: at ?? T0 }) as AdvisoryEventEnvelope[];
    log.push(sealed!);
    state = evolveAdvisory(state, sealed!);
  }
  return { state: state!, log };
}

function drafted(content: unknown = complete, reporter: ReporterInfo = named) {
  const [event] = decideDraft({ type: 'draft', incidentId: 'INC-2026-0001', planId: 'iso27001-library', planVersion: '1.0.0', reporter, content });
  return { event: event!, actor: 'alice' };
}

const ctx = (actor: string, extra: Partial<AdvisoryContext> = {}): AdvisoryContext => ({ actor, occurredAt: T0, ...extra });

function when(state: AdvisoryState, command: AdvisoryCommand, context: AdvisoryContext) {
  return decideAdvisory(state, command, context);
}

function refused(run: () => unknown): FirebreakError {
  try {
    run();
  } catch (error) {
    if (error instanceof FirebreakError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
}

/** drafted → submitted by alice → approved by bob. */
function approved(content: unknown = complete) {
  return [drafted(content), { event: { type: 'submitted', data: {} } as AdvisoryEvent, actor: 'alice' }, { event: { type: 'approved', data: {} } as AdvisoryEvent, actor: 'bob' }];
}

describe('advisory ids', () => {
  it('follow the plan pattern with zero-padded sequence numbers', () => {
    expect(formatAdvisoryId('ESA-{year}-{seq:3}', 2026, 7)).toBe('ESA-2026-007');
    expect(formatAdvisoryId('FB-{year}-{seq:4}', 2026, 12)).toBe('FB-2026-0012');
    expect(formatAdvisoryId('SA-{seq}', 2026, 1234)).toBe('SA-1234');
  });
});

describe('drafting', () => {
  it('given an incident, when drafted with a title, then the advisory is a draft scored from its vector', () => {
    const { state } = given([drafted()]);
    expect(state.status).toBe('draft');
    expect(state.severity).toBe('low');
    expect(state.cvss.v3?.baseScore).toBe(3.7);
    expect(state.authors).toEqual(['alice']);
  });

  it('refuses bad CWE, CVE and version ranges, naming each field', () => {
    const error = refused(() =>
      decideDraft({
        type: 'draft', incidentId: 'I', planId: 'p', planVersion: '1', reporter: named,
        content: { title: 'x', cwes: [{ id: 'CWE79' }], cve: 'CVE-26-1' },
      }),
    );
    expect(error.code).toBe('FB_ERR_INPUT_INVALID');
    expect(error.fields.map((f) => f.path)).toEqual(['cwes.0.id', 'cve']);
  });

  it('checks SemVer ranges in npm, Go and crates.io', () => {
    const error = refused(() =>
      decideDraft({
        type: 'draft', incidentId: 'I', planId: 'p', planVersion: '1', reporter: named,
        content: {
          title: 'x',
          packages: [
            { ecosystem: 'npm', name: 'a', introduced: '1.x', fixed: '2.0.0' },
            { ecosystem: 'crates.io', name: 'b', introduced: '2.0.0', fixed: '1.0.0' },
            { ecosystem: 'Maven', name: 'no-group', introduced: '0', fixed: '1.0' },
            { ecosystem: 'PyPI', name: 'c', introduced: '0', fixed: '1.0.post1' },
          ],
        },
      }),
    );
    expect(error.fields.map((f) => f.path)).toEqual(['packages.0.introduced', 'packages.1.fixed', 'packages.2.name']);
  });

  it('never credits an anonymous reporter', () => {
    const error = refused(() => drafted({ ...complete, credit: { consent: true, name: 'Someone' } }, { anonymous: true }));
    expect(error.fields[0]?.path).toBe('credit');
  });

  it('names the metric of an invalid vector', () => {
    const error = refused(() => drafted({ ...complete, cvssV4: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N' }));
    expect(error.code).toBe('FB_ERR_ADVISORY_CVSS_INVALID');
    expect(error.message).toMatch(/cvssV4: base metric SA missing/);
  });
});

describe('review', () => {
  it('given a submitted advisory, when its author approves it, then it is refused', () => {
    const { state } = given([drafted(), { event: { type: 'submitted', data: {} }, actor: 'alice' }]);
    const error = refused(() => when(state, { type: 'approve' }, ctx('alice')));
    expect(error.code).toBe('FB_ERR_ADVISORY_SELF_APPROVAL');
    expect(error.kind).toBe('forbidden');
    expect(error.message).toMatch(/alice wrote or submitted ESA-2026-001 and cannot approve it; a second person must/);
  });

  it('an editor is an author too', () => {
    const { state } = given([drafted(), { event: { type: 'edited', data: { changes: { impact: 'worse' } } }, actor: 'carol' }, { event: { type: 'submitted', data: {} }, actor: 'alice' }]);
    expect(refused(() => when(state, { type: 'approve' }, ctx('carol'))).code).toBe('FB_ERR_ADVISORY_SELF_APPROVAL');
    expect(when(state, { type: 'approve' }, ctx('bob'))).toEqual([{ type: 'approved', data: {} }]);
  });

  it('editing an approved advisory sends it back to draft', () => {
    const { state } = given([...approved(), { event: { type: 'edited', data: { changes: { impact: 'more' } } }, actor: 'bob' }]);
    expect(state.status).toBe('draft');
    expect(state.approvedBy).toBeNull();
    expect(refused(() => when(state, { type: 'publish' }, ctx('bob'))).code).toBe('FB_ERR_ADVISORY_ILLEGAL_TRANSITION');
  });
});

describe('publishing', () => {
  it('refuses an incomplete advisory and lists every missing field', () => {
    const { state } = given(approved({ title: 'Only a title', cve: 'reserved', packages: [{ ecosystem: 'npm', name: 'x', introduced: '0' }] }));
    const error = refused(() => when(state, { type: 'publish' }, ctx('bob')));
    expect(error.code).toBe('FB_ERR_ADVISORY_INCOMPLETE');
    expect(error.fields.map((f) => f.path)).toEqual([
      'summary',
      'impact',
      'cvss',
      'cwes',
      'cve',
      'packages.0.fixed',
      'resolution',
    ]);
    expect(error.message).toContain('required fields missing: summary, impact, cvss');
  });

  it('refuses while release-checklist items gate publishing', () => {
    const { state } = given(approved());
    const error = refused(() => when(state, { type: 'publish' }, ctx('bob', { openGates: ['fix-merged', 'artifacts-signed'] })));
    expect(error.code).toBe('FB_ERR_ADVISORY_GATED');
    expect(error.message).toContain('fix-merged, artifacts-signed');
  });

  it('given an approved advisory, when published, then revision 1 is public with a disclosure date', () => {
    const { state } = given(approved());
    const events = when(state, { type: 'publish' }, ctx('bob', { timeline: [{ label: 'Reported', at: T0, date: '2026-03-02' }] }));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe('published');
    if (event?.type !== 'published') return;
    expect(event.data.revision).toBe(1);
    expect(event.data.timeline.map((t) => t.label)).toEqual(['Reported', 'Disclosed']);
    const after = given([...approved(), { event: event, actor: 'bob' }]).state;
    expect(after.status).toBe('published');
    expect(publicRevision(after, new Date(T0))?.revision).toBe(1);
  });

  it('a later revision makes it updated and keeps the first', () => {
    const first = when(given(approved()).state, { type: 'publish' }, ctx('bob'))[0]!;
    const steps = [...approved(), { event: first, actor: 'bob' }, { event: { type: 'edited', data: { changes: { mitigation: 'Disable the endpoint.' } } } as AdvisoryEvent, actor: 'bob' }, { event: { type: 'submitted', data: {} } as AdvisoryEvent, actor: 'bob' }, { event: { type: 'approved', data: {} } as AdvisoryEvent, actor: 'alice' }];
    const { state } = given(steps);
    const second = when(state, { type: 'publish', summary: 'Added a mitigation' }, ctx('alice'))[0]!;
    const after = given([...steps, { event: second, actor: 'alice' }]);
    expect(after.state.status).toBe('updated');
    expect(after.state.revisions.map((r) => [r.revision, r.summary])).toEqual([[1, 'Initial public release'], [2, 'Added a mitigation']]);
    expect(verifyAdvisoryChain('ESA-2026-001', after.log)).toMatchObject({ ok: true, events: 8 });
  });

  it('an embargo keeps the revision private until its date', () => {
    const releaseAt = '2026-03-10T00:00:00.000Z';
    const scheduled = when(given(approved()).state, { type: 'schedule', releaseAt }, ctx('bob'))[0]!;
    const { state } = given([...approved(), { event: scheduled, actor: 'bob' }]);
    expect(state.status).toBe('scheduled');
    expect(publicRevision(state, new Date('2026-03-09T23:59:59Z'))).toBeNull();
    expect(effectiveStatus(state, new Date('2026-03-09T23:59:59Z'))).toBe('scheduled');
    expect(publicRevision(state, new Date(releaseAt))?.revision).toBe(1);
    expect(effectiveStatus(state, new Date(releaseAt))).toBe('published');
    expect(refused(() => when(state, { type: 'edit', changes: { impact: 'x' } }, ctx('bob'))).message).toMatch(/while a revision is scheduled/);
  });

  it('refuses an embargo date in the past', () => {
    const error = refused(() => when(given(approved()).state, { type: 'schedule', releaseAt: '2026-03-01T00:00:00Z' }, ctx('bob')));
    expect(error.fields[0]?.path).toBe('releaseAt');
  });

  it('publishing a scheduled advisory early keeps its revision number', () => {
    const scheduled = when(given(approved()).state, { type: 'schedule', releaseAt: '2026-03-10T00:00:00Z' }, ctx('bob'))[0]!;
    const { state } = given([...approved(), { event: scheduled, actor: 'bob' }]);
    const early = when(state, { type: 'publish' }, ctx('bob'))[0]!;
    const after = given([...approved(), { event: scheduled, actor: 'bob' }, { event: early, actor: 'bob' }]).state;
    expect(after.revisions).toHaveLength(1);
    expect(after.revisions[0]).toMatchObject({ revision: 1, releaseAt: T0, embargoed: false });
    expect(after.status).toBe('published');
  });
});
