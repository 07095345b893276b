/**
 * A whole incident under every built-in plan, driven only through the `firebreak`
 * command: report → triage → ack → assign → handoff → confirm → every phase with its
 * required items → sitrep → resolve → close → verify. Then tampering with one stored
 * byte makes `verify` fail and name the event.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../src/app/incident-view.js';
import type { Plan } from '../../../src/domain/plan/plan-schema.js';
import { assertBuilt, cliFor, cliForServer } from '../../support/cli.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { BUILT_IN_PLAN_IDS } from '../../support/plans.js';
import { testBackend } from '../../support/postgres.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Cli = ReturnType<typeof cliFor> | ReturnType<typeof cliForServer>;

// The local CLI opens a SQLite file on both legs, so on the PostgreSQL leg this block would
// repeat the SQLite leg exactly (and cost ~3 min of CI); the `--server` block below is the
// one that exercises PostgreSQL there.
describe.skipIf(testBackend() === 'postgres').each(BUILT_IN_PLAN_IDS)('a full incident under %s (local SQLite file)', (planId) => {
  it('runs from report to close and verifies', { timeout: 300_000 }, async () => {
    await runFullIncident(cliFor(join(dir, `${planId}.db`)), planId);
  });
});

// The same tests a second time, with every command going through a running server. The
// people are admins so that need-to-know plans (war rooms) do not hide the incident from
// the next person in the scenario; the policy itself is tested in test/int/http.
describe('with --server', () => {
  let h: HttpHarness;
  let base: string;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    h = await createHttpHarness({}, { start: new Date().toISOString() });
    base = await h.listen();
    for (const handle of ['cli-user', 'alice', 'bob']) {
      const user = await h.server.firebreak.auth.users.create({ email: `${handle}@example.org`, name: handle, handle, role: 'admin' });
      tokens.set(handle, (await h.server.firebreak.auth.createToken(user, { name: 'cli' })).secret);
    }
  });
  afterAll(async () => h.close());

  // On the SQLite leg the local block above already walks every plan; two plans through
  // the server prove the remote path there. On the PostgreSQL leg every plan goes through.
  const serverPlans = testBackend() === 'postgres' ? BUILT_IN_PLAN_IDS : BUILT_IN_PLAN_IDS.filter((id) => id === 'community-disclosure' || id === 'nist-team-procedures');
  it.each(serverPlans)('runs a full incident under %s from report to close and verifies', { timeout: 300_000 }, async (planId) => {
    await runFullIncident(cliForServer(base, (handle) => tokens.get(handle) ?? ''), planId);
  });
});

async function runFullIncident(cli: Cli, planId: string): Promise<void> {
  const plan = await cli.json<Plan>('plan', 'show', planId);
  const severity = plan.severities[0]!.id;
  const commander = plan.roles.find((r) => r.commander)!.id;

  const reported = await cli.json<IncidentView>('report', '--plan', planId, '--title', 'Signing key found in a public gist', '--reporter', 'dana', '--at', new Date(Date.now() - 3600_000).toISOString());
  const id = reported.incident.id;
  expect(reported.incident).toMatchObject({ kind: 'event', status: 'investigating' });

  await cli.ok('triage', id, '--confirm', '--severity', severity, '--by', 'alice');
  await cli.ok('ack', id, '--by', 'alice');
  await cli.ok('assign', id, '--role', commander, '--to', 'alice', '--by', 'alice');
  await cli.ok('handoff', id, '--role', commander, '--to', 'bob', '--briefing', 'Key revoked; rotation in progress', '--by', 'alice');
  const pending = await cli.json<IncidentView>('show', id);
  expect(pending.roles.find((r) => r.id === commander)).toMatchObject({ holder: 'alice', pendingHandoffTo: 'bob' });
  let view = await cli.json<IncidentView>('handoff-confirm', id, '--role', commander, '--by', 'bob');
  expect(view.roles.find((r) => r.id === commander)).toMatchObject({ holder: 'bob', pendingHandoffTo: null });
  for (const [index, phase] of plan.phases.entries()) {
    if (index > 0) {
      view = await cli.json<IncidentView>('phase', id, phase.id, '--by', 'bob');
      expect(view.incident.phase).toBe(phase.id);
    }
    for (const item of view.checklist.filter((c) => c.required && !c.done)) {
      view = await cli.json<IncidentView>('check', id, item.id, '--by', 'bob');
    }
    expect(view.blockingItems).toEqual([]);
    if (index === 0) await cli.ok('sitrep', id, '--by', 'bob');
  }

  await cli.ok('resolve', id, '--by', 'bob');
  const closed = await cli.json<IncidentView>('close', id, '--by', 'bob');
  expect(closed.incident.status).toBe('closed');
  expect(closed.incident.sitreps).toHaveLength(1);

  const timeline = await cli.ok('timeline', id);
  expect(timeline).toMatch(/bob took over/);
  const verify = await cli.run('verify');
  expect(verify.code).toBe(0);
  expect(verify.stdout).toMatch(new RegExp(`ok\\s+${id}`));
}

// A SQLite file on both legs (see above).
describe.skipIf(testBackend() === 'postgres')('tamper evidence', () => {
  it('verify exits 1 and names the event after one stored byte changes', { timeout: 120_000 }, async () => {
    const database = join(dir, 'tamper.db');
    const cli = cliFor(database);
    const { incident } = await cli.json<IncidentView>('report', '--plan', 'nist-team-procedures', '--title', 'Odd outbound traffic', '--reporter', 'erin');
    await cli.ok('triage', incident.id, '--confirm', '--severity', 'high', '--by', 'erin');
    await cli.ok('note', incident.id, 'Blocked 203.0.113.7 at the edge', '--by', 'erin');
    await cli.ok('ack', incident.id, '--by', 'frank');
    expect((await cli.run('verify', incident.id)).code).toBe(0);

    // The database refuses edits to the log; an attacker with file access drops the guard first.
    execFileSync('sqlite3', [database, "DROP TRIGGER events_no_update; UPDATE events SET data = replace(data, '203.0.113.7', '203.0.113.8') WHERE seq = 3;"]);

    const verify = await cli.run('verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(new RegExp(`BROKEN\\s+${incident.id}\\s+event #3: .*altered`));
  });
});
