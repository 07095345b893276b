import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliFor, runCli } from '../../support/cli.js';
import { BUILT_IN_PLAN_IDS } from '../../support/plans.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-plan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('firebreak plan validate', () => {
  it.each(BUILT_IN_PLAN_IDS)('accepts the built-in plan %s', async (id) => {
    const result = await runCli(['plan', 'validate', `plans/${id}.yaml`]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('ok');
  });

  it('exits 2 and names each broken path and its problem', async () => {
    const result = await runCli(['plan', 'validate', 'test/fixtures/plans/broken.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('phases[2].checklist[0].role: unknown role "janitor"');
    expect(result.stderr).toMatch(/severities\[2\]\.id: duplicate id "high"/);
    expect(result.stderr).toMatch(/clocks\.triageWithin: "5 parsecs" has an unknown unit "parsecs"/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 on YAML that does not parse, and on a missing file', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'id: [unclosed\n');
    expect(await runCli(['plan', 'validate', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/YAML syntax/) });
    expect(await runCli(['plan', 'validate', join(dir, 'nope.yaml')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot read .*ENOENT/) });
  });
});

describe('CLI input errors', () => {
  it('names the missing option with exit 2 and no stack trace', async () => {
    const cli = cliFor(join(dir, 'errors.db'));
    const result = await cli.run('report', '--plan', 'nist-800-61r3');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--title/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown plan, severity and date with exit 2 naming the value', async () => {
    const cli = cliFor(join(dir, 'errors.db'));
    expect(await cli.run('report', '--plan', 'nope', '--title', 't')).toMatchObject({ code: 3, stderr: expect.stringMatching(/no plan "nope"/) });
    const id = JSON.parse((await cli.run('--json', 'report', '--plan', 'nist-800-61r3', '--title', 't')).stdout).incident.id as string;
    expect(await cli.run('triage', id, '--confirm', '--severity', 'P9')).toMatchObject({ code: 2, stderr: expect.stringMatching(/severity: "P9" is not a severity/) });
    expect(await cli.run('ack', id, '--at', 'yesterday')).toMatchObject({ code: 2, stderr: expect.stringMatching(/at: "yesterday" is not an ISO 8601/) });
    expect(await cli.run('show', 'INC-1999-0001')).toMatchObject({ code: 3, stderr: expect.stringMatching(/no incident INC-1999-0001/) });
    expect(await cli.run('close', id)).toMatchObject({ code: 4, stderr: expect.stringMatching(/cannot close/) });
  });
});

describe('firebreak clocks', () => {
  it('shows ack escalation overdue at T+11m and the next sitrep due T+1h after the first', async () => {
    const cli = cliFor(join(dir, 'clocks.db'));
    const t = new Date(Date.now() - 3 * 3600_000);
    t.setUTCSeconds(0, 0);
    const at = (minutes: number) => new Date(t.getTime() + minutes * 60_000).toISOString();
    const id = JSON.parse((await cli.run('--json', 'report', '--plan', 'nist-team-procedures', '--title', 'Web shell', '--at', at(0))).stdout).incident.id as string;
    await cli.ok('triage', id, '--confirm', '--severity', 'high', '--at', at(2));

    const before = await cli.ok('clocks', id, '--at', at(9));
    expect(before).toMatch(/pending\s+ack\s+due/);
    const after = await cli.ok('clocks', id, '--at', at(11));
    expect(after).toMatch(/OVERDUE\s+ack\s+due .*escalation: !responder/);

    await cli.ok('sitrep', id, '--text', 'Contained the host', '--at', at(30));
    const clocks = await cli.json<{ id: string; dueAt: string }[]>('clocks', id, '--at', at(31));
    expect(clocks.find((c) => c.id === 'sitrep')?.dueAt).toBe(at(90));
  });
});
