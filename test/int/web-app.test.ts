/**
 * The server's web-app plugin over real HTTP: the built app at `/`, deep links answered
 * with index.html (SPA fallback), hashed assets cached for a year, and no fallback for
 * the API, missing assets or non-HTML requests.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebApp } from '../../src/http/web-app.js';

let server: FastifyInstance;
let base: string;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fb-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  server = Fastify({ logger: false });
  server.get('/api/health', async () => ({ status: 'ok' }));
  await registerWebApp(server, { root });
  base = await server.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (path: string, accept = 'text/html,application/xhtml+xml') => fetch(`${base}${path}`, { headers: { accept } });

describe('web app plugin', () => {
  it('serves index.html at / and is never cached', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('id="root"');
  });

  it('answers deep links with index.html so the app can route them', async () => {
    for (const path of ['/incidents/INC-7', '/incidents/INC-7/triage', '/plans/nist-team-procedures?x=1']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('id="root"');
    }
  });

  it('serves hashed assets with a long cache lifetime', async () => {
    const response = await get('/assets/index-abc123.js', '*/*');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('does not fall back for the API, missing assets or non-HTML requests', async () => {
    expect((await get('/api/health', 'application/json')).status).toBe(200);
    expect((await get('/api/v1/nothing-here')).status).toBe(404);
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/incidents/INC-7', 'application/json')).status).toBe(404);
  });

  it('says how to build the app when web/dist is missing', async () => {
    const bare = Fastify({ logger: false });
    await registerWebApp(bare, { root: join(root, 'nowhere') });
    const url = await bare.listen({ host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
