/**
 * A real `firebreak serve` in a child process, as operators run it: on a free loopback
 * port, against the database given, answering /api/health before the test goes on.
 * `stop()` is a graceful SIGTERM; `kill()` is SIGKILL, for crash tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assertBuilt } from './cli.js';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export async function startServeProcess(database: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ServeProcess> {
  assertBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, FIREBREAK_DB: database, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`firebreak serve exited with ${child.exitCode} before answering: ${stderr}`);
    const health = await fetch(`${url}/api/health`).catch(() => undefined);
    if (health?.ok) break;
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`firebreak serve did not answer /api/health within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  return { url, child, stderr: () => stderr, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}
