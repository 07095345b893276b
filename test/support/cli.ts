/**
 * Runs the real `firebreak` command (the compiled CLI, as users run it) in a child
 * process. `npm test` builds before testing; a missing build fails loudly.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/firebreak.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/bundle/main.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` before the CLI tests (npm test does)');
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, FIREBREAK_USER: 'cli-user', ...env }, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A CLI bound to one database, with `--json` parsing for reads. */
export function cliFor(database: string, extraEnv: Record<string, string> = {}) {
  const env = { FIREBREAK_DB: database, ...extraEnv };
  return {
    run: (...args: string[]) => runCli(args, env),
    async ok(...args: string[]): Promise<string> {
      const result = await runCli(args, env);
      if (result.code !== 0) throw new Error(`firebreak ${args.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`);
      return result.stdout;
    },
    async json<T>(...args: string[]): Promise<T> {
      const result = await runCli(['--json', ...args], env);
      if (result.code !== 0) throw new Error(`firebreak --json ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
  };
}
