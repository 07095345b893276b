/**
 * `firebreak schedule …` on the database and with `--server` against a real listening
 * server: create from a file, who is on call at an instant, overrides, history, the
 * calendar-feed link; and refusals with the documented exit codes naming the argument.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/program.js';
import { LocalBackend } from '../../../src/cli/local-backend.js';
import { RemoteBackend } from '../../../src/cli/remote-backend.js';
import { runCli } from '../../../src/cli/run-cli.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'firebreak-schedule-cli-'));
const file = join(dir, 'primary.yaml');

beforeAll(async () => {
  h = await createHttpHarness();
  base = await h.listen();
  writeFileSync(
    file,
    [
      'id: primary-oncall',
      'name: Primary on-call',
      'timeZone: Europe/Berlin',
      'layers:',
      '  - { name: weekly, users: [responder, admin], shift: { days: 7 }, start: "2026-02-23", handover: "09:00", timeZone: Europe/Berlin }',
    ].join('\n'),
  );
});
afterAll(async () => h.close());

async function cli(args: string[], mode: 'server' | 'local'): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { FIREBREAK_PUBLIC_URL: 'https://firebreak.example.org' },
    now: () => new Date(),
    readPassword: async () => {
      throw new Error('no terminal in tests');
    },
    backend: async (options) => (options.server ? new RemoteBackend(options.server, h.tokens.responder) : LocalBackend.open(options.db, [])),
    serve: async () => undefined,
  };
  const global = mode === 'server' ? ['--server', base] : ['--db', h.app.database];
  const code = await runCli([...global, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('firebreak schedule', () => {
  it('creates a schedule with --server and answers who is on call, in both modes alike', async () => {
    const created = await cli(['schedule', 'create', '--file', file], 'server');
    expect(created, created.err).toMatchObject({ code: 0 });
    expect(created.out).toContain('Created primary-oncall');
    for (const mode of ['server', 'local'] as const) {
      expect((await cli(['schedule', 'oncall', 'primary-oncall', '--at', '2026-03-02T07:59:00Z'], mode)).out).toBe('responder');
      expect((await cli(['schedule', 'oncall', 'primary-oncall', '--at', '2026-03-02T08:00:00Z'], mode)).out).toBe('admin');
      const list = await cli(['--json', 'schedule', 'list'], mode);
      expect(JSON.parse(list.out).map((s: { id: string }) => s.id)).toEqual(['primary-oncall']);
    }
    const shown = await cli(['schedule', 'show', 'primary-oncall', '--from', '2026-03-02T00:00:00Z', '--days', '8', '--tz', 'Europe/Berlin'], 'server');
    expect(shown.out).toContain('Mon, 2 Mar 2026, 09:00 CET – Mon, 9 Mar 2026, 09:00 CET  admin');
  });

  it('adds an override, records who did it, and refuses an overlapping one with exit 4', async () => {
    const added = await cli(['schedule', 'override', 'add', 'primary-oncall', '--user', 'viewer', '--start', '2026-03-03T00:00:00Z', '--end', '2026-03-04T00:00:00Z'], 'server');
    expect(added.code, added.err).toBe(0);
    expect((await cli(['schedule', 'oncall', 'primary-oncall', '--at', '2026-03-03T12:00:00Z'], 'local')).out).toBe('viewer');
    const overlap = await cli(['schedule', 'override', 'add', 'primary-oncall', '--user', 'admin', '--start', '2026-03-03T06:00:00Z', '--end', '2026-03-03T08:00:00Z'], 'local');
    expect(overlap.code).toBe(4);
    expect(overlap.err).toContain('start: overlaps');
    const history = await cli(['schedule', 'history', 'primary-oncall'], 'local');
    expect(history.out).toMatch(/v1 .* responder {2}created\nv2 .* responder {2}override-added: viewer/);
  });

  it('hands out a calendar-feed link: the server address with --server, FIREBREAK_PUBLIC_URL on the database', async () => {
    const remote = (await cli(['schedule', 'feed'], 'server')).out.split('\n').at(-1)!;
    expect(remote.startsWith(`${base}/calendar/`)).toBe(true);
    const local = await cli(['schedule', 'feed', '--by', 'admin'], 'local');
    expect(local.code).toBe(0);
    const url = local.out.split('\n').at(-1)!;
    expect(url).toMatch(/^https:\/\/firebreak\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    for (const link of [remote, url]) expect((await h.server.inject({ method: 'GET', url: new URL(link).pathname })).statusCode).toBe(200);
  });

  it.each([
    [['schedule', 'show', 'primary-oncall', '--days', '0'], 2, '--days'],
    [['schedule', 'oncall', 'primary-oncall', '--at', 'tomorrow'], 2, '--at'],
    [['schedule', 'show', 'primary-oncall', '--tz', 'Mars/Base'], 2, '--tz'],
    [['schedule', 'create', '--file', '/no/such/file.yaml'], 2, '--file'],
    [['schedule', 'oncall', 'no-such-schedule'], 3, 'no on-call schedule'],
  ])('refuses %j with exit %i naming %s', async (args, code, named) => {
    const result = await cli(args, 'local');
    expect(result.code).toBe(code);
    expect(result.err).toContain(named);
  });
});
