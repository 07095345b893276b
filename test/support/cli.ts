/**
 * Runs the real `firebreak` command (the compiled CLI, as users run it) in a child
 * process. `npm test` builds before testing; a missing build fails loudly.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LOOPBACK_OUTBOUND_ALLOW } from './loopback-outbound.js';

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
      { env: { ...process.env, FIREBREAK_USER: 'cli-user', FIREBREAK_OUTBOUND_ALLOW: LOOPBACK_OUTBOUND_ALLOW, ...env }, timeout: 60_000, maxBuffer: 10 * 1024 * 1024 },
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

/**
 * The same CLI pointed at a server (`--server`): each command runs with the API token of
 * the user its `--by` names (the server records the token's owner as the actor), or of
 * `cli-user` when it names nobody, exactly as people on a team would each be signed in.
 */
export function cliForServer(server: string, tokenOf: (handle: string) => string) {
  const prepare = (args: readonly string[]) => {
    const by = args.indexOf('--by');
    const handle = by >= 0 ? args[by + 1]! : 'cli-user';
    const rest = by >= 0 ? [...args.slice(0, by), ...args.slice(by + 2)] : [...args];
    return { rest, env: { FIREBREAK_SERVER: server, FIREBREAK_TOKEN: tokenOf(handle) } };
  };
  return {
    run(...args: string[]) {
      const { rest, env } = prepare(args);
      return runCli(rest, env);
    },
    async ok(...args: string[]): Promise<string> {
      const { rest, env } = prepare(args);
      const result = await runCli(rest, env);
      if (result.code !== 0) throw new Error(`firebreak --server ${args.join(' ')} exited ${result.code}: ${result.stderr || result.stdout}`);
      return result.stdout;
    },
    async json<T>(...args: string[]): Promise<T> {
      const { rest, env } = prepare(args);
      const result = await runCli(['--json', ...rest], env);
      if (result.code !== 0) throw new Error(`firebreak --server --json ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
  };
}
