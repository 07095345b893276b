/**
 * Live updates across processes (PostgreSQL only: SQLite serves one process). Two servers,
 * each with its own application, connection pool and LISTEN connection on one database,
 * stand for two `firebreak serve` processes: a change made through B reaches a browser
 * streaming from A. The delay is printed, not asserted (no timing thresholds in tests).
 */
import { afterEach, expect, it } from 'vitest';
import { createApp, type FirebreakApp } from '../../../src/app/firebreak-app.js';
import { PostgresLiveFeed } from '../../../src/app/postgres-live-feed.js';
import { buildServer } from '../../../src/http/server.js';
import { openSse } from '../../support/sse-client.js';
import { testBackend } from '../../support/postgres.js';
import { createTestApp } from '../../support/test-app.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

async function serverOn(app: FirebreakApp, database: string) {
  const live = await PostgresLiveFeed.open(database);
  const server = await buildServer({ app, live, logger: false, webDist: null, limits: { perMinute: 100_000, loginPerMinute: 1_000 }, heartbeatMs: 60_000 });
  cleanup.push(async () => {
    await server.close();
    await live.close();
  });
  return { server, live };
}

it.skipIf(testBackend() !== 'postgres')('a change through process B reaches a stream on process A (LISTEN/NOTIFY)', async () => {
  const appA = await createTestApp();
  cleanup.push(() => appA.close());
  const appB = await createApp({ database: appA.database, time: appA.time });
  cleanup.push(() => appB.close());
  const a = await serverOn(appA, appA.database);
  const b = await serverOn(appB, appA.database);

  const admin = await a.server.firebreak.auth.users.create({ email: 'ada@example.org', name: 'Ada', handle: 'ada', role: 'admin', password: 'ada-password-123' });
  const { secret } = await a.server.firebreak.auth.createToken(admin, { name: 'test' });
  const baseA = await a.server.listen({ host: '127.0.0.1', port: 0 });
  const stream = await openSse(`${baseA}/api/v1/stream`, secret);
  cleanup.push(async () => stream.close());
  expect(stream.status).toBe(200);

  const reported = await b.server.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${secret}` }, payload: { plan: 'nist-800-61r3', title: 'Seen from the other process' } });
  expect(reported.statusCode).toBe(201);
  const committedAt = performance.now();
  const id = reported.json<{ incident: { id: string } }>().incident.id;
  const seen = await stream.waitFor((m) => m.event === 'incident' && (m.data as { incidentId: string }).incidentId === id, `${id} on process A`);
  process.stdout.write(`cross-process live update: seen on A ${(performance.now() - committedAt).toFixed(0)} ms after B answered\n`);
  expect(seen.data).toMatchObject({ incidentId: id, version: 1, events: [{ seq: 1, type: 'reported' }] });

  const noted = await b.server.inject({ method: 'POST', url: `/api/v1/incidents/${id}/notes`, headers: { authorization: `Bearer ${secret}` }, payload: { text: 'second change via B' } });
  expect(noted.statusCode).toBe(200);
  const note = await stream.waitFor((m) => m.event === 'incident' && (m.data as { version: number }).version === 2, 'the note on process A');
  expect(note.data).toMatchObject({ incidentId: id, events: [{ seq: 2, type: 'note_added' }] });
  // The publisher's own subscribers do not get the echo twice.
  const local = await openSse(`${await b.server.listen({ host: '127.0.0.1', port: 0 })}/api/v1/incidents/${id}/stream`, secret);
  cleanup.push(async () => local.close());
  await b.server.inject({ method: 'POST', url: `/api/v1/incidents/${id}/notes`, headers: { authorization: `Bearer ${secret}` }, payload: { text: 'third' } });
  await local.waitFor((m) => (m.data as { version: number }).version === 3, 'the third change on B');
  await stream.waitFor((m) => (m.data as { version?: number }).version === 3, 'the third change on A');
  await b.server.streamHub.drain();
  expect(local.messages.filter((m) => (m.data as { version: number }).version === 3)).toHaveLength(1);
});
