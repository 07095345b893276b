/**
 * A Firebreak server as a child process (`node bin/firebreak.js serve`) on a database the
 * test owns, for the crash tests: started, waited on until /api/health answers, killed
 * with SIGKILL (no shutdown hooks run), and started again on the same database. The
 * first users, their API tokens and an ingest source are written before the first start
 * through the app layer itself, as `firebreak serve` would find them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { User } from '../../src/app/auth/user.js';
import { createApp } from '../../src/app/firebreak-app.js';
import { buildServer } from '../../src/http/server.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));

export interface Principals {
  /** API token of the administrator. */
  readonly admin: string;
  /** Handle → API token of each responder. */
  readonly responders: ReadonlyArray<{ readonly handle: string; readonly token: string }>;
  /** Ingest source name and its bearer secret. */
  readonly ingest: { readonly source: string; readonly secret: string };
}

/** Users, tokens and an ingest source, written through the app as a first admin would. */
export async function seedPrincipals(database: string, dataDir: string, responders = 4): Promise<Principals> {
  const app = await createApp({ database, dataDir });
  const server = await buildServer({ app, logger: false, webDist: null });
  try {
    await server.ready();
    const auth = server.firebreak.auth;
    const make = async (handle: string, role: User['role']) => {
      const user = await auth.users.create({ email: `${handle}@example.org`, name: handle, handle, role, password: `${handle}-password-123` });
      return (await auth.createToken(user, { name: 'crash-test' })).secret;
    };
    const admin = await make('crash-admin', 'admin');
    const list: { handle: string; token: string }[] = [];
    for (let i = 1; i <= responders; i++) list.push({ handle: `crash-r${i}`, token: await make(`crash-r${i}`, 'responder') });
    const source = await app.intake.addSource({ name: 'crash-alerts', kind: 'generic', plan: 'nist-team-procedures', auth: 'bearer', actor: 'crash-admin' });
    if (!source.secret) throw new Error('the ingest source got no secret');
    return { admin, responders: list, ingest: { source: 'crash-alerts', secret: source.secret } };
  } finally {
    await server.close();
    await app.close();
  }
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: string,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `firebreak serve` and resolves once /api/health answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(this.port)], {
      env: {
        ...process.env,
        FIREBREAK_DB: this.database,
        FIREBREAK_DATA_DIR: this.dataDir,
        // Public reports are rate-limited per address; the harness sends each from its own.
        FIREBREAK_TRUST_PROXY: '1',
        FIREBREAK_ADMIN_EMAIL: '',
        FIREBREAK_ADMIN_PASSWORD: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    this.stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const started = Date.now();
    let exitedEarly = false;
    child.once('exit', () => {
      exitedEarly = true;
    });
    while (Date.now() - started < timeoutMs) {
      if (exitedEarly) throw new Error(`firebreak serve exited during start: ${this.stderrTail}`);
      const health = await fetch(`${this.baseUrl}/api/health`).catch(() => undefined);
      if (health?.status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`firebreak serve did not answer /api/health within ${timeoutMs} ms: ${this.stderrTail}`);
  }

  /** SIGKILL: the process dies mid-write, no shutdown hook runs. */
  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait (the end of a test). */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  get lastStderr(): string {
    return this.stderrTail;
  }
}
