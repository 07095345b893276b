/** `npm start` is real from day one: the server answers /api/health soon after it starts. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli.js';
import { freePort } from '../support/serve-process.js';

describe('firebreak serve', () => {
  it('answers /api/health and serves a page', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'firebreak-serve-'));
    const port = await freePort();
    const started = Date.now();
    const child = spawn(process.execPath, ['bin/firebreak.js', 'serve', '--port', String(port)], {
      env: { ...process.env, FIREBREAK_DB: join(dir, 'fb.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let health: Response | undefined;
      while (!health && Date.now() - started < 30_000) {
        health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
        if (!health) await new Promise((r) => setTimeout(r, 50));
      }
      console.log(`firebreak serve answered /api/health ${Date.now() - started} ms after spawn`);
      expect(health?.status).toBe(200);
      expect(await health?.json()).toMatchObject({ status: 'ok' });
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
