/**
 * `firebreak checkpoint` and `firebreak verify --checkpoint FILE` as an operator runs them
 * (the built CLI in a child process): a clean store passes, a cut tail exits 1 naming the
 * incident and its first missing event, and a witness file's last line is read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvents } from '../../../src/store/incident-store.js';
import { assertBuilt, runCli } from '../../support/cli.js';
import { dropAppendOnlyTriggers } from '../../support/tamper.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'firebreak-checkpoint-cli-'));

beforeAll(async () => {
  assertBuilt();
  app = await createTestApp();
  env = { FIREBREAK_DB: app.database, FIREBREAK_DATA_DIR: app.dataDir };
});
afterAll(async () => {
  await app.close();
});

describe('firebreak verify --checkpoint', () => {
  it('passes a clean store and names the incident whose tail was cut', async () => {
    const by = { actor: 'alice' };
    const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Suspicious login', reporter: { anonymous: true } }, by);
    for (const text of ['one', 'two', 'three']) await app.incidents.execute(state.id, { type: 'add_note', text }, by);

    const made = await runCli(['checkpoint'], env);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const file = join(dir, 'latest.checkpoint');
    writeFileSync(file, `${made.stdout}`);
    const witness = join(dir, 'witness.jsonl');
    writeFileSync(witness, `${JSON.stringify({ seq: 1, createdAt: 'x', checkpoint: 'not used' })}\n${JSON.stringify({ seq: 2, createdAt: 'y', checkpoint: made.stdout })}\n`);

    const keys = await runCli(['checkpoint', 'key'], env);
    expect(keys.stdout.trim()).toMatch(/^\S+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);

    const clean = await runCli(['verify', '--checkpoint', file], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('Every chain the checkpoint covers is present and extends it.');
    expect((await runCli(['verify', '--checkpoint', witness], env)).code).toBe(0);

    await dropAppendOnlyTriggers(app.store);
    await app.store.db.deleteFrom('events').where('incident_id', '=', state.id).where('seq', '>', 2).execute();
    expect(await loadEvents(app.store.db, state.id)).toHaveLength(2);
    const cut = await runCli(['verify', '--checkpoint', file], env);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain(`BROKEN  incident ${state.id}  event #3 is missing: the log ends at #2, the checkpoint covers #4`);

    const missing = await runCli(['verify', '--checkpoint', join(dir, 'nope')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--checkpoint.*cannot read/);
  });
});
