/**
 * Starts the real Firebreak server for end-to-end tests: `node bin/firebreak.js serve`
 * on a free loopback port, with a fresh SQLite file in a temp directory and the first
 * administrator from FIREBREAK_ADMIN_EMAIL / FIREBREAK_ADMIN_PASSWORD (created through
 * the first-run API when the server does not read those variables itself).
 * Needs `npm run build` first (the compiled server in dist/ and the app in web/dist/).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/serve-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Account {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly handle: string;
}

export interface RunningServer {
  readonly url: string;
  readonly admin: Account | null;
  /** What the server printed so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export const ADMIN: Account = { email: 'alice@example.test', password: 'correct horse battery', name: 'Alice Admin', handle: 'alice' };

async function waitForHealth(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`firebreak serve exited with ${child.exitCode}:\n${logs()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`firebreak serve did not answer /api/health within 60 s:\n${logs()}`);
}

async function ensureAdmin(url: string, admin: Account): Promise<void> {
  const session = (await (await fetch(`${url}/api/v1/auth/session`)).json()) as { setupRequired?: boolean };
  if (!session.setupRequired) return;
  const response = await fetch(`${url}/api/v1/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, name: admin.name, handle: admin.handle, password: admin.password }),
  });
  if (!response.ok) throw new Error(`first-run setup failed: ${response.status} ${await response.text()}`);
}

export async function startServer(options: { withAdmin?: boolean } = {}): Promise<RunningServer> {
  const withAdmin = options.withAdmin ?? true;
  for (const built of ['dist/bundle/main.js', 'web/dist/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the e2e tests`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'bin/firebreak.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: {
      ...process.env,
      FIREBREAK_DB: join(dir, 'firebreak.db'),
      ...(withAdmin
        ? { FIREBREAK_ADMIN_EMAIL: ADMIN.email, FIREBREAK_ADMIN_PASSWORD: ADMIN.password, FIREBREAK_ADMIN_NAME: ADMIN.name, FIREBREAK_ADMIN_HANDLE: ADMIN.handle }
        : {}),
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, logs);
    if (withAdmin) await ensureAdmin(url, ADMIN);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, admin: withAdmin ? ADMIN : null, logs, stop };
}
