/**
 * Backup, restore, export and import on this leg's back end: what goes out comes back
 * identical and verifiable, a store holding data is never overwritten by accident, and a
 * file that was altered or damaged is refused, naming where, with nothing written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStore, restoreStore } from '../../src/app/backup-service.js';
import { exportIncidentLogs, importIncidentLogs } from '../../src/app/incident-log-transfer.js';
import { FirebreakError } from '../../src/domain/errors.js';
import { countRows } from '../../src/store/store-tables.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createEmptyDatabase, createTestApp, type TestApp, type TestDatabase } from '../support/test-app.js';

let app: TestApp;
let dir: string;
const cleanup: (() => Promise<void>)[] = [];

beforeEach(async () => {
  app = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-transfer-'));
  const by = { actor: 'alice' };
  for (let i = 1; i <= 3; i += 1) {
    const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: `Incident ${i} — ✓`, reporter: { anonymous: true } }, by);
    await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'high' }, by);
    await app.incidents.execute(state.id, { type: 'add_note', text: `note for ${i}: 🔥` }, by);
  }
});

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function emptyStore(): Promise<{ store: Store; database: TestDatabase }> {
  const database = await createEmptyDatabase();
  const store = await openStore(database.location);
  cleanup.push(async () => {
    await store.close();
    await database.drop();
  });
  return { store, database };
}

async function exportToFile(store: Store): Promise<string> {
  const file = join(dir, 'export.jsonl');
  let text = '';
  await exportIncidentLogs(store, (line) => {
    text += line;
  }, new Date('2026-03-03T00:00:00Z'));
  writeFileSync(file, text);
  return file;
}

async function timelines(store: Store) {
  const rows = await store.db.selectFrom('events').select(['incident_id', 'seq', 'hash']).orderBy('incident_id').orderBy('seq').execute();
  return rows.map((r) => `${r.incident_id}#${r.seq}:${r.hash}`);
}

describe('backup and restore', () => {
  it('restores a backup into an empty store exactly, then refuses to overwrite it without force', async () => {
    const file = join(dir, 'backup');
    const backup = await backupStore(app.store, file, app.time.now());
    expect(backup.kind).toBe(app.store.dialect === 'sqlite' ? 'sqlite-file' : 'logical-dump');
    expect(backup.tables.find((t) => t.name === 'events')?.rows).toBe(9);

    const { store } = await emptyStore();
    const report = await restoreStore(store, file);
    expect(report).toMatchObject({ incidents: 3, events: 9, chainsVerified: 3 });
    expect(await timelines(store)).toEqual(await timelines(app.store));

    await app.incidents.execute('INC-2026-0001', { type: 'add_note', text: 'after the backup' }, { actor: 'alice' });
    const again = await restoreStore(store, file).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'FB_ERR_TRANSFER_TARGET_NOT_EMPTY' });
    expect(await countRows(store.db, 'events')).toBe(9);

    await backupStore(app.store, file, app.time.now());
    const forced = await restoreStore(store, file, { force: true });
    expect(forced.events).toBe(10);
    expect(await timelines(store)).toEqual(await timelines(app.store));
  });

  it('a restored store keeps numbering incidents after the restored ones', async () => {
    const file = join(dir, 'backup');
    await backupStore(app.store, file, app.time.now());
    await app.close();
    const target = await createTestApp();
    cleanup.push(() => target.close());
    // createTestApp loaded the plans: a store holding only plans counts as empty.
    await restoreStore(target.store, file);
    const { state } = await target.incidents.report('nist-800-61r3', { type: 'report', title: 'next', reporter: { anonymous: true } }, { actor: 'bob' });
    expect(state.id).toBe('INC-2026-0004');
    app = await createTestApp(); // afterEach closes it
  });

  it('refuses a file that is not a backup, and a damaged dump, naming the problem', async () => {
    const { store } = await emptyStore();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    await expect(restoreStore(store, text)).rejects.toMatchObject({ code: 'FB_ERR_TRANSFER_FILE_INVALID' });
    const missing = await restoreStore(store, join(dir, 'nope')).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'file' }] });

    const gzipOfGarbage = join(dir, 'garbage.gz');
    writeFileSync(gzipOfGarbage, gzipSync('{"not":"a header"}\n'));
    await expect(restoreStore(store, gzipOfGarbage)).rejects.toMatchObject({ code: 'FB_ERR_TRANSFER_FILE_INVALID', fields: [{ path: 'line 1' }] });

    const truncated = join(dir, 'truncated.gz');
    const header = { format: 'firebreak-dump', version: 1, dialect: 'sqlite', createdAt: 'x', migrations: ['001-core'], tables: [{ name: 'counters', rows: 2 }] };
    writeFileSync(truncated, gzipSync(`${JSON.stringify(header)}\n${JSON.stringify({ t: 'counters', r: { name: 'incident:2026', value: 3 } })}\n`));
    const short = await restoreStore(store, truncated).catch((e: unknown) => e);
    expect(short).toMatchObject({ code: 'FB_ERR_TRANSFER_CHECK_FAILED' });
    expect(await countRows(store.db, 'counters')).toBe(0);
  });
});

describe('export and import', () => {
  it('carries every log into an empty store; the chains verify there and a second import is refused', async () => {
    const file = await exportToFile(app.store);
    const { store } = await emptyStore();
    const summary = await importIncidentLogs(store, file);
    expect(summary).toMatchObject({ incidents: 3, events: 9 });
    expect(await timelines(store)).toEqual(await timelines(app.store));
    const target = await createTestApp();
    cleanup.push(() => target.close());
    await importIncidentLogs(target.store, file);
    const verdicts = await target.incidents.verify();
    expect(verdicts.map((v) => v.verdict.ok && v.projectionMatches)).toEqual([true, true, true]);
    const next = await target.incidents.report('nist-800-61r3', { type: 'report', title: 'next', reporter: { anonymous: true } }, { actor: 'bob' });
    expect(next.state.id).toBe('INC-2026-0004');

    await expect(importIncidentLogs(store, file)).rejects.toMatchObject({ code: 'FB_ERR_TRANSFER_INCIDENT_EXISTS' });
    expect(await countRows(store.db, 'events')).toBe(9);
  });

  it.each([
    ['an altered event', (lines: string[]) => lines.map((l) => l.replace('note for 2: 🔥', 'note for 2: nothing happened')), 'INC-2026-0002#3', /altered/],
    ['a removed event', (lines: string[]) => lines.filter((l) => !(l.includes('"INC-2026-0003"') && l.includes('"seq":2,'))), 'INC-2026-0003#3', /missing/],
  ])('refuses %s, naming the incident and seq, and imports nothing', async (_what, tamper, where, reason) => {
    const file = await exportToFile(app.store);
    writeFileSync(file, tamper(readFileSync(file, 'utf8').split('\n')).join('\n'));
    const { store } = await emptyStore();
    const error = await importIncidentLogs(store, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirebreakError);
    expect(error).toMatchObject({ code: 'FB_ERR_CHAIN_BROKEN', fields: [{ path: where, message: expect.stringMatching(reason) }] });
    expect((error as Error).message).toContain(where.split('#')[0]!);
    expect(await countRows(store.db, 'events')).toBe(0);
    expect(await countRows(store.db, 'plans')).toBe(0);
  });

  it('refuses a malformed line, naming its number', async () => {
    const file = await exportToFile(app.store);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(3, 0, '{"kind":"event","event":{"seq":"one"}}');
    writeFileSync(file, lines.join('\n'));
    const { store } = await emptyStore();
    await expect(importIncidentLogs(store, file)).rejects.toMatchObject({ code: 'FB_ERR_TRANSFER_FILE_INVALID', fields: [{ path: 'line 4' }] });
    writeFileSync(file, 'not json\n');
    await expect(importIncidentLogs(store, file)).rejects.toMatchObject({ code: 'FB_ERR_TRANSFER_FILE_INVALID', fields: [{ path: 'line 1' }] });
  });
});
