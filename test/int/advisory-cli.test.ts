/**
 * `firebreak advisory …` and `firebreak vex …` through the real command-line program on a
 * real SQLite file: the whole life of an advisory, the refusals (exit codes from the one
 * mapping in cli/exit-codes.ts), and exports written to files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessRun, runCliInProcess } from '../support/cli-in-process.js';
import { validateCsaf, validateOsv } from '../support/export-validators.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Run = InProcessRun;

describe('advisory CLI', () => {
  let app: TestApp;
  let incidentId: string;
  let dir: string;

  function cli(...args: string[]): Promise<Run> {
    return runCliInProcess(app.database, 'fbt_test', args);
  }

  beforeAll(async () => {
    app = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
    const reported = await app.incidents.report('community-disclosure', { type: 'report', title: 'Signature bypass', reporter: { anonymous: true } }, { actor: 'intake' });
    incidentId = reported.state.id;
    await app.incidents.execute(incidentId, { type: 'triage', decision: 'confirm', severity: 'high' }, { actor: 'lead' });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drafts, edits, reviews, publishes and exports an advisory', async () => {
    const created = await cli('--as', 'alice', '--json', 'advisory', 'create', incidentId, '--title', 'XML signature wrapping in pysaml2', '--cvss3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N');
    expect(created.code).toBe(0);
    const id = (JSON.parse(created.out) as { id: string }).id;
    expect(id).toBe('FB-2026-0001');

    const edited = await cli('--as', 'alice', 'advisory', 'set', id,
      '--summary', 'A wrapped assertion was accepted.', '--impact', 'Log in as anyone.', '--cwe', 'CWE-347:Improper Verification of Cryptographic Signature',
      '--cve', 'CVE-2026-27001', '--package', 'ecosystem=PyPI,name=pysaml2,introduced=0,fixed=7.5.1', '--resolution', 'Upgrade to 7.5.1.');
    expect(edited.code).toBe(0);
    expect(edited.out).toContain('severity    critical   CVSS 3.1 9.1');
    expect(edited.out).toContain('to publish  all required fields present');

    expect((await cli('--as', 'alice', 'advisory', 'submit', id)).out).toBe(`${id} is in_review.`);
    const self = await cli('--as', 'alice', 'advisory', 'approve', id);
    expect(self.code).toBe(5);
    expect(self.err).toContain('alice wrote or submitted FB-2026-0001 and cannot approve it');
    expect((await cli('--as', 'bob', 'advisory', 'approve', id)).code).toBe(0);

    const gated = await cli('--as', 'alice', 'advisory', 'publish', id);
    expect(gated.code).toBe(4);
    expect(gated.err).toContain('checklist items that gate publishing are open');
    expect(gated.err).toContain('patch-release, consult-incident-manager, obtain-cve');
    for (const item of ['patch-release', 'consult-incident-manager', 'obtain-cve']) await app.incidents.execute(incidentId, { type: 'complete_item', item }, { actor: 'lead' });
    expect((await cli('--as', 'alice', 'advisory', 'publish', id)).out).toBe(`${id} is published.`);

    const osvFile = join(dir, 'advisory.osv.json');
    expect((await cli('advisory', 'export', id, '--format', 'osv', '--out', osvFile)).out).toBe(`Wrote ${osvFile}`);
    expect(validateOsv(JSON.parse(readFileSync(osvFile, 'utf8'))).errors).toEqual([]);
    const csaf = await cli('advisory', 'export', id, '--format', 'csaf');
    expect((await validateCsaf(JSON.parse(csaf.out))).errors).toEqual([]);
    const md = await cli('advisory', 'export', id, '--format', 'md');
    expect(md.out).toContain('# XML signature wrapping in pysaml2');
    expect((await cli('advisory', 'verify', id)).out).toBe(`${id}: ok (5 events)`);
  });

  it('refuses a bad vector naming the metric, with exit code 2', async () => {
    const run = await cli('advisory', 'create', incidentId, '--title', 'x', '--cvss4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:Q');
    expect(run.code).toBe(2);
    expect(run.err).toBe('error: cvssV4: metric SA has value Q; allowed: H, L, N');
  });

  it('with --server goes to the server, never to the local database, and says so when it is down', async () => {
    const run = await cli('--server', 'http://127.0.0.1:9', 'advisory', 'list');
    expect(run.code).toBe(6);
    expect(run.err).toContain('cannot reach the Firebreak server at http://127.0.0.1:9');
  });

  it('refuses an unknown export format before opening anything', async () => {
    const run = await cli('advisory', 'export', 'FB-2026-0001', '--format', 'pdf');
    expect(run.code).toBe(2);
    expect(run.err).toContain("argument 'pdf' is invalid");
  });

  it('keeps the VEX register and exports it', async () => {
    expect((await cli('vex', 'set', '--product', 'pysaml2', '--version', '7.5.1', '--vulnerability', 'CVE-2026-27001', '--status', 'fixed')).code).toBe(0);
    const missing = await cli('vex', 'set', '--product', 'satosa', '--version', '8.0.0', '--vulnerability', 'CVE-2026-27001', '--status', 'not_affected');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('justification: is required for not_affected');
    expect((await cli('vex', 'set', '--product', 'satosa', '--version', '8.0.0', '--vulnerability', 'CVE-2026-27001', '--status', 'not_affected', '--justification', 'component_not_present')).code).toBe(0);
    const list = await cli('vex', 'list');
    expect(list.out.split('\n')).toHaveLength(2);
    const openvex = JSON.parse((await cli('vex', 'export', '--format', 'openvex')).out) as { statements: unknown[] };
    expect(openvex.statements).toHaveLength(2);
    expect((await validateCsaf(JSON.parse((await cli('vex', 'export', '--format', 'csaf')).out))).errors).toEqual([]);
  });
});
