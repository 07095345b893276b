/**
 * The must-show of the provable record: a store changed behind Firebreak's back (the
 * append-only triggers dropped, as an attacker with database access would) no longer
 * matches the last signed checkpoint, and `verifyCheckpoint` names the incident and the
 * first missing or different event. Runs on this leg's back end (SQLite or PostgreSQL).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/chain/canonical-json.js';
import { sealEvents } from '../../../src/domain/chain/event-sealer.js';
import { GENESIS_HASH, replay } from '../../../src/domain/incident/state.js';
import { loadEvents, saveIncidentState } from '../../../src/store/incident-store.js';
import { dropAppendOnlyTriggers } from '../../support/tamper.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
const by = { actor: 'alice' };

async function tamperableApp(): Promise<TestApp> {
  const made = await createTestApp();
  await dropAppendOnlyTriggers(made.store);
  return made;
}

beforeEach(async () => {
  app = await tamperableApp();
});
afterEach(async () => {
  await app.close();
});

/** A confirmed incident with a few notes (and, when asked, a piece of evidence). */
async function incidentWith(notes: number, evidence = false): Promise<string> {
  const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Suspicious login', reporter: { anonymous: false, name: 'bob' } }, by);
  await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'high' }, by);
  for (let i = 0; i < notes; i++) await app.incidents.execute(state.id, { type: 'add_note', text: `note ${i}` }, by);
  if (evidence) await app.evidence.addText(state.id, { kind: 'text', text: `auth.log for ${state.id}` }, { description: 'auth.log excerpt', source: 'bastion' }, by);
  return state.id;
}

async function freshCheckpoint(): Promise<string> {
  const { checkpoint } = await app.record.checkpoint();
  return checkpoint.text;
}

/** Rewrites the projection from what is left of the log, as an attacker covering tracks would. */
async function rewriteProjection(incidentId: string): Promise<void> {
  await app.store.transaction(async (trx) => {
    const state = replay(await loadEvents(trx, incidentId));
    if (state) await saveIncidentState(trx, state, false);
  });
}

async function cutTail(incidentId: string, keep: number): Promise<void> {
  await app.store.db.deleteFrom('events').where('incident_id', '=', incidentId).where('seq', '>', keep).execute();
  await rewriteProjection(incidentId);
}

/** Changes one event's text and re-seals every event after it, so the chain itself verifies. */
async function rewriteAndRehash(incidentId: string, seq: number): Promise<void> {
  const events = await loadEvents(app.store.db, incidentId);
  const before = events.slice(0, seq - 1);
  const head = before.length ? { version: before.length, lastHash: before[before.length - 1]!.hash } : { version: 0, lastHash: GENESIS_HASH };
  const changed = events.slice(seq - 1).map((e, i) => (i === 0 ? { ...e, data: { ...(e.data as object), rewritten: true } } : e));
  await app.store.db.deleteFrom('events').where('incident_id', '=', incidentId).where('seq', '>=', seq).execute();
  const resealed = [];
  let link = head;
  for (const e of changed) {
    const [sealed] = sealEvents('incidentId', incidentId, link, [{ type: e.type, data: e.data }], { actor: e.actor, occurredAt: e.occurredAt, recordedAt: e.recordedAt });
    resealed.push(sealed!);
    link = { version: sealed!.seq, lastHash: sealed!.hash };
  }
  await app.store.db
    .insertInto('events')
    .values(resealed.map((e) => ({ incident_id: incidentId, seq: e.seq, type: e.type, data: canonicalJson(e.data), occurred_at: e.occurredAt, recorded_at: e.recordedAt, actor: e.actor, prev_hash: e.prevHash, hash: e.hash })))
    .execute();
  await rewriteProjection(incidentId);
}

async function problemsAgainst(checkpoint: string) {
  return app.record.verifyCheckpoint(checkpoint);
}

/** The problems found, each about the incident given (a plan swap also has one about the plan). */
async function problemsOf(checkpoint: string, incidentId: string) {
  const verdict = await problemsAgainst(checkpoint);
  expect(verdict.ok).toBe(false);
  return verdict.problems.filter((p) => p.incidentId === incidentId);
}

describe(`verify --checkpoint on a tampered ${process.env['FIREBREAK_TEST_BACKEND'] ?? 'sqlite'} store`, () => {
  it('passes a clean store, signed by the instance key', async () => {
    await incidentWith(2, true);
    await incidentWith(1);
    const verdict = await problemsAgainst(await freshCheckpoint());
    expect(verdict).toMatchObject({ ok: true, problems: [] });
    expect(verdict.signedBy).toEqual([app.record.keyring.signing.name]);
    expect(verdict.size).toBeGreaterThan(2);
  });

  it('names the incident and its first missing event when a tail is cut and the projection rewritten', async () => {
    const id = await incidentWith(4);
    const checkpoint = await freshCheckpoint();
    const total = (await loadEvents(app.store.db, id)).length;
    await cutTail(id, total - 3);
    // The plain chain check is fooled: the shorter chain and its rewritten projection agree.
    const [plain] = await app.incidents.verify([id]);
    expect(plain).toMatchObject({ verdict: { ok: true }, projectionMatches: true });
    const verdict = await problemsAgainst(checkpoint);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([{ chain: `incident ${id}`, incidentId: id, seq: total - 2, reason: `event #${total - 2} is missing: the log ends at #${total - 3}, the checkpoint covers #${total}` }]);
    // Nor is the cut laundered into a new checkpoint.
    await expect(app.record.checkpoint()).rejects.toMatchObject({ code: 'FB_ERR_CHECKPOINT_DIVERGED' });
    expect(app.record.lastSelfCheck).toMatchObject({ ok: false, problems: [{ incidentId: id, seq: total - 2 }] });
  });

  it('names a whole incident deleted (events and row)', async () => {
    const id = await incidentWith(1);
    const checkpoint = await freshCheckpoint();
    await app.store.db.deleteFrom('events').where('incident_id', '=', id).execute();
    await app.store.db.deleteFrom('incidents').where('id', '=', id).execute();
    expect(await problemsOf(checkpoint, id)).toEqual([expect.objectContaining({ incidentId: id, seq: 1, reason: expect.stringMatching(/^missing from the store/) })]);
  });

  it("names both incidents when two incidents' events are swapped", async () => {
    const a = await incidentWith(1);
    const b = await incidentWith(1);
    const checkpoint = await freshCheckpoint();
    const [ea] = await loadEvents(app.store.db, a, { afterSeq: 2, limit: 1 });
    const [eb] = await loadEvents(app.store.db, b, { afterSeq: 2, limit: 1 });
    // Each incident's third event takes the other's place: same seq, the other's content and hashes.
    for (const [target, source] of [[a, eb!], [b, ea!]] as const) {
      await app.store.db
        .updateTable('events')
        .set({ data: canonicalJson(source.data), prev_hash: source.prevHash, hash: source.hash, recorded_at: source.recordedAt, occurred_at: source.occurredAt })
        .where('incident_id', '=', target)
        .where('seq', '=', 3)
        .execute();
    }
    const verdict = await problemsAgainst(checkpoint);
    expect(verdict.problems.filter((p) => p.seq === 3).map((p) => p.incidentId).sort()).toEqual([a, b].sort());
  });

  it('names the incident whose evidence file was replaced on disk', async () => {
    const id = await incidentWith(0, true);
    const checkpoint = await freshCheckpoint();
    const [item] = await app.store.db.selectFrom('evidence_items').select(['sha256']).where('incident_id', '=', id).execute();
    const path = join(app.dataDir, 'evidence', item!.sha256.slice(0, 2), item!.sha256.slice(2, 4), item!.sha256);
    writeFileSync(path, 'someone else wrote this');
    expect(await problemsOf(checkpoint, id)).toEqual([expect.objectContaining({ incidentId: id, reason: expect.stringMatching(/stored bytes changed/) })]);
  });

  it('names every incident that ran under a plan version whose row was swapped', async () => {
    const id = await incidentWith(0);
    const checkpoint = await freshCheckpoint();
    const pinned = await app.store.db.selectFrom('incidents').select(['plan_id', 'plan_version']).where('id', '=', id).executeTakeFirstOrThrow();
    const other = await app.store.db.selectFrom('plans').select('content').where('id', '!=', pinned.plan_id).executeTakeFirstOrThrow();
    const asText = (c: unknown) => (typeof c === 'string' ? c : JSON.stringify(c));
    await app.store.db.updateTable('plans').set({ content: asText(other.content) }).where('id', '=', pinned.plan_id).where('version', '=', pinned.plan_version).execute();
    const verdict = await problemsAgainst(checkpoint);
    const chain = `plan ${pinned.plan_id}@${pinned.plan_version}`;
    expect(verdict.problems.filter((p) => p.chain === chain && !p.incidentId)).toEqual([{ chain, reason: 'the stored content of this plan version differs from the checkpoint' }]);
    expect(await problemsOf(checkpoint, id)).toEqual([{ chain, incidentId: id, reason: `ran under plan ${pinned.plan_id}@${pinned.plan_version}: the stored content of this plan version differs from the checkpoint` }]);
  });

  it('names the incident whose event was rewritten and every later hash recomputed', async () => {
    const id = await incidentWith(3);
    const checkpoint = await freshCheckpoint();
    const total = (await loadEvents(app.store.db, id)).length;
    await rewriteAndRehash(id, 2);
    expect(await problemsOf(checkpoint, id)).toEqual([expect.objectContaining({ incidentId: id, seq: total, reason: expect.stringMatching(/differs from the checkpoint/) })]);
  });

  it('detects every random single modification of a random store (100 %)', async () => {
    const modifications = ['cut-tail', 'delete-incident', 'delete-middle', 'alter-event', 'rewrite-rehash', 'delete-row'] as const;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...modifications), fc.nat(), async (incidents, notes, modification, pick) => {
        await app.close();
        app = await tamperableApp();
        const ids: string[] = [];
        for (let i = 0; i < incidents; i++) ids.push(await incidentWith(notes));
        const checkpoint = await freshCheckpoint();
        expect((await problemsAgainst(checkpoint)).ok).toBe(true);
        const target = ids[pick % ids.length]!;
        const total = (await loadEvents(app.store.db, target)).length;
        const seq = 1 + (pick % total);
        if (modification === 'cut-tail') await cutTail(target, seq - 1);
        if (modification === 'delete-incident') {
          await app.store.db.deleteFrom('events').where('incident_id', '=', target).execute();
          await app.store.db.deleteFrom('incidents').where('id', '=', target).execute();
        }
        if (modification === 'delete-middle') await app.store.db.deleteFrom('events').where('incident_id', '=', target).where('seq', '=', seq).execute();
        if (modification === 'alter-event') await app.store.db.updateTable('events').set({ actor: 'mallory' }).where('incident_id', '=', target).where('seq', '=', seq).execute();
        if (modification === 'rewrite-rehash') await rewriteAndRehash(target, seq);
        if (modification === 'delete-row') await app.store.db.deleteFrom('incidents').where('id', '=', target).execute();
        const verdict = await problemsAgainst(checkpoint);
        expect(verdict.ok).toBe(false);
        expect(verdict.problems.length).toBeGreaterThan(0);
        expect(verdict.problems.every((p) => p.incidentId === target)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });
});
