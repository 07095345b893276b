/**
 * `firebreak doctor` through the built CLI: on a fresh database every built-in plan's
 * escalation reaches nobody (roles are vacant, no channel is configured), so it names the
 * plans and what to configure and exits 6; with the channels a plan's audiences use
 * configured, that plan is reported ok.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliFor } from '../../support/cli.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/test-app.js';

let db: TestDatabase | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  await db?.drop();
  db = undefined;
});

describe('firebreak doctor', () => {
  it('exits 6 naming each plan that would page nobody and what to configure', { timeout: 120_000 }, async () => {
    db = await createEmptyDatabase();
    const cli = cliFor(db.location);
    const result = await cli.run('doctor');
    expect(result.code).toBe(6);
    expect(result.stdout).toMatch(/^NOBODY {2}nist-800-61r3: nobody$/m);
    expect(result.stdout).toMatch(/plan nist-800-61r3 \(.+\): an unacknowledged .+ event would page nobody — level 1: role ic is vacant; level 2: role tech-lead is vacant; audience .+ has no channel configured \(firebreak channels set/);
    expect(result.stderr).toContain('would page nobody');
  });
});
