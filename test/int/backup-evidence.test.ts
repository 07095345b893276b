/**
 * Backup and restore carry the evidence files (the content-addressed bytes under the data
 * directory), not only the database rows that name them: the restored store's evidence
 * re-hashes clean, and a backup whose evidence file was altered is refused before
 * anything is written. Runs on this leg's back end.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStore, type RestoreReport, restoreStore } from '../../src/app/backup-service.js';
import { createApp, type FirebreakApp } from '../../src/app/firebreak-app.js';
import { evidenceBackupDirectory } from '../../src/app/evidence-backup.js';
import { FsEvidenceStorage } from '../../src/integrations/evidence-storage/fs-evidence-storage.js';
import { countRows } from '../../src/store/store-tables.js';
import { openStore } from '../../src/store/store.js';
import { createEmptyDatabase, createTestApp, type TestApp, type TestDatabase } from '../support/test-app.js';

let app: TestApp;
let dir: string;
let incidentId: string;
const cleanup: (() => Promise<void>)[] = [];
const fileBytes = Buffer.from('2026-03-02T09:14:03Z sshd[811]: Accepted publickey for deploy from 203.0.113.7\n'.repeat(200));

beforeEach(async () => {
  app = await createTestApp();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-backup-evidence-'));
  const by = { actor: 'alice' };
  const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Deploy key used from an unknown address', reporter: { anonymous: true } }, by);
  await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'high' }, by);
  incidentId = state.id;
  await app.evidence.addFile(incidentId, Readable.from([fileBytes]), { description: 'auth.log of the bastion', source: 'bastion-1', filename: 'auth.log' }, by);
  await app.evidence.addText(incidentId, { kind: 'text', text: 'deploy key fingerprint SHA256:abc' }, { description: 'Key fingerprint', source: 'GitHub' }, by);
});

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An empty store with its own data directory, opened as a full app after the restore. */
async function emptyTarget(): Promise<{ database: TestDatabase; evidence: FsEvidenceStorage; dataDir: string }> {
  const database = await createEmptyDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-restore-data-'));
  cleanup.push(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { database, evidence: new FsEvidenceStorage(join(dataDir, 'evidence')), dataDir };
}

describe('evidence files in backup and restore', () => {
  it('copies every evidence file beside the backup and restores it; verify re-hashes clean in the new store', async () => {
    const file = join(dir, 'backup');
    const backup = await backupStore(app.store, file, app.time.now(), { evidence: app.evidence.storage });
    expect(backup.evidence).toMatchObject({ files: 2, problems: [] });
    expect(readdirSync(evidenceBackupDirectory(file)).sort()).toHaveLength(3); // two blobs + manifest.json

    const target = await emptyTarget();
    const store = await openStore(target.database.location);
    let report: RestoreReport;
    try {
      report = await restoreStore(store, file, { evidence: target.evidence });
    } finally {
      await store.close();
    }
    expect(report.evidence).toMatchObject({ files: 2, bytes: backup.evidence!.bytes, missing: [] });

    let restored: FirebreakApp | undefined;
    try {
      restored = await createApp({ database: target.database.location, dataDir: target.dataDir });
      const [verdict] = await restored.incidents.verify([incidentId]);
      expect(verdict).toMatchObject({ verdict: { ok: true }, projectionMatches: true, problems: [] });
      const items = await restored.evidence.list(incidentId);
      const fileItem = items.find((i) => i.kind === 'file')!;
      const chunks: Buffer[] = [];
      for await (const chunk of await restored.evidence.storage.get(fileItem.sha256)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(fileBytes)).toBe(true);
    } finally {
      await restored?.close();
    }
  });

  it('refuses a backup whose evidence file was altered, naming it, and writes nothing', async () => {
    const file = join(dir, 'backup');
    await backupStore(app.store, file, app.time.now(), { evidence: app.evidence.storage });
    const [item] = (await app.evidence.list(incidentId)).filter((i) => i.kind === 'file');
    const copy = join(evidenceBackupDirectory(file), item!.sha256);
    chmodSync(copy, 0o600);
    writeFileSync(copy, Buffer.concat([fileBytes.subarray(0, 100), Buffer.from('X'), fileBytes.subarray(101)]));

    const target = await emptyTarget();
    const store = await openStore(target.database.location);
    try {
      const error = await restoreStore(store, file, { evidence: target.evidence }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'FB_ERR_TRANSFER_FILE_INVALID' });
      expect((error as Error).message).toContain(item!.sha256);
      expect((error as Error).message).toContain('no longer match');
      expect(await countRows(store.db, 'events')).toBe(0);
      expect(await target.evidence.exists(item!.sha256)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('reports an evidence file missing from the data directory at backup time, and names it after the restore', async () => {
    const [item] = (await app.evidence.list(incidentId)).filter((i) => i.kind === 'file');
    rmSync((app.evidence.storage as FsEvidenceStorage).pathOf(item!.sha256), { force: true });
    const file = join(dir, 'backup');
    const backup = await backupStore(app.store, file, app.time.now(), { evidence: app.evidence.storage });
    expect(backup.evidence).toMatchObject({ files: 1, problems: [{ sha256: item!.sha256, problem: 'missing' }] });

    const target = await emptyTarget();
    const store = await openStore(target.database.location);
    try {
      const report = await restoreStore(store, file, { evidence: target.evidence });
      expect(report.evidence?.missing).toEqual([item!.sha256]);
    } finally {
      await store.close();
    }
  });
});
