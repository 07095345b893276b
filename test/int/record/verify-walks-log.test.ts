/**
 * `verify` lists incidents from the event log, not from the incidents table: deleting an
 * incident's row must not hide an incident whose events remain (issue 30, item 6).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('verify', () => {
  it('names an incident whose row was deleted while its events remain, and still verifies its chain', async () => {
    const by = { actor: 'alice' };
    const kept = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'kept', reporter: { anonymous: true } }, by);
    const hidden = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'hidden', reporter: { anonymous: true } }, by);
    await app.incidents.execute(hidden.state.id, { type: 'add_note', text: 'evidence of the intrusion' }, by);
    // No trigger guards the projection table: an attacker only needs a DELETE.
    await app.store.db.deleteFrom('incidents').where('id', '=', hidden.state.id).execute();

    const verdicts = await app.incidents.verify();
    expect(verdicts.map((v) => v.incidentId)).toEqual([kept.state.id, hidden.state.id].sort());
    const found = verdicts.find((v) => v.incidentId === hidden.state.id);
    expect(found).toMatchObject({ verdict: { ok: true, events: 2 }, projectionMatches: false, problems: ['its row in the incidents table is missing: 2 events remain in the log'] });
    expect(verdicts.find((v) => v.incidentId === kept.state.id)).toMatchObject({ verdict: { ok: true }, projectionMatches: true, problems: [] });
  });
});
