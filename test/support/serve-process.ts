/**
 * Real `firebreak serve` child processes (the built CLI: `node bin/firebreak.js serve`) on
 * a given database, for the tests and benchmarks that need several server processes on
 * one PostgreSQL database, plus API tokens written straight into that database (so set-up
 * does not go through the login rate limit). Needs `npm run build` first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditLog, AuthService, UserDirectory } from '../../src/app/auth/index.js';
import { systemTime } from '../../src/app/time-source.js';
import { openStore } from '../../src/store/store.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServeProcess {
  readonly url: string;
  readonly pid: number;
  /** The last 20 kB the process printed, for failure messages. */
  logs(): string;
  /** SIGTERM, then SIGKILL after 10 s; removes the data directory. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; keeps the data directory for a restart. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForReady(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`firebreak serve exited with ${child.exitCode}:\n${logs()}`);
    const response = await fetch(`${url}/api/ready`).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`firebreak serve was not ready (/api/ready) within 60 s:\n${logs()}`);
}

/** Starts `firebreak serve` on `database` (a SQLite path or postgres:// URL) on a free loopback port. */
export async function startServeProcess(database: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  if (!existsSync(join(ROOT, 'dist/bundle/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-serve-data-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [join(ROOT, 'bin/firebreak.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, FIREBREAK_DB: database, FIREBREAK_DATA_DIR: dataDir, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const logs = () => output;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  try {
    await waitForReady(url, child, logs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid ?? 0, logs, stop, kill };
}

/**
 * Creates `count` admin users with one API token each directly in the database (migrating
 * it first when new) and returns the token secrets. Each client gets its own user, since
 * the server's rate limit counts requests per user.
 */
export async function createApiTokens(database: string, count: number, prefix = 'bench'): Promise<string[]> {
  const store = await openStore(database);
  try {
    const users = new UserDirectory(store.db, systemTime);
    const auth = new AuthService(store.db, systemTime, users, new AuditLog(store.db, systemTime, { info: () => undefined }));
    const secrets: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const handle = `${prefix}-${i}`;
      const user = await users.create({ email: `${handle}@example.test`, name: handle, handle, role: 'admin', password: 'not-used-for-anything-123' });
      secrets.push((await auth.createToken(user, { name: handle })).secret);
    }
    return secrets;
  } finally {
    await store.close();
  }
}
