/**
 * Entry point of the `firebreak` command. Turns every failure into one clear line on
 * stderr and an exit code (see `exit-codes.ts`); a stack trace is printed only for a bug,
 * and only with FIREBREAK_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { createApp } from '../app/firebreak-app.js';
import { FirebreakError } from '../domain/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { LocalBackend } from './local-backend.js';
import { buildProgram, type CliIo } from './program.js';

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  backend: (options) => LocalBackend.open(options.db, options.plans ?? []),
  now: () => new Date(),
  async serve(options) {
    // Loaded only for `serve`, so other commands start without Fastify.
    const { buildServer } = await import('../http/server.js');
    const { gracefulShutdown, onStopSignals, shutdownGraceMs } = await import('../http/graceful-shutdown.js');
    const graceMs = shutdownGraceMs();
    const app = await createApp({ database: options.db, planDirs: options.plans ?? [] });
    const server = await buildServer({ app });
    onStopSignals(gracefulShutdown(server, { graceMs, closeResources: () => app.close() }));
    await server.listen({ port: options.port, host: options.host });
  },
};

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help/version text).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof FirebreakError) {
      io.err(`error: ${error.message}`);
      return exitCodeFor(error.kind);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/SQLITE_CANTOPEN|unable to open database|ECONNREFUSED/.test(message)) {
      io.err(`error: cannot open the database: ${message}`);
      return EXIT.unavailable;
    }
    io.err(`error: internal error: ${message} (this is a bug; run with FIREBREAK_DEBUG=1 for details)`);
    if (process.env['FIREBREAK_DEBUG'] === '1' && error instanceof Error) io.err(error.stack ?? '');
    return EXIT.internal;
  }
}

const code = await main(process.argv.slice(2));
if (code !== EXIT.ok || process.exitCode) process.exitCode = code;
