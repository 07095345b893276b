/**
 * Operations on this leg's back end: `/api/ready` tells a load balancer whether this
 * process can serve (database reachable, migrations current), and a stopping server
 * finishes the requests it is serving before it closes the store.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { gracefulShutdown, shutdownGraceMs } from '../../../src/http/graceful-shutdown.js';
import { buildServer } from '../../../src/http/server.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close().catch(() => undefined);
  app = undefined;
});

describe('GET /api/ready', () => {
  it('is 200 with the back end named when the database answers and migrations are current', async () => {
    app = await createTestApp();
    const server = await buildServer({ app, logger: false });
    const response = await server.inject({ method: 'GET', url: '/api/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: app.backend, migrations: 'current' });
    await server.close();
  });

  it('is 503 naming the migration when the database was migrated by a newer version', async () => {
    app = await createTestApp();
    const server = await buildServer({ app, logger: false });
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(app.store.db);
    const response = await server.inject({ method: 'GET', url: '/api/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 503, code: 'FB_ERR_STORE_NOT_READY', detail: expect.stringContaining('999-from-the-future') });
    await sql`DELETE FROM kysely_migration WHERE name = '999-from-the-future'`.execute(app.store.db);
    expect((await server.inject({ method: 'GET', url: '/api/ready' })).statusCode).toBe(200);
    await server.close();
  });

  it('is 503 when the database cannot be reached, while /api/health still answers', async () => {
    app = await createTestApp();
    const server = await buildServer({ app, logger: false });
    await app.store.close();
    const response = await server.inject({ method: 'GET', url: '/api/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 503, code: 'FB_ERR_STORE_NOT_READY', detail: expect.stringMatching(/database unreachable/) });
    expect(response.body).not.toMatch(/postgres:\/\//);
    expect((await server.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await server.close();
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight request, refuses new connections, then closes the store', async () => {
    app = await createTestApp();
    const server = await buildServer({ app, logger: false });
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    server.get('/test/slow', async () => {
      arrived();
      await released;
      const incidents = await app!.incidents.list();
      order.push('request finished');
      return { incidents: incidents.length };
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const slow = fetch(`${base}/test/slow`);
    await inFlight;
    let exitCode: number | undefined;
    const stop = gracefulShutdown(server, {
      graceMs: 30_000,
      closeResources: async () => {
        order.push('store closed');
        await app!.store.close();
      },
      exit: (code) => {
        exitCode = code;
      },
    });
    const stopped = stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(order).toEqual([]);
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
    release();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ incidents: 0 });
    await stopped;
    expect(order).toEqual(['request finished', 'store closed']);
    expect(exitCode).toBe(0);
  });

  it('reads the grace period from FIREBREAK_SHUTDOWN_TIMEOUT and refuses nonsense', () => {
    expect(shutdownGraceMs(undefined)).toBe(10_000);
    expect(shutdownGraceMs('2500')).toBe(2500);
    expect(() => shutdownGraceMs('soon')).toThrow(/FIREBREAK_SHUTDOWN_TIMEOUT/);
  });
});
