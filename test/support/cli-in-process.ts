/**
 * Runs the real command-line program inside the test process on a database file, with
 * `--server` going to `RemoteBackend` with the given token: output, errors and the exit
 * code from the one mapping in cli/exit-codes.ts, as `firebreak` would give them.
 */
import { CommanderError } from 'commander';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { buildProgram, type CliIo } from '../../src/cli/program.js';
import { RemoteBackend } from '../../src/cli/remote-backend.js';
import { FirebreakError } from '../../src/domain/errors.js';

export interface InProcessRun {
  code: number;
  out: string;
  err: string;
}

export async function runCliInProcess(database: string, token: string, args: readonly string[]): Promise<InProcessRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    // Local commands open the app themselves; --server goes through the API backend.
    backend: (options) => (options.server ? Promise.resolve(new RemoteBackend(options.server, token)) : Promise.reject(new Error('local commands open the app themselves'))),
    now: () => new Date(),
    serve: () => Promise.resolve(),
    env: {},
    readPassword: () => Promise.reject(new Error('no password prompts in these tests')),
  };
  let code = 0;
  try {
    await buildProgram(io).parseAsync(['--db', database, ...args], { from: 'user' });
  } catch (error) {
    if (error instanceof FirebreakError) {
      err.push(`error: ${error.message}`);
      code = exitCodeFor(error.kind);
    } else if (error instanceof CommanderError) {
      err.push(error.message);
      code = 2;
    } else {
      throw error;
    }
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}
