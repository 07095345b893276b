/**
 * A bundle exported by the server (HTTP) is checked in a fresh directory by the standalone
 * verifier alone (the script copied there, no Firebreak code beside it), and flipping any
 * byte of it makes that verifier fail.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness;
beforeAll(async () => {
  h = await createHttpHarness();
});
afterAll(async () => {
  await h.close();
});

describe('incident bundle', () => {
  it('verifies with tools/verify-bundle.mjs alone, and fails for any flipped byte', async () => {
    const by = { actor: 'alice' };
    const { state } = await h.app.incidents.report('nist-800-61r3', { type: 'report', title: 'Token leaked', reporter: { anonymous: true } }, by);
    await h.app.incidents.execute(state.id, { type: 'add_note', text: 'rotated the token' }, by);
    const response = await h.call('admin', 'GET', `/api/v1/incidents/${state.id}/bundle`);
    expect(response.statusCode).toBe(200);
    const bytes = response.rawPayload;

    const dir = mkdtempSync(join(tmpdir(), 'firebreak-auditor-'));
    copyFileSync(new URL('../../../tools/verify-bundle.mjs', import.meta.url), join(dir, 'verify-bundle.mjs'));
    writeFileSync(join(dir, 'bundle.json'), bytes);
    const out = execFileSync(process.execPath, ['verify-bundle.mjs', 'bundle.json'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(new RegExp(`^ok: ${state.id}, 2 events`));

    const { verifyBundle } = (await import(pathToFileURL(join(dir, 'verify-bundle.mjs')).href)) as { verifyBundle: (b: Uint8Array) => string };
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const changed = Buffer.from(bytes);
        changed[at] = changed[at]! ^ flip;
        expect(() => verifyBundle(changed)).toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
