/** `npm start` is real from day one: the server answers /api/health soon after it starts. */
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli.js';
import { startServeProcess } from '../support/serve-process.js';

describe('firebreak serve', () => {
  it('answers /api/health and serves a page', async () => {
    assertBuilt();
    const started = Date.now();
    const server = await startServeProcess({ readyPath: '/api/health', startTimeoutMs: 30_000 });
    try {
      console.log(`firebreak serve answered /api/health ${Date.now() - started} ms after spawn`);
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
