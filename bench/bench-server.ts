/**
 * Starts `load-target.ts` as a child process (the honest set-up: the load generator and
 * the server do not share an event loop) and stops it again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  readonly url: string;
  readonly token: string;
  readonly ingestSource: string;
  readonly ingestSecret: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBenchServer(mode: 'bare' | 'firebreak', database = '', options: { hooks?: boolean } = {}): Promise<BenchServer> {
  const script = fileURLToPath(new URL('./load-target.ts', import.meta.url));
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server under test to DIR (where its time goes).
  const profile = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...profile, '--expose-gc', '--import', 'tsx', script, mode, ...(database ? [database] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(options.hooks ? { FIREBREAK_BENCH_HOOKS: '1' } : {}) },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} bench server exited with ${code} before it was ready`)));
  });
  const { port, token, ingestSource, ingestSecret } = JSON.parse(line) as { port: number; token: string; ingestSource: string; ingestSecret: string };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    ingestSource,
    ingestSecret,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // A server still busy with a request that timed out may not close: kill it after 10 s.
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
