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

interface WorkerResult {
  readonly appended: string[];
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Starts a worker; resolves `ready` once it has opened the store, `done` with its result. */
function startWorker(database: string, incidentId: string, tag: string, clients: number, notes: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, database, incidentId, tag, String(clients), String(notes)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker ${tag} exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
    });
  });
  return { ready, done, go: () => child.stdin.end('go\n') };
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
  const workers = [
    startWorker(app.database, state.id, 'A', clientsPerProcess, notesPerClient),
    startWorker(app.database, state.id, 'B', clientsPerProcess, notesPerClient),
  ];
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const [ra, rb] = await Promise.all(workers.map((w) => w.done)) as [WorkerResult, WorkerResult];
  const [a, b] = [ra.appended, rb.appended];
  // Both processes were writing at the same time (each began before the other finished).
  expect(ra.startedAt).toBeLessThan(rb.finishedAt);
  expect(rb.startedAt).toBeLessThan(ra.finishedAt);
  const expected = 2 * clientsPerProcess * notesPerClient;
  expect(a.length + b.length).toBe(expected);

  const timeline = await app.incidents.timeline(state.id);
  const notes = timeline.filter((e) => e.type === 'note_added').map((e) => (e.data as { text: string }).text);
  expect(notes).toHaveLength(expected);
  expect(new Set(notes)).toEqual(new Set([...a, ...b]));
  expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
  const owners = notes.map((n) => n[0]);
  process.stdout.write(`concurrent appends (${app.backend}): the log switches between the processes ${owners.filter((o, i) => i > 0 && o !== owners[i - 1]).length} times\n`);

  const [verdict] = await app.incidents.verify([state.id]);
  expect(verdict?.verdict).toMatchObject({ ok: true, events: timeline.length });
  expect(verdict?.projectionMatches).toBe(true);
  expect((await app.incidents.get(state.id)).version).toBe(timeline.length);
}, 120_000);
