/**
 * Runs the `firebreak` command with the real world wired in: stdout/stderr, the local or
 * remote backend, the server. Turns every failure into one clear line on stderr and an
 * exit code (see `exit-codes.ts`); a stack trace is printed only for a bug, and only
 * with FIREBREAK_DEBUG=1. Tests call `runCli` with their own io.
 */
import { createInterface } from 'node:readline';
import { CommanderError } from 'commander';
import { createApp } from '../app/firebreak-app.js';
import { FirebreakError } from '../domain/errors.js';
import { mailConfigFromEnv } from '../integrations/delivery/channel-senders.js';
import { loadCredential } from './credentials.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { LocalBackend } from './local-backend.js';
import { buildProgram, type CliIo } from './program.js';
import { RemoteBackend } from './remote-backend.js';

/** Reads a password from the terminal without echoing it, or one line from piped stdin. */
function readPassword(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
    if (process.stdin.isTTY) {
      process.stderr.write(prompt);
      // Mute the echo of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    }
    rl.once('line', (line) => {
      rl.close();
      if (process.stdin.isTTY) process.stderr.write('\n');
      resolve(line);
    });
    rl.once('close', () => reject(new FirebreakError('FB_ERR_INPUT_INVALID', 'no password given (type it, pipe it on stdin, or set FIREBREAK_PASSWORD)')));
  });
}

export function defaultIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    backend: async (options) => {
      if (options.server) return new RemoteBackend(options.server, process.env['FIREBREAK_TOKEN'] || loadCredential(options.server)?.token || null);
      return LocalBackend.open(options.db, options.plans ?? []);
    },
    now: () => new Date(),
    readPassword,
    async serve(options) {
      // Loaded only for `serve`, so every other command starts without Fastify.
      const { buildServer } = await import('../http/server.js');
      const { serverSettingsFromEnv } = await import('../http/server-config.js');
      const settings = serverSettingsFromEnv(process.env);
      const mail = mailConfigFromEnv(process.env);
      const { schedulerSettingsFromEnv } = await import('../app/scheduler/scheduler-settings.js');
      const scheduler = schedulerSettingsFromEnv(process.env);
      const app = await createApp({ database: options.db, planDirs: options.plans ?? [], scheduler, ...(mail ? { delivery: { mail } } : {}) });
      // On PostgreSQL, live updates fan out to every process through LISTEN/NOTIFY.
      const { PostgresLiveFeed } = await import('../app/postgres-live-feed.js');
      const live = app.store.dialect === 'postgres' ? await PostgresLiveFeed.open(options.db, { warn: (m) => process.stderr.write(`${m}\n`) }) : undefined;
      const server = await buildServer({ app, ...settings, ...(live ? { live } : {}) });
      await app.scheduler.start(server.log);
      // Say at start-up, plainly, which plan would page nobody and what to configure.
      const { reachabilityWarnings } = await import('../app/paging/paging-service.js');
      for (const warning of reachabilityWarnings(await app.paging.reachability())) server.log.warn(`escalation reaches nobody: ${warning}`);
      const stopDrills = app.drills.startDelivery(15_000, (error) => server.log.warn({ err: error }, 'delivering drill injects failed'));
      const stopCheckpoints = await startRecord(app, server.log);
      const { gracefulShutdown, onStopSignals, shutdownGraceMs } = await import('../http/graceful-shutdown.js');
      onStopSignals(
        gracefulShutdown(server, {
          graceMs: shutdownGraceMs(),
          closeResources: async () => {
            stopDrills();
            stopCheckpoints();
            await app.scheduler.stop();
            await live?.close();
            await app.close();
          },
        }),
      );
      await server.listen({ port: options.port, host: options.host });
    },
  };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  process.exitCode = undefined;
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

/** Interval checkpoints and the self-check against the witness file, logged as errors when the store diverges. */
async function startRecord(app: Awaited<ReturnType<typeof createApp>>, log: { error(obj: object, msg: string): void }): Promise<() => void> {
  const { recordSettingsFromEnv } = await import('../app/record/record-settings.js');
  const { lastWitnessed } = await import('../integrations/record/file-witness.js');
  const { readFile } = await import('node:fs/promises');
  const settings = recordSettingsFromEnv(process.env);
  const witnessed = settings.witnessFile
    ? async () => {
        const text = await readFile(settings.witnessFile!, 'utf8').catch(() => '');
        if (!text.trim()) return undefined;
        const last = lastWitnessed(text);
        return { seq: last.seq ?? 0, text: last.text };
      }
    : undefined;
  return app.record.startCheckpoints(settings.intervalMs, {
    selfCheckEvery: settings.selfCheckEvery,
    ...(witnessed ? { witnessed } : {}),
    report: (problem) => log.error({ component: 'record' }, problem),
  });
}
