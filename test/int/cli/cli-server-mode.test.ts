/**
 * The CLI works the same against a server as against its own database: one scenario of
 * commands (report, triage, roles and handoff, checklist, phases, notes, sitreps, flags,
 * regulatory filing, reads, verification, refusals) runs in local mode and again with
 * `--server` against a real listening server; exit codes and the resulting incident
 * match. Also `firebreak login`, the credentials file, and server-only refusals.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliBackend } from '../../../src/cli/backend.js';
import { credentialsPath, loadCredential } from '../../../src/cli/credentials.js';
import { LocalBackend } from '../../../src/cli/local-backend.js';
import type { CliIo } from '../../../src/cli/program.js';
import { RemoteBackend } from '../../../src/cli/remote-backend.js';
import { defaultIo, runCli } from '../../../src/cli/run-cli.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

function captureIo(backend: (server: string | undefined, db: string) => Promise<CliBackend>, env: NodeJS.ProcessEnv = {}): { io: CliIo; last: () => Outcome; reset: () => void } {
  let out: string[] = [];
  let err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
    now: () => new Date(),
    readPassword: async () => {
      throw new Error('no terminal in tests');
    },
    backend: (options) => backend(options.server, options.db),
    serve: async () => undefined,
  };
  return {
    io,
    last: () => ({ code: -1, out: out.join('\n'), err: err.join('\n') }),
    reset: () => {
      out = [];
      err = [];
    },
  };
}

type Step = [args: string[], who: 'responder' | 'admin', expectedCode: number];

const ID = 'INC-2026-0001';
const SCENARIO: Step[] = [
  [['report', '--plan', 'nist-800-61r3', '--title', 'Ransomware on the file server'], 'responder', 0],
  [['triage', ID, '--confirm', '--severity', 'high'], 'responder', 0],
  [['triage', ID, '--confirm', '--severity', 'high'], 'responder', 4],
  [['ack', ID], 'responder', 0],
  [['assign', ID, '--role', 'ic', '--to', 'responder'], 'responder', 0],
  [['handoff', ID, '--role', 'ic', '--to', 'admin', '--briefing', 'Host isolated; backups being checked'], 'responder', 0],
  [['handoff-confirm', ID, '--role', 'ic'], 'admin', 0],
  [['handoff-confirm', ID, '--role', 'ic'], 'admin', 4],
  [['check', ID, 'scope', '--note', 'one file server'], 'admin', 0],
  [['phase', ID, 'recover'], 'admin', 4],
  [['phase', ID, 'contain', '--force', '--reason', 'it is spreading'], 'admin', 0],
  [['note', ID, 'Isolated host fs-01'], 'responder', 0],
  [['sitrep', ID], 'admin', 0],
  [['flag', ID, 'personal-data', '--note', 'HR share affected'], 'admin', 0],
  [['file-regulatory', ID, 'gdpr-art33', '--reference', 'DPA-2026-17'], 'admin', 0],
  [['severity', ID, 'apocalyptic', '--reason', 'x'], 'admin', 2],
  [['severity', ID, 'critical', '--reason', 'HR data left the network'], 'admin', 0],
  [['show', 'INC-2099-0001'], 'admin', 3],
  [['list', '--status', 'bogus'], 'admin', 2],
  [['list', '--status', 'active'], 'admin', 0],
  [['clocks', ID], 'admin', 0],
  [['timeline', ID], 'admin', 0],
  [['verify'], 'admin', 0],
  [['verify', ID], 'admin', 0],
  [['plan', 'list'], 'admin', 0],
  [['plan', 'show', 'nist-800-61r3'], 'admin', 0],
  [['resolve', ID], 'admin', 0],
  [['close', ID], 'admin', 0],
  [['reopen', ID, '--reason', 'reinfection'], 'admin', 0],
  [['close', ID], 'admin', 4],
];

describe('the CLI with --server', () => {
  let h: HttpHarness;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    h = await createHttpHarness();
    base = await h.listen();
    dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runScenario(mode: 'local' | 'server'): Promise<{ codes: number[]; show: Record<string, unknown>; timeline: { type: string; actor: string }[] }> {
    const db = join(dir, 'local.db');
    let token = '';
    const capture = captureIo(async (server, database) => (server ? new RemoteBackend(server, token) : LocalBackend.open(database)));
    const run = async (args: string[], who: 'responder' | 'admin'): Promise<Outcome> => {
      capture.reset();
      token = h.tokens[who];
      const global = mode === 'local' ? ['--db', db, '--as', who] : ['--server', base];
      const code = await runCli([...global, ...args], capture.io);
      return { ...capture.last(), code };
    };
    const codes: number[] = [];
    for (const [args, who, expected] of SCENARIO) {
      const outcome = await run(args, who);
      expect(outcome.code, `${mode}: firebreak ${args.join(' ')}\n${outcome.err}`).toBe(expected);
      if (expected !== 0) expect(outcome.err).toMatch(/^error: /);
      codes.push(outcome.code);
    }
    const show = JSON.parse((await run(['--json', 'show', ID], 'admin')).out) as { incident: Record<string, unknown> };
    const timeline = JSON.parse((await run(['--json', 'timeline', ID], 'admin')).out) as { type: string; actor: string }[];
    return { codes, show: show.incident, timeline: timeline.map((e) => ({ type: e.type, actor: e.actor })) };
  }

  it('runs the same scenario with the same exit codes and the same resulting incident', async () => {
    const local = await runScenario('local');
    const remote = await runScenario('server');
    expect(remote.codes).toEqual(local.codes);
    expect(remote.timeline).toEqual(local.timeline);
    const facts = (s: Record<string, unknown>) => {
      const { reportedAt, declaredAt, acknowledgedAt, phaseEnteredAt, updatedAt, lastHash, roles, completedItems, phaseHistory, severityHistory, sitreps, regulatoryFiled, regulatoryFilings, rolesFirstFilledAt, triagedAt, resolvedAt, closedAt, flags, ...rest } = s;
      // The server's clock is the harness's manual one, the local CLI's is the real one: compare filings without their instant.
      const filings = Object.fromEntries(Object.entries(regulatoryFilings as Record<string, { at: string }[]>).map(([k, list]) => [k, list.map(({ at, ...f }) => f)]));
      return { ...rest, filings, roles: Object.fromEntries(Object.entries(roles as Record<string, { holder: string }>).map(([k, v]) => [k, v.holder])), completed: Object.keys(completedItems as object), filed: Object.keys(regulatoryFiled as object), flags: Object.keys(flags as object) };
    };
    expect(facts(remote.show)).toEqual(facts(local.show));
    expect(remote.show).toMatchObject({ status: 'active', severity: 'critical', phase: 'contain', reopenCount: 1 });
  });

  it('refuses without a token (exit 5), for a viewer (exit 5), and says so when the server is down (exit 6)', async () => {
    const capture = captureIo(async (server) => new RemoteBackend(server!, null));
    expect(await runCli(['--server', base, 'list'], capture.io)).toBe(5);
    expect(capture.last().err).toContain('firebreak login --server');
    const viewer = captureIo(async (server) => new RemoteBackend(server!, h.tokens.viewer));
    expect(await runCli(['--server', base, 'note', ID, 'hello'], viewer.io)).toBe(5);
    expect(await runCli(['--server', base, 'show', ID], viewer.io)).toBe(0);
    const down = captureIo(async (server) => new RemoteBackend(server!, 'x'));
    expect(await runCli(['--server', 'http://127.0.0.1:9', 'list'], down.io)).toBe(6);
    expect(down.last().err).toContain('cannot reach the Firebreak server');
  });

  it('drafts, submits, approves (a second user), publishes and exports an advisory over --server', async () => {
    const incident = await h.report('responder', { title: 'Stored XSS in the profile page' });
    let token = h.tokens.responder;
    const capture = captureIo(async (server) => new RemoteBackend(server!, token));
    const run = async (who: 'responder' | 'admin', ...args: string[]): Promise<Outcome> => {
      capture.reset();
      token = h.tokens[who];
      const code = await runCli(['--server', base, ...args], capture.io);
      return { ...capture.last(), code };
    };
    const created = await run('responder', '--json', 'advisory', 'create', incident, '--title', 'Stored XSS in the profile bio', '--cvss3', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N');
    expect(created.code, created.err).toBe(0);
    const id = (JSON.parse(created.out) as { id: string; author: string }).id;
    expect(JSON.parse(created.out)).toMatchObject({ author: 'responder', status: 'draft' });

    const edited = await run('responder', 'advisory', 'set', id, '--summary', 'The bio was rendered unescaped.', '--impact', 'Script runs for every viewer.',
      '--cwe', 'CWE-79', '--cve', 'CVE-2026-40002', '--package', 'ecosystem=npm,name=profile-widget,introduced=2.0.0,fixed=2.3.1', '--resolution', 'Upgrade to 2.3.1.');
    expect(edited.code, edited.err).toBe(0);
    expect(edited.out).toContain('severity    medium   CVSS 3.1 5.4');
    expect(edited.out).toContain('to publish  all required fields present');

    expect((await run('responder', 'advisory', 'submit', id)).out).toBe(`${id} is in_review.`);
    const self = await run('responder', 'advisory', 'approve', id);
    expect(self.code).toBe(5);
    expect(self.err).toContain('cannot approve it; a second person must');
    expect((await run('admin', 'advisory', 'approve', id)).out).toBe(`${id} is approved.`);
    expect((await run('responder', 'advisory', 'publish', id)).out).toBe(`${id} is published.`);

    const md = await run('responder', 'advisory', 'export', id, '--format', 'md');
    expect(md.code, md.err).toBe(0);
    expect(md.out).toContain('Stored XSS in the profile bio');
    const osv = await run('responder', 'advisory', 'export', id, '--format', 'osv');
    expect(JSON.parse(osv.out)).toMatchObject({ aliases: ['CVE-2026-40002'] });
    expect((await run('responder', 'advisory', 'verify', id)).out).toBe(`${id}: ok (5 events)`);
    expect((await run('responder', 'advisory', 'list', '--incident', incident)).out).toContain(`${id}  published`);
    const shown = await run('admin', 'advisory', 'show', id);
    expect(shown.out).toContain('approved by admin');
    expect(shown.out).toContain('revision 1  public since');

    expect((await run('responder', 'vex', 'set', '--product', 'profile-widget', '--version', '2.3.1', '--vulnerability', 'CVE-2026-40002', '--status', 'fixed')).code).toBe(0);
    expect((await run('admin', 'vex', 'list')).out).toContain('CVE-2026-40002  profile-widget 2.3.1: fixed');
    expect(JSON.parse((await run('admin', 'vex', 'export', '--format', 'openvex')).out)).toMatchObject({ statements: [expect.objectContaining({ status: 'fixed' })] });

    const viewer = captureIo(async (server) => new RemoteBackend(server!, h.tokens.viewer));
    expect(await runCli(['--server', base, 'advisory', 'publish', id], viewer.io)).toBe(5);
  });

  it('firebreak login keeps a token in a 0600 credentials file that later commands use; logout revokes it', async () => {
    const config = join(dir, 'config');
    const env = { XDG_CONFIG_HOME: config, FIREBREAK_PASSWORD: 'responder-password-123' };
    const previous = process.env['XDG_CONFIG_HOME'];
    process.env['XDG_CONFIG_HOME'] = config;
    try {
      const io = { ...defaultIo(), env, out: () => undefined, err: () => undefined };
      expect(await runCli(['login', '--server', base, '--email', 'responder@example.org'], io)).toBe(0);
      const path = credentialsPath(env);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const saved = loadCredential(base, env);
      expect(saved).toMatchObject({ user: 'responder', token: expect.stringMatching(/^fbt_/) });
      const lines: string[] = [];
      const reading = { ...io, out: (t: string) => lines.push(t) };
      expect(await runCli(['--server', base, '--json', 'show', ID], reading)).toBe(0);
      expect(JSON.parse(lines.join('\n')).incident.id).toBe(ID);
      expect(await runCli(['--server', base, 'logout'], io)).toBe(0);
      expect(loadCredential(base, env)).toBeUndefined();
      const revoked = await fetch(`${base}/api/v1/incidents`, { headers: { authorization: `Bearer ${saved!.token}` } });
      expect(revoked.status).toBe(401);
      const wrong = { ...io, env: { ...env, FIREBREAK_PASSWORD: 'nope' } };
      expect(await runCli(['login', '--server', base, '--email', 'responder@example.org'], wrong)).toBe(5);
    } finally {
      if (previous === undefined) delete process.env['XDG_CONFIG_HOME'];
      else process.env['XDG_CONFIG_HOME'] = previous;
    }
  });
});
