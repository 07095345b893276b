/**
 * The commands that move whole stores: `backup`, `restore`, `export`, `import` and
 * `migrate-store`. They work on the database directly (never through a server), since
 * they read or replace everything in it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type BackupResult, backupStore, type RestoreReport, restoreStore } from '../app/backup-service.js';
import { exportIncidentLogs, importIncidentLogs } from '../app/incident-log-transfer.js';
import { copyIntoStore, storeRowSource, type TransferReport } from '../app/store-transfer.js';
import { dataDirectory } from '../app/firebreak-app.js';
import { fieldError } from '../domain/errors.js';
import { FsEvidenceStorage } from '../integrations/evidence-storage/fs-evidence-storage.js';
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

/** The evidence storage of the store at `location`: `<data dir>/evidence`, as `serve` uses it. */
function evidenceStorage(location: string, dataDir: string | undefined): FsEvidenceStorage {
  return new FsEvidenceStorage(join(dataDirectory({ database: location, ...(dataDir ? { dataDir } : {}) }), 'evidence'));
}

function evidenceLines(summary: BackupResult['evidence'] | RestoreReport['evidence'], verb: string): string {
  if (!summary) return '';
  const lines = [`\n${summary.files} evidence files (${summary.bytes} bytes) ${verb} ${summary.directory}, each re-hashed.`];
  if ('problems' in summary) for (const p of summary.problems) lines.push(`WARNING: evidence ${p.sha256} is ${p.problem === 'missing' ? 'missing from the evidence storage' : 'altered in the evidence storage (its bytes no longer match)'}; not in the backup.`);
  if ('missing' in summary) for (const sha of summary.missing) lines.push(`WARNING: evidence ${sha} has no stored bytes after the restore (the backup holds no file for it).`);
  return lines.join('\n');
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
    .description('back up the whole store to FILE (SQLite: a database copy; PostgreSQL: a gzip\'d logical dump) and its evidence files to FILE.evidence/')
    .option('--data-dir <dir>', 'where the evidence files live (default: $FIREBREAK_DATA_DIR, else beside the SQLite file, else ./data)')
    .action((file: string, opts: { dataDir?: string }) =>
      withStore(ctx.db(), async (store) => {
        const result = await backupStore(store, file, ctx.now(), { evidence: evidenceStorage(ctx.db(), opts.dataDir) });
        print(result, () => `Backed up ${store.location} to ${file} (${result.kind === 'sqlite-file' ? 'SQLite database file' : "gzip'd logical dump"}):\n${result.tables.map((t) => `  ${t.name}: ${t.rows} rows`).join('\n')}${evidenceLines(result.evidence, 'copied to')}`);
      }),
    );

  program
    .command('restore <file>')
    .description('restore a backup (and its evidence files from FILE.evidence/, re-hashed) into the store (refuses a store holding data unless --force)')
    .option('--force', 'replace everything the store holds')
    .option('--data-dir <dir>', 'where to put the evidence files (default: $FIREBREAK_DATA_DIR, else beside the SQLite file, else ./data)')
    .action((file: string, opts: { force?: boolean; dataDir?: string }) =>
      withStore(ctx.db(), async (store) => {
        const progress = progressDisplay();
        let report: RestoreReport;
        try {
          report = await restoreStore(store, file, { force: opts.force ?? false, onProgress: progress.update, evidence: evidenceStorage(ctx.db(), opts.dataDir) });
        } finally {
          progress.stop();
        }
        print(report, () => `Restored ${file} into ${store.location}:\n${formatTransfer(report)}${evidenceLines(report.evidence, 'restored from')}`);
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
