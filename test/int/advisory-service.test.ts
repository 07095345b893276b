/**
 * The advisory service on a real SQLite store: ids from the plan's pattern, the release
 * checklist gating publication, facts recorded on the incident's own chain, refused
 * commands leaving nothing stored, and both hash chains verifying afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirebreakError } from '../../src/domain/errors.js';
import { SCENARIOS } from '../support/advisory-scenarios.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const iso = SCENARIOS[0]!;

async function refusal(promise: Promise<unknown>): Promise<FirebreakError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FirebreakError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('advisory service', () => {
  let app: TestApp;
  let incidentId: string;

  beforeEach(async () => {
    app = await createTestApp();
    const reported = await app.incidents.report('iso27001-library', { type: 'report', title: iso.incidentTitle, reporter: iso.reporter }, { actor: 'intake' });
    incidentId = reported.state.id;
    await app.incidents.execute(incidentId, { type: 'triage', decision: 'confirm', severity: 'P2' }, { actor: 'lead' });
  });
  afterEach(async () => app.close());

  it('records its facts on the incident through the incident service: subscribers hear them after the commit', async () => {
    const heard: string[] = [];
    const stop = app.incidents.onCommitted(({ state, events }) => heard.push(...events.map((e) => `${state.id} ${e.type}`)));
    const { state } = await app.advisories.draft(incidentId, { title: 'Heard live' }, { actor: 'author' });
    await refusal(app.advisories.draft(incidentId, { title: '' }, { actor: 'author' }));
    stop();
    expect(heard).toEqual([`${incidentId} advisory_drafted`]);
    expect((await app.incidents.verify([incidentId]))[0]).toMatchObject({ verdict: { ok: true }, projectionMatches: true });
    expect((await app.advisories.verify(state.id)).projectionMatches).toBe(true);
  });

  it('numbers advisories by the plan pattern, and by the default pattern when the plan has none', async () => {
    const first = await app.advisories.draft(incidentId, { title: 'One' }, { actor: 'author' });
    const second = await app.advisories.draft(incidentId, { title: 'Two' }, { actor: 'author' });
    expect([first.state.id, second.state.id]).toEqual(['ESA-2026-001', 'ESA-2026-002']);
    const other = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'x', reporter: { anonymous: true } }, { actor: 'intake' });
    expect((await app.advisories.draft(other.state.id, { title: 'Three' }, { actor: 'author' })).state.id).toBe('FB-2026-0001');
  });

  it('refuses to publish while the release checklist is open, naming the items, then publishes once it is done', async () => {
    const { state } = await app.advisories.draft(incidentId, iso.content, { actor: 'author' });
    await app.advisories.execute(state.id, { type: 'submit' }, { actor: 'author' });
    await app.advisories.execute(state.id, { type: 'approve' }, { actor: 'reviewer' });
    await app.incidents.execute(incidentId, { type: 'complete_item', item: 'fix-merged' }, { actor: 'lead' });
    const error = await refusal(app.advisories.execute(state.id, { type: 'publish' }, { actor: 'author' }));
    expect(error.code).toBe('FB_ERR_ADVISORY_GATED');
    expect(error.fields.map((f) => f.path)).toEqual(['version-incremented', 'platforms-built', 'artifacts-signed', 'advisory-prepared', 'comms-plan-ready']);
    expect((await app.advisories.get(state.id)).version).toBe(3);

    for (const item of error.fields.map((f) => f.path)) await app.incidents.execute(incidentId, { type: 'complete_item', item }, { actor: 'lead' });
    const published = await app.advisories.execute(state.id, { type: 'publish' }, { actor: 'author' });
    expect(published.state.status).toBe('published');
    expect(published.state.revisions[0]?.timeline.map((t) => t.label)).toEqual(['Reported', 'Confirmed', 'Fixed', 'Disclosed']);

    const timeline = await app.incidents.timeline(incidentId);
    expect(timeline.filter((e) => e.type.startsWith('advisory_')).map((e) => [e.type, e.data])).toEqual([
      ['advisory_drafted', { advisoryId: state.id, title: iso.content['title'] }],
      ['advisory_published', { advisoryId: state.id, revision: 1, releaseAt: published.state.revisions[0]!.releaseAt, embargoed: false }],
    ]);
    const [incidentVerdict] = await app.incidents.verify([incidentId]);
    expect(incidentVerdict).toMatchObject({ verdict: { ok: true }, projectionMatches: true });
    expect(await app.advisories.verify(state.id)).toMatchObject({ verdict: { ok: true, events: 4 }, projectionMatches: true });
  });

  it('refuses self-approval and an incomplete publication without storing anything', async () => {
    const { state } = await app.advisories.draft(incidentId, { title: 'Needs work', cve: 'reserved' }, { actor: 'author' });
    await app.advisories.execute(state.id, { type: 'submit' }, { actor: 'author' });
    const self = await refusal(app.advisories.execute(state.id, { type: 'approve' }, { actor: 'author' }));
    expect(self.code).toBe('FB_ERR_ADVISORY_SELF_APPROVAL');
    expect((await app.advisories.events(state.id)).map((e) => e.type)).toEqual(['drafted', 'submitted']);

    await app.advisories.execute(state.id, { type: 'approve' }, { actor: 'reviewer' });
    const incomplete = await refusal(app.advisories.execute(state.id, { type: 'publish' }, { actor: 'author' }));
    expect(incomplete.code).toBe('FB_ERR_ADVISORY_INCOMPLETE');
    expect(incomplete.message).toBe(
      'cannot publish ESA-2026-001: required fields missing: summary, impact, cvss (cvssV3 or cvssV4), cwes, cve (reserved: fill in the assigned id, or "none"), packages, resolution',
    );
    expect((await app.advisories.get(state.id)).status).toBe('approved');
  });

  it('refuses edits that break a field and keeps the stored advisory as it was', async () => {
    const { state } = await app.advisories.draft(incidentId, iso.content, { actor: 'author' });
    const error = await refusal(app.advisories.execute(state.id, { type: 'edit', changes: { cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q', bogus: 1 } }, { actor: 'author' }));
    expect(error.code).toBe('FB_ERR_INPUT_INVALID');
    expect(error.message).toMatch(/Unrecognized key: "bogus"/);
    const cvss = await refusal(app.advisories.execute(state.id, { type: 'edit', changes: { cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q' } }, { actor: 'author' }));
    expect(cvss.message).toBe('cvssV3: metric A has value Q; allowed: N, L, H');
    expect((await app.advisories.get(state.id)).version).toBe(1);
  });

  it('exports a draft preview of the working copy before anything is published', async () => {
    const { state } = await app.advisories.draft(incidentId, iso.content, { actor: 'author' });
    const csaf = JSON.parse(await app.advisories.export(state.id, 'csaf', { which: 'working' })) as { document: { tracking: { status: string; version: string } } };
    expect(csaf.document.tracking).toMatchObject({ status: 'draft', version: '0' });
  });
});
