/**
 * `firebreak schedule list|show|oncall|create|update|override add|override remove|history|feed`:
 * on-call schedules from the terminal, on the database or with `--server` through the
 * API. Times are printed in the reader's zone (`--tz`, else this machine's).
 */
import { type Command, Option } from 'commander';
import { createApp, type FirebreakApp } from '../../app/firebreak-app.js';
import type { ScheduleDetail, ScheduleSummary } from '../../app/paging/index.js';
import { fieldError } from '../../domain/errors.js';
import { isKnownZone } from '../../domain/paging/wall-time.js';
import { formatForReader } from '../../domain/time/reader-time.js';
import type { CliBackend } from '../backend.js';
import { readContentFile } from '../content-file.js';
import { LocalScheduleBackend, type ScheduleBackend } from '../schedule-backend.js';

export interface ScheduleCliDeps {
  readonly globals: () => { db: string; json: boolean; plans?: string[]; server?: string };
  readonly out: (text: string) => void;
  readonly actor: (by?: string) => string;
  readonly env: NodeJS.ProcessEnv;
  readonly openApp?: (options: { db: string; plans?: string[] }) => Promise<FirebreakApp>;
  readonly openBackend?: () => Promise<CliBackend>;
}

function zoneOption(tz: string | undefined): string {
  const zone = tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isKnownZone(zone)) throw fieldError('FB_ERR_INPUT_INVALID', '--tz', `"${zone}" is not an IANA time zone (e.g. Europe/Berlin)`);
  return zone;
}

function days(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 92) throw fieldError('FB_ERR_INPUT_INVALID', '--days', `"${raw}" is not a whole number of days from 1 to 92`);
  return n;
}

function instant(raw: string, option: string): string {
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) throw fieldError('FB_ERR_INPUT_INVALID', option, `"${raw}" is not an ISO 8601 date-time, e.g. 2026-12-08T09:00:00Z`);
  return new Date(ms).toISOString();
}

function describeList(schedules: readonly ScheduleSummary[]): string {
  if (schedules.length === 0) return 'No on-call schedules yet. Create one with: firebreak schedule create --file schedule.yaml';
  return schedules.map((s) => `${s.id}  ${s.name}: ${s.onCallNow ? `${s.onCallNow} is on call now` : 'NOBODY is on call now'}`).join('\n');
}

function describeDetail(detail: ScheduleDetail, zone: string): string {
  const when = (iso: string) => formatForReader(iso, zone);
  const lines = [`${detail.name} (${detail.id}), version ${detail.version}`, `On call now: ${detail.onCallNow ?? 'NOBODY (a gap)'}`, `Shifts ${when(detail.from)} – ${when(detail.to)}:`];
  for (const shift of detail.shifts) lines.push(`  ${when(shift.start)} – ${when(shift.end)}  ${shift.user}${shift.source === 'override' ? ' (override)' : ''}`);
  for (const gap of detail.gaps) lines.push(`  GAP ${when(gap.start)} – ${when(gap.end)}: nobody is on call`);
  return lines.join('\n');
}

export function registerScheduleCommands(program: Command, deps: ScheduleCliDeps): void {
  const open = deps.openApp ?? ((o: { db: string; plans?: string[] }) => createApp({ database: o.db, planDirs: o.plans ?? [] }));
  const print = (value: unknown, text: () => string) => deps.out(deps.globals().json ? JSON.stringify(value, null, 2) : text());
  async function withSchedules<T>(work: (backend: ScheduleBackend) => Promise<T>): Promise<T> {
    const globals = deps.globals();
    let backend: ScheduleBackend;
    if (globals.server) {
      const remote = deps.openBackend ? await deps.openBackend() : undefined;
      if (!remote?.schedules) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'this backend cannot reach schedules over the API; run without --server on the server host');
      backend = remote.schedules();
    } else {
      backend = new LocalScheduleBackend(await open(globals), deps.env['FIREBREAK_PUBLIC_URL'] ?? 'http://127.0.0.1:8080');
    }
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  }
  const by = () => new Option('--by <user>', 'who makes the change (default: --as or your login name)');
  const tz = () => new Option('--tz <zone>', "time zone to print times in (default: this machine's)");

  const schedule = program.command('schedule').description('on-call schedules: who is on call when, overrides, calendar feeds');
  schedule
    .command('list')
    .description('every schedule and who is on call now')
    .action(() => withSchedules(async (b) => { const list = await b.list(); print(list, () => describeList(list)); }));
  schedule
    .command('show <id>')
    .description('a schedule with its shifts and gaps')
    .option('--from <iso>', 'start of the span (default: now)')
    .option('--days <n>', 'length of the span in days (1–92)', '14')
    .addOption(tz())
    .action((id: string, opts: { from?: string; days: string; tz?: string }) =>
      withSchedules(async (b) => {
        const zone = zoneOption(opts.tz);
        const detail = await b.show(id, opts.from ? instant(opts.from, '--from') : undefined, days(opts.days));
        print(detail, () => describeDetail(detail, zone));
      }),
    );
  schedule
    .command('oncall <id>')
    .description('who is on call (now, or --at an instant)')
    .option('--at <iso>', 'the instant to ask about (default: now)')
    .action((id: string, opts: { at?: string }) =>
      withSchedules(async (b) => {
        const detail = await b.show(id, opts.at ? instant(opts.at, '--at') : undefined, 1);
        const who = detail.onCallAtFrom;
        print({ schedule: id, at: detail.from, onCall: who }, () => (who ? who : `nobody is on call for ${id} at ${detail.from}`));
      }),
    );
  schedule
    .command('create')
    .description('create a schedule from a YAML or JSON file (id, name, timeZone, layers)')
    .requiredOption('--file <path>', 'the schedule definition')
    .addOption(by())
    .action((opts: { file: string; by?: string }) =>
      withSchedules(async (b) => {
        const created = await b.create(readContentFile(opts.file, '--file'), deps.actor(opts.by));
        print(created, () => `Created ${created.id}. On call now: ${created.onCallNow ?? 'NOBODY (a gap)'}.`);
      }),
    );
  schedule
    .command('update <id>')
    .description("replace a schedule's rotation layers from a file (overrides are kept)")
    .requiredOption('--file <path>', 'the schedule definition')
    .addOption(by())
    .action((id: string, opts: { file: string; by?: string }) =>
      withSchedules(async (b) => {
        const updated = await b.replace(id, readContentFile(opts.file, '--file'), deps.actor(opts.by));
        print(updated, () => `Updated ${updated.id} (version ${updated.version}). On call now: ${updated.onCallNow ?? 'NOBODY (a gap)'}.`);
      }),
    );
  const override = schedule.command('override').description('put someone on call for an interval, or take that back');
  override
    .command('add <id>')
    .requiredOption('--user <handle>', 'who takes the shift')
    .requiredOption('--start <iso>', 'from (ISO 8601 date-time)')
    .requiredOption('--end <iso>', 'until (ISO 8601 date-time)')
    .addOption(by())
    .action((id: string, opts: { user: string; start: string; end: string; by?: string }) =>
      withSchedules(async (b) => {
        const added = await b.addOverride(id, { user: opts.user, start: instant(opts.start, '--start'), end: instant(opts.end, '--end') }, deps.actor(opts.by));
        print(added, () => `${added.user} is on call for ${id} from ${added.start} to ${added.end} (override ${added.id}).`);
      }),
    );
  override
    .command('remove <id> <override>')
    .addOption(by())
    .action((id: string, overrideId: string, opts: { by?: string }) =>
      withSchedules(async (b) => {
        await b.removeOverride(id, overrideId, deps.actor(opts.by));
        print({ removed: overrideId }, () => `Removed override ${overrideId} from ${id}.`);
      }),
    );
  schedule
    .command('history <id>')
    .description('every change to a schedule')
    .action((id: string) =>
      withSchedules(async (b) => {
        const changes = await b.history(id);
        print(changes, () => changes.map((c) => `v${c.version}  ${c.changedAt}  ${c.changedBy}  ${c.change}${c.detail ? `: ${c.detail}` : ''}`).join('\n'));
      }),
    );
  schedule
    .command('feed')
    .description('a new private link to subscribe to your shifts in a calendar app (an older link stops working)')
    .addOption(by())
    .action((opts: { by?: string }) =>
      withSchedules(async (b) => {
        const url = await b.feed(deps.actor(opts.by));
        print({ url }, () => `Subscribe to this link in your calendar app (keep it private):\n${url}`);
      }),
    );
}
