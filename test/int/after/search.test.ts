import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyIntoStore, storeRowSource } from '../../../src/app/store-transfer.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
let open: string;
let restricted: string;

beforeAll(async () => {
  app = await createTestApp();
  const a = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Leaked deploy token in CI logs', summary: 'A GitHub Actions log printed the registry token', reporter: { anonymous: false, name: 'ann' } }, { actor: 'ann' });
  open = a.state.id;
  await app.incidents.execute(open, { type: 'add_note', text: 'Rotated the registry credentials at 10:05' }, { actor: 'ann' });
  await app.incidents.execute(open, { type: 'post_sitrep', text: 'Token revoked; auditing pulls from the registry' }, { actor: 'ann' });
  await app.evidence.addText(open, { kind: 'text', text: 'token=ghs_xxx' }, { description: 'Workflow log showing the leaked token', source: 'GitHub Actions' }, { actor: 'ann' });
  const b = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Suspicious registry pulls from an unknown ASN', reporter: { anonymous: false, name: 'bob' }, restricted: true }, { actor: 'bob' });
  restricted = b.state.id;
  await app.incidents.execute(restricted, { type: 'triage', decision: 'dismiss', reason: 'pulls came from our own mirror' }, { actor: 'bob' });
});

afterAll(async () => {
  await app.close();
});

describe('full-text search', () => {
  it('finds titles, notes, sitreps, timeline entries and evidence descriptions', async () => {
    const kinds = async (q: string) => (await app.search.search(q)).map((h) => `${h.incidentId}:${h.kind}`).sort();
    expect(await kinds('rotated credentials')).toEqual([`${open}:note`]);
    expect(await kinds('auditing')).toEqual([`${open}:sitrep`]);
    expect(await kinds('workflow log')).toEqual([`${open}:evidence`]);
    expect(await kinds('mirror')).toEqual([`${restricted}:timeline`]);
    expect(await kinds('registry')).toEqual([`${open}:incident`, `${open}:note`, `${open}:sitrep`, `${restricted}:incident`].sort());
    const [hit] = await app.search.search('leaked deploy');
    expect(hit).toMatchObject({ incidentId: open, kind: 'incident', incidentTitle: 'Leaked deploy token in CI logs' });
    expect(hit!.snippet).toContain('[Leaked]');
  });

  it('matches prefixes and ignores query syntax in user input', async () => {
    expect((await app.search.search('rotat')).length).toBe(1);
    // FTS5 operators in user input are plain characters, not syntax: no error, same hits as the word.
    expect((await app.search.search('"registry"* ^(')).length).toBe((await app.search.search('registry')).length);
    await expect(app.search.search('  ** ')).rejects.toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'text' }] });
  });

  it('returns only incidents the caller may see, by id set or predicate', async () => {
    expect((await app.search.search('registry', { visible: new Set([open]) })).every((h) => h.incidentId === open)).toBe(true);
    expect((await app.search.search('registry', { visible: (id) => id === restricted })).map((h) => h.incidentId)).toEqual([restricted]);
    expect(await app.search.search('registry', { visible: new Set() })).toEqual([]);
  });

  it('indexes in the same transaction as the append: a refused command indexes nothing', async () => {
    await expect(app.incidents.execute(restricted, { type: 'post_sitrep', text: 'zebra crossing' }, { actor: 'bob' })).rejects.toMatchObject({ code: 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION' });
    expect(await app.search.search('zebra')).toEqual([]);
  });

  it('is rebuilt from the log when a store is copied into another', async () => {
    const target = await createTestApp();
    try {
      await copyIntoStore(await storeRowSource(app.store), target.store, { force: true });
      expect((await target.search.search('rotated credentials')).map((h) => h.incidentId)).toEqual([open]);
      expect(await target.search.search('registry')).toHaveLength((await app.search.search('registry')).length);
    } finally {
      await target.close();
    }
  });
});
