/**
 * The store on this leg's back end (SQLite or PostgreSQL, see FIREBREAK_TEST_BACKEND):
 * the same commands, reads and verification must behave identically on both, including
 * JSON round trips through `jsonb` and concurrent writers inside one process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planHash } from '../../src/app/plan-catalog.js';
import { FirebreakError } from '../../src/domain/errors.js';
import { appendEvents, loadEvents } from '../../src/store/incident-store.js';
import { listStoredPlans } from '../../src/store/plan-store.js';
import { isWriteConflict, retryOnWriteConflict } from '../../src/store/write-conflict.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(async () => {
  await app.close();
});

const by = { actor: 'alice' };

async function reportOne(title = 'Suspicious login') {
  return app.incidents.report('nist-800-61r3', { type: 'report', title, reporter: { anonymous: false, name: 'bob' } }, by);
}

describe(`store on ${process.env['FIREBREAK_TEST_BACKEND'] ?? 'sqlite'}`, () => {
  it('given a reported event, when it is triaged and worked, then the log replays and verifies', async () => {
    const { state } = await reportOne();
    await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'high' }, by);
    await app.incidents.execute(state.id, { type: 'acknowledge' }, by);
    await app.incidents.execute(state.id, { type: 'add_note', text: 'first look' }, by);
    const timeline = await app.incidents.timeline(state.id);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    const [verdict] = await app.incidents.verify([state.id]);
    expect(verdict?.verdict.ok).toBe(true);
    expect(verdict?.projectionMatches).toBe(true);
    expect((await app.incidents.get(state.id)).version).toBe(timeline.length);
  });

  it('keeps text exactly through the JSON column: unicode, escapes, line separators', async () => {
    const texts = ['Zoë’s ✓ 🔥 café — 東京', 'e\u0301 (combining) ‮rtl‬', 'line\u2028sep\u2029para\n\ttab "quotes" \\ back', 'x'.repeat(20_000)];
    const { state } = await reportOne('ünïcødé title 🔐');
    for (const text of texts) await app.incidents.execute(state.id, { type: 'add_note', text }, by);
    const notes = (await app.incidents.timeline(state.id)).filter((e) => e.type === 'note_added').map((e) => (e.data as { text: string }).text);
    expect(notes).toEqual(texts);
    const [verdict] = await app.incidents.verify([state.id]);
    expect(verdict?.verdict).toMatchObject({ ok: true });
    expect(verdict?.projectionMatches).toBe(true);
  });

  it('reads every stored plan back with the hash it was stored under (numbers survive jsonb)', async () => {
    const stored = await listStoredPlans(app.store.db);
    expect(stored.length).toBeGreaterThan(0);
    for (const s of stored) expect(planHash(s.plan), `${s.plan.id} ${s.plan.version}`).toBe(s.contentHash);
  });

  it.each([
    ['a NUL character', 'before\u0000after'],
    ['a lone surrogate', 'half \ud83d of an emoji'],
  ])('refuses text with %s (PostgreSQL cannot store it) and stores nothing', async (_what, text) => {
    const { state } = await reportOne();
    const error = await app.incidents.execute(state.id, { type: 'add_note', text }, by).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirebreakError);
    expect(error).toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'text' }] });
    expect((await app.incidents.get(state.id)).version).toBe(state.version);
    const reportError = await reportOne(text).catch((e: unknown) => e);
    expect(reportError).toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'title' }] });
    expect(await app.incidents.list()).toHaveLength(1);
  });

  it('numbers incidents without gaps or repeats when reports arrive at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => reportOne(`burst ${i}`)));
    const ids = results.map((r) => r.state.id).sort();
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `INC-2026-${String(i + 1).padStart(4, '0')}`));
  });

  it('serialises concurrent commands on one incident: no lost event, one unbroken chain', async () => {
    const { state } = await reportOne();
    await Promise.all(Array.from({ length: 30 }, (_, i) => app.incidents.execute(state.id, { type: 'add_note', text: `note ${i}` }, by)));
    const timeline = await app.incidents.timeline(state.id);
    const notes = timeline.filter((e) => e.type === 'note_added').map((e) => (e.data as { text: string }).text);
    expect(new Set(notes).size).toBe(30);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    const [verdict] = await app.incidents.verify([state.id]);
    expect(verdict?.verdict.ok).toBe(true);
    expect(verdict?.projectionMatches).toBe(true);
  });

  it('a second append at a taken seq fails as a write conflict; the retry runs again with fresh state', async () => {
    const { state } = await reportOne();
    const [first] = await loadEvents(app.store.db, state.id);
    const duplicate = app.store.transaction((trx) => appendEvents(trx, [first!]));
    const error = await duplicate.catch((e: unknown) => e);
    expect(isWriteConflict(error)).toBe(true);

    let attempts = 0;
    const result = await retryOnWriteConflict('test', async () => {
      attempts += 1;
      if (attempts === 1) await app.store.transaction((trx) => appendEvents(trx, [first!]));
      return app.incidents.execute(state.id, { type: 'add_note', text: 'after the race' }, by);
    });
    expect(attempts).toBe(2);
    expect(result.state.version).toBe(state.version + 1);

    const always = retryOnWriteConflict('the change to X', () => app.store.transaction((trx) => appendEvents(trx, [first!])), 3);
    await expect(always).rejects.toMatchObject({ code: 'FB_ERR_STORE_WRITE_CONFLICT', kind: 'conflict' });
    expect((await app.incidents.verify([state.id]))[0]?.verdict.ok).toBe(true);
  });
});
