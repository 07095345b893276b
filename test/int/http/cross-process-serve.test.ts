/**
 * Live updates across two real server processes: two `firebreak serve` children (the
 * built CLI) on one PostgreSQL database. An SSE client streams from process A; changes
 * are made through process B's HTTP API; each must reach the client on A (LISTEN/NOTIFY).
 * The delay is printed; the only bound asserted is a generous 15 s wait, so a lost
 * notification fails instead of hanging.
 *
 * PostgreSQL only: on the SQLite leg (FIREBREAK_TEST_BACKEND=sqlite) the test is skipped
 * with the reason shown, since SQLite serves one process and has no cross-process feed.
 */
import { afterEach, expect, it } from 'vitest';
import { assertBuilt } from '../../support/cli.js';
import { testBackend } from '../../support/postgres.js';
import { createApiTokens, type ServeProcess, startServeProcess } from '../../support/serve-process.js';
import { openSse, type SseClient, type SseMessage } from '../../support/sse-client.js';
import { createEmptyDatabase } from '../../support/test-app.js';

const SKIP_REASON = 'cross-process live updates need PostgreSQL (LISTEN/NOTIFY); this is the SQLite leg (FIREBREAK_TEST_BACKEND=sqlite), where one process serves a store';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function changeThroughB(b: ServeProcess, token: string, path: string, body: unknown, stream: SseClient, match: (m: SseMessage) => boolean, what: string) {
  const sent = performance.now();
  const response = await fetch(`${b.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answered = performance.now();
  const text = await response.text();
  expect(response.status, text).toBeLessThan(300);
  const seen = await within(stream.waitFor(match, what), 15_000, `${what} on process A`);
  const arrived = performance.now();
  process.stdout.write(`cross-process SSE (${what}): seen on A ${(arrived - answered).toFixed(0)} ms after B answered, ${(arrived - sent).toFixed(0)} ms after the request to B was sent\n`);
  return { json: JSON.parse(text) as unknown, seen };
}

it('a change through `firebreak serve` process B reaches an SSE client of process A', async (ctx) => {
  if (testBackend() === 'sqlite') {
    process.stdout.write(`skipped: ${SKIP_REASON}\n`);
    ctx.skip(SKIP_REASON);
  }
  assertBuilt();
  const database = await createEmptyDatabase();
  cleanup.push(() => database.drop());
  const [token] = await createApiTokens(database.location, 1, 'watcher');
  const starting = performance.now();
  const [a, b] = await Promise.all([startServeProcess({ database: database.location }), startServeProcess({ database: database.location })]);
  process.stdout.write(`two firebreak serve processes ready after ${(performance.now() - starting).toFixed(0)} ms\n`);
  cleanup.push(() => a!.stop(), () => b!.stop());
  expect(a.pid).not.toBe(b.pid);

  const stream = await openSse(`${a.url}/api/v1/stream`, token!);
  cleanup.push(async () => stream.close());
  expect(stream.status).toBe(200);

  const reported = await changeThroughB(b, token!, '/incidents', { plan: 'nist-800-61r3', title: 'Seen from the other process' }, stream, (m) => m.event === 'incident' && (m.data as { events?: { type: string }[] }).events?.[0]?.type === 'reported', 'the new incident');
  const id = (reported.json as { incident: { id: string } }).incident.id;
  expect(reported.seen.data).toMatchObject({ incidentId: id, version: 1, events: [{ seq: 1, type: 'reported' }] });

  const noted = await changeThroughB(b, token!, `/incidents/${id}/notes`, { text: 'second change via B' }, stream, (m) => m.event === 'incident' && (m.data as { incidentId: string; version: number }).incidentId === id && (m.data as { version: number }).version === 2, 'a note');
  expect(noted.seen.data).toMatchObject({ incidentId: id, events: [{ seq: 2, type: 'note_added' }] });
});
