/**
 * The after-incident commands of the real (built) `firebreak` CLI in a child process:
 * evidence with custody, verify catching a changed byte, the review and report, action
 * items, metrics CSV, a drill, plan versions, search, and exit 2 on bad input.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliFor } from '../../support/cli.js';

let dir: string;
let cli: ReturnType<typeof cliFor>;
let id: string;

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'firebreak-after-cli-'));
  cli = cliFor(join(dir, 'firebreak.db'));
  const out = await cli.json<{ incident: { id: string } }>('report', '--plan', 'iec62443-platform', '--title', 'Secrets pushed to a public fork', '--reporter', 'lp');
  id = out.incident.id;
  await cli.ok('triage', id, '--confirm', '--severity', 'P0');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function findBlob(root: string): string {
  for (const entry of readdirSync(root, { recursive: true }) as string[]) {
    const path = join(root, entry);
    if (/[0-9a-f]{64}$/.test(entry) && statSync(path).isFile()) return path;
  }
  throw new Error('no stored evidence file');
}

describe('firebreak after-incident commands', () => {
  it('evidence: add, list, show, get, transfer, custody; verify reports a changed byte (exit 1)', async () => {
    const file = join(dir, 'push.log');
    writeFileSync(file, 'remote: forced update 1a2b3c..4d5e6f main\n');
    const item = await cli.json<{ id: string; sha256: string }>('evidence', 'add', id, file, '--description', 'git push log', '--source', 'GitHub audit log', '--as', 'alice');
    await cli.ok('evidence', 'add', id, '--text', 'ghp_example leaked in README', '--description', 'the leaked line', '--source', 'fork README');
    const list = await cli.json<{ id: string }[]>('evidence', 'list', id);
    expect(list).toHaveLength(2);
    expect(await cli.ok('evidence', 'show', item.id, '--purpose', 'triage', '--as', 'bob')).toContain(`SHA-256: ${item.sha256}`);
    const out = join(dir, 'copy.log');
    await cli.ok('evidence', 'get', item.id, '--out', out, '--as', 'bob');
    expect(readFileSync(out, 'utf8')).toBe('remote: forced update 1a2b3c..4d5e6f main\n');
    expect((await cli.run('evidence', 'get', item.id, '--out', out)).code).toBe(2); // refuses to overwrite
    await cli.ok('evidence', 'transfer', item.id, '--to', 'carol', '--reason', 'forensic imaging', '--as', 'alice');
    const custody = await cli.json<{ entries: { action: string; actor: string }[]; custodian: string }>('evidence', 'custody', item.id);
    expect(custody.entries.map((e) => `${e.action}:${e.actor}`)).toEqual(['collected:alice', 'viewed:bob', 'downloaded:bob', 'transferred:alice']);
    expect(custody.custodian).toBe('carol');
    expect((await cli.run('verify', id)).code).toBe(0);

    const blob = findBlob(join(dir, 'evidence'));
    const bytes = readFileSync(blob);
    bytes[3] = bytes[3]! ^ 0x20;
    chmodSync(blob, 0o600);
    writeFileSync(blob, bytes);
    const verify = await cli.run('verify', id);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`evidence ${item.id} ("git push log"): stored bytes changed`);
  });

  it('refuses bad input with exit 2 and names the field', async () => {
    const noFile = await cli.run('evidence', 'add', id, '--description', 'd', '--source', 's');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('file');
    const badDue = await cli.run('action', 'add', id, '--title', 'x', '--due', '31/12/2026');
    expect(badDue.code).toBe(2);
    expect(badDue.stderr).toContain('dueDate');
    expect((await cli.run('metrics', '--from', 'soon')).code).toBe(2);
    expect((await cli.run('action', 'defer', 'ACT-0404', '--reason', 'x')).code).toBe(3);
  });

  it('review, report, action items, metrics CSV, search', async () => {
    await cli.ok('resolve', id);
    await cli.ok('review', 'set', id, '--root-cause', 'A personal access token was committed', '--why', 'Why committed? No pre-commit scan.', '--why', 'Why no scan? Not in the SDL.', '--control-gap', 'No secret scanning on forks', '--fishbone', 'process=No pre-commit hooks');
    const action = await cli.json<{ id: string }>('action', 'add', id, '--title', 'Enable push protection', '--owner', 'lp', '--due', '2026-12-31', '--tracker', 'https://github.com/example/rune/issues/9');
    await cli.ok('action', 'done', action.id);
    const show = await cli.ok('review', 'show', id);
    expect(show).toContain('Root cause: A personal access token was committed');
    expect(show).toContain('Fishbone process:');
    await cli.ok('review', 'complete', id);
    const md = await cli.ok('review', 'report', id);
    expect(md).toContain('## Post-Incident Review');
    expect(md).toContain('1. Why? Why committed? No pre-commit scan.');
    expect(md).toContain('No secret scanning on forks');
    const csv = await cli.ok('metrics', '--csv');
    expect(csv.split('\n')[1]).toMatch(/^overall,all,1,/);
    const hits = await cli.json<{ incidentId: string; kind: string }[]>('search', 'leaked');
    expect(hits.map((h) => h.kind)).toEqual(['evidence']);
  });

  it('drill start from a scenario, plan versions and upkeep', async () => {
    const scenario = join(dir, 'drill.yaml');
    writeFileSync(scenario, 'title: Tabletop secret leak\nplan: iec62443-platform\nseverity: P1\ninjects:\n  - { at: 0m, text: "Gitleaks alert on main" }\nexpectedActions:\n  - { action: acknowledge, within: 4h }\n');
    const started = await cli.json<{ incidentId: string }>('drill', 'start', scenario);
    const list = await cli.ok('list');
    expect(list).toContain(`[DRILL] Tabletop secret leak`);
    const report = await cli.ok('drill', 'report', started.incidentId);
    expect(report).toContain('pending  acknowledge');
    expect((await cli.json<unknown[]>('plan', 'versions', 'iec62443-platform')).length).toBe(1);
    const upkeep = await cli.ok('plan', 'upkeep', 'iec62443-platform');
    expect(upkeep).toContain('Run a tabletop exercise');
  });
});
