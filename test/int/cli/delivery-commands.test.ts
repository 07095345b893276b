/**
 * `firebreak contacts`, `channels` and `deliveries` against a real SQLite file: what they
 * print, that secrets never appear, and that bad input is refused naming the option.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram, type CliIo } from '../../../src/cli/program.js';
import { FirebreakError } from '../../../src/domain/errors.js';
import { openStore } from '../../../src/store/store.js';

let dir: string;
let db: string;
let out: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
  db = join(dir, 'firebreak.db');
  out = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env['TEST_HOOK_SECRET'];
});

async function run(...args: string[]): Promise<string> {
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    env: process.env,
    readPassword: () => Promise.reject(new Error('not used')),
    backend: () => Promise.reject(new Error('not used')),
    now: () => new Date('2026-03-02T09:00:00Z'),
    serve: () => Promise.reject(new Error('not used')),
  };
  out = [];
  await buildProgram(io).parseAsync(['--db', db, ...args], { from: 'user' });
  return out.join('\n');
}

describe('firebreak contacts', () => {
  it('adds, lists and removes contact points without ever printing the secret', async () => {
    process.env['TEST_HOOK_SECRET'] = 'a-very-secret-value-123';
    expect(await run('contacts', 'add', 'ivy', '--kind', 'email', '--target', 'ivy@example.org')).toBe('Added email ivy@example.org for ivy.');
    expect(await run('contacts', 'add', 'ivy', '--kind', 'webhook', '--target', 'https://hooks.example.org/x', '--secret-env', 'TEST_HOOK_SECRET')).toContain('(signed)');
    const listed = await run('contacts', 'list');
    expect(listed).toContain('ivy   email    ivy@example.org');
    expect(listed).not.toContain('a-very-secret-value-123');
    const json = JSON.parse(await run('--json', 'contacts', 'list', 'ivy')) as unknown[];
    expect(json).toEqual([
      { user: 'ivy', kind: 'email', target: 'ivy@example.org', signed: false },
      { user: 'ivy', kind: 'webhook', target: 'https://hooks.example.org/x', signed: true },
    ]);
    expect(await run('contacts', 'remove', 'ivy', '--kind', 'email')).toBe('Removed 1 contact point of ivy.');
    expect(await run('contacts', 'remove', 'ivy')).toBe('Removed 1 contact point of ivy.');
    expect(await run('contacts', 'list')).toBe('No contact points.');
  });

  it.each([
    [['contacts', 'add', 'ivy', '--kind', 'pager', '--target', 'x'], 'kind'],
    [['contacts', 'add', 'ivy', '--kind', 'email', '--target', 'not-an-address'], 'target'],
    [['contacts', 'add', 'ivy', '--kind', 'slack', '--target', 'ftp://example.org'], 'target'],
    [['contacts', 'add', 'i v y', '--kind', 'email', '--target', 'ivy@example.org'], 'user'],
    [['contacts', 'add', 'ivy', '--kind', 'webhook', '--target', 'https://h.example.org', '--secret-env', 'UNSET_VAR_XYZ'], '--secret-env'],
    [['deliveries', '--limit', 'many'], '--limit'],
  ])('refuses %j naming %s, and stores nothing', async (args, field) => {
    const error = await run(...args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirebreakError);
    expect((error as FirebreakError).kind).toBe('invalid');
    expect((error as FirebreakError).fields.map((f) => f.path)).toEqual([field]);
    const store = await openStore(db);
    expect(await store.db.selectFrom('contact_points').selectAll().execute()).toEqual([]);
    await store.close();
  });

  it('refuses a duplicate and a removal of nothing with conflict / not found', async () => {
    await run('contacts', 'add', 'ivy', '--kind', 'email', '--target', 'ivy@example.org');
    await expect(run('contacts', 'add', 'ivy', '--kind', 'email', '--target', 'ivy@example.org')).rejects.toMatchObject({ code: 'FB_ERR_CONTACT_EXISTS' });
    await expect(run('contacts', 'remove', 'bob')).rejects.toMatchObject({ code: 'FB_ERR_CONTACT_NOT_FOUND' });
  });
});

describe('firebreak deliveries', () => {
  it('lists deliveries, filters failed ones and reports dead letters', async () => {
    expect(await run('deliveries')).toBe('No deliveries.');
    const store = await openStore(db);
    const row = (id: string, status: 'sent' | 'failed' | 'dead', error: string | null) => ({
      id,
      incident_id: 'INC-2026-0001',
      clock_key: 'ack:escalation:1',
      template: 'escalation',
      channel: 'webhook' as const,
      recipient: 'ivy',
      target: 'https://hooks.example.org/x',
      status,
      attempts: status === 'sent' ? 1 : 6,
      last_error: error,
      next_attempt_at: null,
      claimed_by: null,
      claimed_until: null,
      payload: JSON.stringify({ subject: 's', body: 'b' }),
      created_at: `2026-03-02T09:0${id}:00.000Z`,
      updated_at: '2026-03-02T09:00:00.000Z',
      sent_at: null,
      reviewed_by: null,
    });
    await store.db.insertInto('deliveries').values([row('1', 'sent', null), row('2', 'dead', 'receiver answered HTTP 503')]).execute();
    await store.close();
    const all = await run('deliveries');
    expect(all.split('\n')).toHaveLength(4);
    const failed = await run('deliveries', '--failed');
    expect(failed).toContain('receiver answered HTTP 503');
    expect(failed).not.toMatch(/\ssent\s/);
    expect(failed).toContain('1 message dead-lettered');
  });
});
