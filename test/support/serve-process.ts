/**
 * Real `firebreak serve` child processes (the built CLI: `node bin/firebreak.js serve`),
 * the one way the tests and benchmarks start one: the cross-process and scheduler tests
 * run several on one PostgreSQL database, the e2e tests drive one from a browser, and the
 * crash tests SIGKILL one and `restart()` it on the same database, data directory and
 * port. Also API tokens written straight into a database (so set-up does not go through
 * the login rate limit). Needs `npm run build` first.
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
import { LOOPBACK_OUTBOUND_ALLOW } from './loopback-outbound.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServeOptions {
  /** SQLite path or postgres:// URL; default: a fresh SQLite file in a temp directory of its own. */
  readonly database?: string;
  /** FIREBREAK_DATA_DIR; default: a fresh temp directory. */
  readonly dataDir?: string;
  /** Default: a free loopback port, kept across restarts. */
  readonly port?: number;
  /** Extra environment for the child, on top of this process's. */
  readonly env?: Record<string, string>;
  /** What must answer 2xx before the process counts as started (default /api/ready: the database answers and is migrated). */
  readonly readyPath?: '/api/ready' | '/api/health';
  /** How long start and restart wait for `readyPath` (default 60 s). */
  readonly startTimeoutMs?: number;
}

export interface ServeProcess {
  readonly url: string;
  readonly port: number;
  /** The database it serves (the one given, or the temp SQLite file). */
  readonly database: string;
  /** The pid of the current child (a restart changes it). */
  readonly pid: number;
  /** The last 20 kB the current child printed, for failure messages. */
  logs(): string;
  /** SIGTERM, then SIGKILL after 10 s; removes the temp directories this module made. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would (no shutdown hook runs); keeps everything for a restart. */
  kill(): Promise<void>;
  /** Starts it again on the same database, data directory and port (SIGTERM first if it still runs). */
  restart(): Promise<void>;
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

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

async function terminate(child: ChildProcess | undefined, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  if (!child || !running(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), 10_000) : undefined;
  await exited;
  clearTimeout(timer);
}

/** Starts `firebreak serve` and resolves once `readyPath` answers 2xx. */
export async function startServeProcess(options: ServeOptions = {}): Promise<ServeProcess> {
  if (!existsSync(join(ROOT, 'dist/bundle/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const owned: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    owned.push(dir);
    return dir;
  };
  const database = options.database ?? join(temp('firebreak-serve-db-'), 'firebreak.db');
  const dataDir = options.dataDir ?? temp('firebreak-serve-data-');
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const readyPath = options.readyPath ?? '/api/ready';
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let child: ChildProcess | undefined;
  let output = '';
  const logs = () => output;

  const spawnAndWait = async () => {
    output = '';
    const current = spawn(process.execPath, [join(ROOT, 'bin/firebreak.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      cwd: ROOT,
      env: { ...process.env, FIREBREAK_DB: database, FIREBREAK_DATA_DIR: dataDir, NODE_ENV: 'test', FIREBREAK_OUTBOUND_ALLOW: LOOPBACK_OUTBOUND_ALLOW, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = current;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    current.stdout?.on('data', keep);
    current.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!running(current)) throw new Error(`firebreak serve exited with ${current.exitCode ?? current.signalCode} during start:\n${logs()}`);
      const response = await fetch(`${url}${readyPath}`).catch(() => undefined);
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`firebreak serve did not answer ${readyPath} within ${timeoutMs} ms:\n${logs()}`);
  };

  const stop = async () => {
    await terminate(child, 'SIGTERM');
    for (const dir of owned) rmSync(dir, { recursive: true, force: true });
  };
  const started = async () => {
    try {
      await spawnAndWait();
    } catch (error) {
      await stop();
      throw error;
    }
  };
  await started();
  return {
    url,
    port,
    database,
    get pid() {
      return child?.pid ?? 0;
    },
    logs,
    stop,
    kill: () => terminate(child, 'SIGKILL'),
    restart: async () => {
      await terminate(child, 'SIGTERM');
      await started();
    },
  };
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
