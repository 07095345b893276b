/**
 * The whole-store commands as users run them (the built CLI in a child process), on this
 * leg's back end: exit codes, refusals that name the problem, and plain progress lines on
 * stderr when it is not a terminal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliFor, runCli } from '../../support/cli.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/test-app.js';

let dir: string;
const databases: TestDatabase[] = [];
async function database(): Promise<string> {
  const db = await createEmptyDatabase();
  databases.push(db);
  return db.location;
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-store-cli-'));
});
afterAll(async () => {
  for (const db of databases) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('firebreak backup / restore / export / import / migrate-store', () => {
  it('round-trips a store and refuses what it must, with the documented exit codes', { timeout: 300_000 }, async () => {
    const source = cliFor(await database());
    await source.ok('report', '--plan', 'nist-800-61r3', '--title', 'Leaked token', '--reporter', 'dana');
    await source.ok('note', 'INC-2026-0001', 'rotated the token');

    const backup = join(dir, 'store.backup');
    expect((await source.run('backup', backup)).code).toBe(0);
    const target = cliFor(await database());
    const restored = await target.run('restore', backup);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/1 incidents, 2 events; .*all 1 hash chains verify/);
    const again = await target.run('restore', backup);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/is not empty: .*--force/);
    expect((await target.run('restore', '--force', backup)).code).toBe(0);
    expect((await target.run('verify')).code).toBe(0);

    const exported = join(dir, 'export.jsonl');
    const exportRun = await source.run('export', '--format', 'jsonl', '--out', exported);
    expect(exportRun.code).toBe(0);
    expect(exportRun.stderr).toMatch(/Exported 1 incidents \(2 events\)/);
    expect((await source.run('export', '--format', 'csv')).code).toBe(2);

    writeFileSync(exported, readFileSync(exported, 'utf8').replace('rotated the token', 'did nothing'));
    const fresh = cliFor(await database());
    const tampered = await fresh.run('import', exported);
    expect(tampered.code).toBe(4);
    expect(tampered.stderr).toMatch(/INC-2026-0001: the hash chain breaks at event #2/);
    expect(await fresh.json<unknown[]>('list')).toEqual([]);
  });

  it('backup and restore carry the evidence files; verify re-hashes them in the restored data directory', { timeout: 300_000 }, async () => {
    const dataA = join(dir, 'data-a');
    const dataB = join(dir, 'data-b');
    const source = cliFor(await database(), { FIREBREAK_DATA_DIR: dataA });
    await source.ok('report', '--plan', 'nist-800-61r3', '--title', 'Leaked token', '--reporter', 'dana');
    const log = join(dir, 'ci.log');
    writeFileSync(log, 'token=ghs_redacted\n'.repeat(50));
    await source.ok('evidence', 'add', 'INC-2026-0001', log, '--description', 'CI log', '--source', 'runner-3');

    const backup = join(dir, 'with-evidence.backup');
    const made = await source.run('backup', backup, '--data-dir', dataA);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/1 evidence files \(\d+ bytes\) copied to .*with-evidence\.backup\.evidence, each re-hashed/);

    const targetDb = await database();
    const restored = await cliFor(targetDb).run('restore', backup, '--data-dir', dataB);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/1 evidence files \(\d+ bytes\) restored from/);
    expect((await cliFor(targetDb, { FIREBREAK_DATA_DIR: dataB }).run('verify')).code).toBe(0);
  });

  it('migrate-store copies with plain progress lines, and names a bad --from', { timeout: 300_000 }, async () => {
    const sqliteFile = join(dir, 'team.db');
    const team = cliFor(sqliteFile);
    for (const title of ['one', 'two', 'three']) await team.ok('report', '--plan', 'nist-800-61r3', '--title', title, '--reporter', 'dana');
    const to = await database();
    const migrated = await runCli(['migrate-store', '--from', `sqlite:${sqliteFile}`, '--to', to]);
    expect(migrated.code).toBe(0);
    expect(migrated.stderr).toMatch(/^copied \d+\/\d+ rows \(100%\)/m);
    expect(migrated.stdout).toMatch(/3 incidents, 3 events; every row count matches the source and all 3 hash chains verify/);
    expect(migrated.stdout).not.toMatch(/:[^@/]+@/); // no password printed

    const bad = await runCli(['migrate-store', '--from', 'mysql://x/y', '--to', to]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from: "mysql" is not a store/);
    const same = await runCli(['migrate-store', '--from', `sqlite:${sqliteFile}`, '--to', sqliteFile]);
    expect(same.code).toBe(2);
  });
});
