/**
 * The commands that move whole stores: `backup`, `restore`, `export`, `import` and
 * `migrate-store`. They work on the database directly (never through a server), since
 * they read or replace everything in it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { backupStore, restoreStore } from '../app/backup-service.js';
import { exportIncidentLogs, importIncidentLogs } from '../app/incident-log-transfer.js';
import { copyIntoStore, storeRowSource, type TransferReport } from '../app/store-transfer.js';
import { fieldError } from '../domain/errors.js';
import { isPostgresUrl, openStore, type Store } from '../store/store.js';
import { redactUrl } from '../store/postgres-store.js';
import { progressDisplay } from './transfer-progress.js';

export interface StoreCommandContext {
  /** The store location from the global options (`--db`). */
  db(): string;
  json(): boolean;
  out(text: string): void;
  err(text: string): void;
  now(): Date;
}

async function withStore<T>(location: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** `sqlite:PATH`, a plain path, or a `postgres://` URL. */
export function parseStoreLocation(raw: string, option: string): string {
  const value = raw.trim();
  if (value === '') throw fieldError('FB_ERR_INPUT_INVALID', option, 'must name a store: sqlite:PATH or postgres://…');
  if (isPostgresUrl(value)) return value;
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw fieldError('FB_ERR_INPUT_INVALID', option, '"sqlite:" needs a file path, e.g. sqlite:./data/firebreak.db');
    return path;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw fieldError('FB_ERR_INPUT_INVALID', option, `"${value.split(':')[0]}" is not a store Firebreak knows; use sqlite:PATH or postgres://…`);
  return value;
}

function shown(location: string): string {
  return isPostgresUrl(location) ? redactUrl(location) : location;
}

function formatTransfer(report: TransferReport): string {
  const width = Math.max(...report.tables.map((t) => t.table.length), 5);
  const rows = report.tables.map((t) => `  ${t.table.padEnd(width)}  ${String(t.target).padStart(9)}`);
  return [
    `  ${'table'.padEnd(width)}  ${'rows'.padStart(9)}`,
    ...rows,
    `${report.incidents} incidents, ${report.events} events; every row count matches the source and all ${report.chainsVerified} hash chains verify.`,
    `Took ${(report.milliseconds / 1000).toFixed(1)} s.`,
  ].join('\n');
}

export function addStoreCommands(program: Command, ctx: StoreCommandContext): void {
  const print = (value: unknown, text: () => string) => ctx.out(ctx.json() ? JSON.stringify(value, null, 2) : text());

  program
    .command('backup <file>')
    .description('back up the whole store to FILE (SQLite: a database copy; PostgreSQL: a gzip\'d logical dump)')
    .action((file: string) =>
      withStore(ctx.db(), async (store) => {
        const result = await backupStore(store, file, ctx.now());
        print(result, () => `Backed up ${store.location} to ${file} (${result.kind === 'sqlite-file' ? 'SQLite database file' : "gzip'd logical dump"}):\n${result.tables.map((t) => `  ${t.name}: ${t.rows} rows`).join('\n')}`);
      }),
    );

  program
    .command('restore <file>')
    .description('restore a backup into the store (refuses a store holding data unless --force)')
    .option('--force', 'replace everything the store holds')
    .action((file: string, opts: { force?: boolean }) =>
      withStore(ctx.db(), async (store) => {
        const progress = progressDisplay();
        let report: TransferReport;
        try {
          report = await restoreStore(store, file, { force: opts.force ?? false, onProgress: progress.update });
        } finally {
          progress.stop();
        }
        print(report, () => `Restored ${file} into ${store.location}:\n${formatTransfer(report)}`);
      }),
    );

  program
    .command('export')
    .description("write every incident's log (one event per line), the plan versions and the id counters")
    .requiredOption('--format <format>', 'jsonl (the only format so far)')
    .option('--out <file>', 'write here instead of standard output')
    .action((opts: { format: string; out?: string }) => {
      if (opts.format !== 'jsonl') throw fieldError('FB_ERR_INPUT_INVALID', '--format', `"${opts.format}" is not supported; use jsonl`);
      return withStore(ctx.db(), async (store) => {
        const target: WriteStream | NodeJS.WriteStream = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
        const write = async (line: string) => {
          if (!target.write(line)) await once(target, 'drain');
        };
        const summary = await exportIncidentLogs(store, write, ctx.now());
        if (opts.out) {
          (target as WriteStream).end();
          await once(target, 'finish');
        }
        ctx.err(`Exported ${summary.incidents} incidents (${summary.events} events) and ${summary.plans} plan versions${opts.out ? ` to ${opts.out}` : ''}.`);
      });
    });

  program
    .command('import <file>')
    .description('import an export: every hash chain is verified first; nothing is written unless all of it is sound')
    .action((file: string) =>
      withStore(ctx.db(), async (store) => {
        const summary = await importIncidentLogs(store, file);
        print(summary, () => `Imported ${summary.incidents} incidents (${summary.events} events) into ${store.location}; every hash chain verified. ${summary.plansAdded} plan versions added.`);
      }),
    );

  program
    .command('migrate-store')
    .description('copy a whole store into another, e.g. SQLite to PostgreSQL, then check counts and every chain')
    .requiredOption('--from <store>', 'sqlite:PATH or postgres://…')
    .requiredOption('--to <store>', 'sqlite:PATH or postgres://…')
    .option('--force', 'replace whatever the target holds')
    .action(async (opts: { from: string; to: string; force?: boolean }) => {
      const from = parseStoreLocation(opts.from, '--from');
      const to = parseStoreLocation(opts.to, '--to');
      if (from === to) throw fieldError('FB_ERR_INPUT_INVALID', '--to', 'is the same store as --from');
      ctx.err(`Copying ${shown(from)} → ${shown(to)}`);
      await withStore(from, (source) =>
        withStore(to, async (target) => {
          const progress = progressDisplay();
          let report: TransferReport;
          try {
            report = await copyIntoStore(await storeRowSource(source), target, { force: opts.force ?? false, onProgress: progress.update });
          } finally {
            progress.stop();
          }
          print(report, () => `Copied ${shown(from)} into ${shown(to)}:\n${formatTransfer(report)}`);
        }),
      );
    });
}
