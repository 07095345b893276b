/**
 * Two Firebreak processes, one incident: 50 clients (25 in each process) append notes at
 * once through their own connection pools. On PostgreSQL the incident row lock serialises
 * them; on SQLite the database write lock does. Either way every note is there exactly
 * once, in one unbroken chain.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const worker = fileURLToPath(new URL('../support/append-worker.ts', import.meta.url));

function runWorker(database: string, incidentId: string, tag: string, clients: number, notes: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, database, incidentId, tag, String(clients), String(notes)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${tag} exited ${code}: ${err}`));
      else resolve((JSON.parse(out.trim().split('\n').pop()!) as { appended: string[] }).appended);
    });
  });
}

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
});

it(`50 clients in two processes append to one incident without losing, duplicating or forking (${process.env['FIREBREAK_TEST_BACKEND'] ?? 'sqlite'})`, async () => {
  app = await createTestApp();
  const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Contended incident', reporter: { anonymous: true } }, { actor: 'alice' });
  const clientsPerProcess = 25;
  const notesPerClient = 2;
  const [a, b] = await Promise.all([
    runWorker(app.database, state.id, 'A', clientsPerProcess, notesPerClient),
    runWorker(app.database, state.id, 'B', clientsPerProcess, notesPerClient),
  ]);
  const expected = 2 * clientsPerProcess * notesPerClient;
  expect(a.length + b.length).toBe(expected);

  const timeline = await app.incidents.timeline(state.id);
  const notes = timeline.filter((e) => e.type === 'note_added').map((e) => (e.data as { text: string }).text);
  expect(notes).toHaveLength(expected);
  expect(new Set(notes)).toEqual(new Set([...a, ...b]));
  expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
  // Each process's clients interleave with the other's: the lock was really contended.
  const owners = notes.map((n) => n[0]);
  expect(owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length).toBeGreaterThan(1);

  const [verdict] = await app.incidents.verify([state.id]);
  expect(verdict?.verdict).toMatchObject({ ok: true, events: timeline.length });
  expect(verdict?.projectionMatches).toBe(true);
  expect((await app.incidents.get(state.id)).version).toBe(timeline.length);
}, 120_000);
