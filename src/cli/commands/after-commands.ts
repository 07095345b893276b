/**
 * The after-incident commands: evidence and its chain of custody, the post-incident
 * review and report, action items, metrics, drills, plan upkeep and diffs, and search.
 * Registered by `program.ts` with one line; each command calls the backend's after
 * services once and prints text (or JSON with --json).
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import { formatDuration } from '../../domain/metrics/response-times.js';
import type { GroupMetrics, MetricsReport } from '../../domain/metrics/incident-metrics.js';
import type { ReviewPatch } from '../../domain/review/review-document.js';
import type { AfterServices, CliBackend } from '../backend.js';
import { table } from '../format.js';
import type { CliIo, GlobalOptions } from '../program.js';

export interface AfterCommandDeps {
  readonly io: CliIo;
  readonly globals: () => GlobalOptions;
  readonly actorOf: (by?: string) => string;
}

function incidentId(raw: string): string {
  return raw.trim().toUpperCase();
}

function when(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '—';
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw fieldError('FB_ERR_INPUT_INVALID', what, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function refuseExisting(out: string): void {
  if (existsSync(out)) throw fieldError('FB_ERR_INPUT_INVALID', '--out', `${out} already exists; choose another file`);
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

function groupLines(name: string, g: GroupMetrics): string[] {
  const sla = Object.entries(g.sla)
    .map(([k, f]) => `${k} ${percent(f?.compliance ?? null)}`)
    .join(', ');
  return [
    name,
    String(g.count),
    formatDuration(g.mttaMs) ?? '—',
    formatDuration(g.meanContainMs) ?? '—',
    formatDuration(g.p90ContainMs) ?? '—',
    formatDuration(g.meanResolveMs) ?? '—',
    formatDuration(g.p90ResolveMs) ?? '—',
    percent(g.sitrepPunctuality),
    String(g.actionItemsOverdue),
    sla || '—',
  ];
}

export function formatMetrics(report: MetricsReport): string {
  const rows = [['GROUP', 'COUNT', 'MTTA', 'CONTAIN MEAN', 'CONTAIN P90', 'RESOLVE MEAN', 'RESOLVE P90', 'SITREPS', 'OVERDUE ACTIONS', 'SLA (on time)'], groupLines('all', report.overall)];
  for (const [label, groups] of [
    ['severity', report.bySeverity],
    ['category', report.byCategory],
    ['plan', report.byPlan],
  ] as const) {
    for (const [key, g] of Object.entries(groups)) rows.push(groupLines(`${label} ${key}`, g));
  }
  const period = `${report.from ? when(report.from) : 'the beginning'} to ${report.to ? when(report.to) : 'now'}`;
  return `Incidents reported from ${period} (${report.drillsExcluded} drill(s) excluded, ${report.falseAlarms} false alarm(s))\n${table(rows)}`;
}

export function registerAfterCommands(program: Command, deps: AfterCommandDeps): void {
  const { io, globals, actorOf } = deps;
  const print = (value: unknown, text: () => string) => io.out(globals().json ? JSON.stringify(value, null, 2) : text());

  async function withAfter<T>(work: (after: AfterServices) => Promise<T>): Promise<T> {
    const backend: CliBackend = await io.backend(globals());
    try {
      if (!backend.after) throw new FirebreakError('FB_ERR_INPUT_INVALID', 'this command needs direct database access (--db), not --server', [{ path: '--server', message: 'not supported for this command yet' }]);
      return await work(backend.after());
    } finally {
      await backend.close();
    }
  }

  const byOption = () => new Option('--by <user>', 'who does it (default: --as)');
  const atOption = () => new Option('--at <iso>', 'when it happened, if earlier than now (ISO 8601)');
  const commandOptions = (opts: { by?: string; at?: string }) => ({ actor: actorOf(opts.by), ...(opts.at ? { occurredAt: opts.at } : {}) });

  // ---- evidence -------------------------------------------------------------------------
  const evidence = program.command('evidence').description('evidence with chain of custody: add, list, show, get, transfer, custody');
  evidence
    .command('add <id> [file]')
    .description('add a file (streamed, hashed with SHA-256) or, with --text/--link, a log excerpt or link')
    .requiredOption('--description <text>', 'what it is')
    .requiredOption('--source <text>', 'where it came from (host, system, log, person)')
    .addOption(new Option('--text <text>', 'a log excerpt or other text instead of a file').conflicts('link'))
    .option('--link <url>', 'an http(s) link instead of a file')
    .option('--collector <user>', 'who gathered it (default: --by)')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, file: string | undefined, opts: { description: string; source: string; text?: string; link?: string; collector?: string; by?: string; at?: string }) =>
      withAfter(async (after) => {
        const id = incidentId(raw);
        const meta = { description: opts.description, source: opts.source, ...(opts.collector ? { collector: opts.collector } : {}) };
        let item: Awaited<ReturnType<typeof after.evidence.addFile>>;
        if (opts.text !== undefined || opts.link !== undefined) {
          if (file) throw fieldError('FB_ERR_INPUT_INVALID', 'file', 'give a file or --text/--link, not both');
          item = await after.evidence.addText(id, opts.link !== undefined ? { kind: 'link', text: opts.link } : { kind: 'text', text: opts.text! }, meta, commandOptions(opts));
        } else {
          if (!file) throw fieldError('FB_ERR_INPUT_INVALID', 'file', 'give a file to add, or --text/--link');
          let isFile = false;
          try {
            isFile = statSync(file).isFile();
          } catch {
            isFile = false;
          }
          if (!isFile) throw fieldError('FB_ERR_INPUT_INVALID', 'file', `${file} is not a readable file`);
          item = await after.evidence.addFile(id, createReadStream(file), { ...meta, filename: basename(file) }, commandOptions(opts));
        }
        print(item, () => `${item.id} added to ${item.incidentId}: ${item.kind}, ${item.size} bytes, sha256 ${item.sha256}\nCustodian: ${item.custodian}`);
      }),
    );
  evidence
    .command('list <id>')
    .description('list evidence of an incident (metadata only; not recorded as an access)')
    .action((raw: string) =>
      withAfter(async (after) => {
        const items = await after.evidence.list(incidentId(raw));
        print(items, () =>
          items.length
            ? table([['ID', 'KIND', 'COLLECTED', 'COLLECTOR', 'CUSTODIAN', 'SIZE', 'SHA-256', 'DESCRIPTION'], ...items.map((i) => [i.id, i.kind, when(i.collectedAt), i.collector, i.custodian, String(i.size), `${i.sha256.slice(0, 16)}…`, i.description])])
            : 'No evidence recorded.',
        );
      }),
    );
  evidence
    .command('show <evidenceId>')
    .description('show an item (text and links inline); recorded as a view')
    .option('--purpose <text>', 'why you are looking')
    .addOption(byOption())
    .action((raw: string, opts: { purpose?: string; by?: string }) =>
      withAfter(async (after) => {
        const { item, text } = await after.evidence.view(raw.trim().toUpperCase(), { actor: actorOf(opts.by), ...(opts.purpose ? { purpose: opts.purpose } : {}) });
        print({ item, text }, () =>
          [`${item.id} (${item.kind}) of ${item.incidentId}: ${item.description}`, `Source: ${item.source}  Collector: ${item.collector}  Custodian: ${item.custodian}`, `SHA-256: ${item.sha256} (${item.size} bytes)`, ...(text !== null ? ['', text] : item.filename ? [`File: ${item.filename} (use: firebreak evidence get ${item.id} --out FILE)`] : [])].join('\n'),
        );
      }),
    );
  evidence
    .command('get <evidenceId>')
    .description('save a copy of the stored bytes; recorded as a download (or an export with --export)')
    .requiredOption('--out <file>', 'where to write it (must not exist)')
    .option('--export', 'the copy leaves the team (counsel, law enforcement): record an export')
    .option('--purpose <text>', 'why')
    .addOption(byOption())
    .action((raw: string, opts: { out: string; export?: boolean; purpose?: string; by?: string }) =>
      withAfter(async (after) => {
        refuseExisting(opts.out);
        const options = { actor: actorOf(opts.by), ...(opts.purpose ? { purpose: opts.purpose } : {}) };
        const id = raw.trim().toUpperCase();
        const { item, stream } = opts.export ? await after.evidence.export(id, options) : await after.evidence.download(id, options);
        await pipeline(stream, createWriteStream(opts.out, { flags: 'wx' }));
        print({ item, out: opts.out }, () => `${item.id} written to ${opts.out} (${item.size} bytes, sha256 ${item.sha256}); ${opts.export ? 'export' : 'download'} recorded.`);
      }),
    );
  evidence
    .command('transfer <evidenceId>')
    .description('move custody to someone else (the reason is recorded)')
    .requiredOption('--to <user>', 'the new custodian')
    .requiredOption('--reason <text>', 'why')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { to: string; reason: string; by?: string; at?: string }) =>
      withAfter(async (after) => {
        const item = await after.evidence.transfer(raw.trim().toUpperCase(), opts.to, opts.reason, commandOptions(opts));
        print(item, () => `${item.id}: custodian is now ${item.custodian}.`);
      }),
    );
  evidence
    .command('custody <evidenceId>')
    .description('the chain of custody: collection, every view, download, export and transfer')
    .action((raw: string) =>
      withAfter(async (after) => {
        const report = await after.evidence.custody(raw.trim().toUpperCase());
        print(report, () =>
          [
            `Chain of custody for ${report.evidenceId} (${report.incidentId}): ${report.item.description}`,
            `SHA-256 ${report.item.sha256}, ${report.item.size} bytes; current custodian ${report.custodian}`,
            '',
            table([['WHEN', 'WHO', 'ACTION', 'CUSTODIAN AFTER', 'DETAIL', 'LOG'], ...report.entries.map((e) => [when(e.at), e.actor, e.action, e.custodian, e.detail || '—', `#${e.seq}`])]),
          ].join('\n'),
        );
      }),
    );

  // ---- review and report ----------------------------------------------------------------
  const review = program.command('review').description('the post-incident review: show, set, complete');
  review
    .command('show <id>')
    .description('the review: due date, key events, response times, the document, action items')
    .action((raw: string) =>
      withAfter(async (after) => {
        const v = await after.reviews.show(incidentId(raw));
        const d = v.document;
        const list = (title: string, items: readonly string[]) => (items.length ? [`${title}:`, ...items.map((i) => `  - ${i}`)] : [`${title}: —`]);
        print(v, () =>
          [
            `Review of ${v.incidentId}${v.drill ? ' [DRILL]' : ''}: ${v.completedAt ? `completed ${when(v.completedAt)}` : v.clock ? `due ${when(v.clock.dueAt)} (${v.clock.state})` : 'due once the incident is resolved'}${v.draft ? ' — draft from the log, not saved yet' : ''}`,
            `Status: ${v.afterStatus}`,
            '',
            'Key events:',
            ...v.keyEvents.map((e) => `  ${when(e.at)}  ${e.summary}`),
            '',
            `Time to discovery:   ${formatDuration(v.times.timeToDiscoveryMs) ?? 'n/a (set --detected-at)'}`,
            `Time to acknowledge: ${formatDuration(v.times.timeToAcknowledgeMs) ?? 'n/a'}`,
            `Time to contain:     ${formatDuration(v.times.timeToContainMs) ?? 'n/a'}`,
            `Time to resolve:     ${formatDuration(v.times.timeToResolveMs) ?? 'n/a'}`,
            '',
            `Discovery method: ${d.discoveryMethod ?? '—'}`,
            ...list('Threat actions', d.threatActions),
            `Root cause: ${d.rootCause ?? '—'}`,
            ...(d.whys.length ? ['Five whys:', ...d.whys.map((w, i) => `  ${i + 1}. ${w}`)] : ['Five whys: —']),
            ...Object.entries(d.fishbone ?? {}).flatMap(([k, items]) => list(`Fishbone ${k}`, items ?? [])),
            ...list('Went well', d.wentWell),
            ...list('To improve', d.toImprove),
            ...list('Control gaps', d.controlGaps),
            '',
            v.actionItems.length ? table([['ACTION', 'STATUS', 'OWNER', 'DUE', 'TITLE'], ...v.actionItems.map((a) => [a.id, a.status, a.owner ?? '—', a.dueDate ?? '—', a.title])]) : 'No action items.',
          ].join('\n'),
        );
      }),
    );
  review
    .command('set <id>')
    .description('fill in the review (lists replace what was there; --file takes YAML with the same keys)')
    .option('--file <yaml>', 'a YAML file with any of the review keys')
    .option('--detected-at <iso>', 'when the incident became active (for time to discovery)')
    .option('--discovery-method <text>', 'how the team became aware')
    .option('--threat-action <text>', 'an action taken by the attacker (repeatable)', repeat)
    .option('--root-cause <text>', 'the root cause')
    .option('--why <text>', 'one answer of the five whys, in order (repeatable)', repeat)
    .option('--fishbone <category=text>', 'a cause under a fishbone category: people, process, technology, environment, suppliers, measurement (repeatable)', repeat)
    .option('--went-well <text>', 'repeatable', repeat)
    .option('--to-improve <text>', 'repeatable', repeat)
    .option('--control-gap <text>', 'repeatable', repeat)
    .option('--impact <text>', 'who and what was affected')
    .option('--resolution <text>', 'what fixed it')
    .option('--lessons <text>', 'key takeaways')
    .option('--progression <text>', 'how the incident progressed')
    .addOption(byOption())
    .action(
      (
        raw: string,
        opts: { file?: string; detectedAt?: string; discoveryMethod?: string; threatAction?: string[]; rootCause?: string; why?: string[]; fishbone?: string[]; wentWell?: string[]; toImprove?: string[]; controlGap?: string[]; impact?: string; resolution?: string; lessons?: string; progression?: string; by?: string },
      ) =>
        withAfter(async (after) => {
          let fromFile: Record<string, unknown> = {};
          if (opts.file) {
            try {
              fromFile = (parseYaml(readText(opts.file, '--file')) ?? {}) as Record<string, unknown>;
            } catch (error) {
              if (error instanceof FirebreakError) throw error;
              throw fieldError('FB_ERR_INPUT_INVALID', '--file', `${opts.file} is not valid YAML`);
            }
          }
          let fishbone: Record<string, string[]> | undefined;
          for (const entry of opts.fishbone ?? []) {
            const eq = entry.indexOf('=');
            if (eq < 1) throw fieldError('FB_ERR_INPUT_INVALID', '--fishbone', `"${entry}" must look like category=text`);
            fishbone ??= {};
            const key = entry.slice(0, eq).trim();
            fishbone[key] = [...(fishbone[key] ?? []), entry.slice(eq + 1).trim()];
          }
          const patch = {
            ...fromFile,
            ...(opts.detectedAt ? { detectedAt: opts.detectedAt } : {}),
            ...(opts.discoveryMethod ? { discoveryMethod: opts.discoveryMethod } : {}),
            ...(opts.threatAction ? { threatActions: opts.threatAction } : {}),
            ...(opts.rootCause ? { rootCause: opts.rootCause } : {}),
            ...(opts.why ? { whys: opts.why } : {}),
            ...(fishbone ? { fishbone } : {}),
            ...(opts.wentWell ? { wentWell: opts.wentWell } : {}),
            ...(opts.toImprove ? { toImprove: opts.toImprove } : {}),
            ...(opts.controlGap ? { controlGaps: opts.controlGap } : {}),
            ...(opts.impact ? { impact: opts.impact } : {}),
            ...(opts.resolution ? { resolution: opts.resolution } : {}),
            ...(opts.lessons ? { lessons: opts.lessons } : {}),
            ...(opts.progression ? { progression: opts.progression } : {}),
          } as ReviewPatch;
          const v = await after.reviews.set(incidentId(raw), patch, actorOf(opts.by));
          print(v, () => `Review of ${v.incidentId} saved.`);
        }),
    );
  review
    .command('complete <id>')
    .description('complete the review (recorded on the log; meets the retrospective clock)')
    .addOption(byOption())
    .action((raw: string, opts: { by?: string }) =>
      withAfter(async (after) => {
        const v = await after.reviews.complete(incidentId(raw), actorOf(opts.by));
        print(v, () => `Review of ${v.incidentId} completed${v.clock ? ` (${v.clock.late ? 'late; it was due' : 'due'} ${when(v.clock.dueAt)})` : ''}. Status: ${v.afterStatus}.`);
      }),
    );

  review
    .command('report <id>')
    .description("render the post-incident report with the plan's template, as Markdown or PDF")
    .addOption(new Option('--format <format>', 'md or pdf').choices(['md', 'pdf']).default('md'))
    .option('--out <file>', 'write to this file (required for pdf; Markdown goes to stdout without it)')
    .action((raw: string, opts: { format: 'md' | 'pdf'; out?: string }) =>
      withAfter(async (after) => {
        const id = incidentId(raw);
        if (opts.format === 'pdf' && !opts.out) throw fieldError('FB_ERR_INPUT_INVALID', '--out', 'is required with --format pdf');
        if (opts.out) refuseExisting(opts.out);
        if (opts.format === 'md') {
          const md = await after.reviews.renderMarkdown(id);
          if (!opts.out) {
            io.out(md);
            return;
          }
          writeFileSync(opts.out, md, { flag: 'wx' });
        } else {
          writeFileSync(opts.out!, await after.reviews.renderPdf(id), { flag: 'wx' });
        }
        print({ out: opts.out }, () => `Report for ${id} written to ${opts.out}.`);
      }),
    );

  // ---- action items ---------------------------------------------------------------------
  const action = program.command('action').description('action items: add, list, done, defer');
  action
    .command('add <id>')
    .description('add an action item to an incident')
    .requiredOption('--title <text>', 'what must be done')
    .option('--owner <user>', 'who owns it')
    .option('--due <date>', 'due date, YYYY-MM-DD')
    .addOption(new Option('--priority <p>', 'critical, high, medium or low').choices(['critical', 'high', 'medium', 'low']).default('medium'))
    .option('--tracker <url>', 'link to the item in your tracker')
    .option('--plan <planId>', 'for "update the plan" items: the plan it changes')
    .option('--plan-version <version>', 'the plan version the change lands in')
    .addOption(byOption())
    .action((raw: string, opts: { title: string; owner?: string; due?: string; priority: 'critical' | 'high' | 'medium' | 'low'; tracker?: string; plan?: string; planVersion?: string; by?: string }) =>
      withAfter(async (after) => {
        const item = await after.actions.add(
          incidentId(raw),
          {
            title: opts.title,
            priority: opts.priority,
            ...(opts.owner ? { owner: opts.owner } : {}),
            ...(opts.due ? { dueDate: opts.due } : {}),
            ...(opts.tracker ? { trackerUrl: opts.tracker } : {}),
            ...(opts.plan ? { planId: opts.plan } : {}),
            ...(opts.planVersion ? { planVersion: opts.planVersion } : {}),
          },
          actorOf(opts.by),
        );
        print(item, () => `${item.id} added to ${item.incidentId}: ${item.title}`);
      }),
    );
  action
    .command('list [id]')
    .description("list an incident's action items, or with --overdue every overdue one")
    .option('--overdue', 'only open items past their due date, across incidents')
    .action((raw: string | undefined, opts: { overdue?: boolean }) =>
      withAfter(async (after) => {
        if (!raw && !opts.overdue) throw fieldError('FB_ERR_INPUT_INVALID', 'id', 'give an incident id, or --overdue');
        const items = opts.overdue ? (await after.actions.overdue()).filter((i) => !raw || i.incidentId === incidentId(raw)) : await after.actions.list(incidentId(raw!));
        print(items, () =>
          items.length
            ? table([['ID', 'INCIDENT', 'STATUS', 'PRIORITY', 'OWNER', 'DUE', 'TITLE'], ...items.map((i) => [i.id, i.incidentId, i.status, i.priority, i.owner ?? '—', i.dueDate ?? '—', `${'drill' in i && i.drill ? '[DRILL] ' : ''}${i.title}${i.trackerUrl ? ` <${i.trackerUrl}>` : ''}`])])
            : 'No action items.',
        );
      }),
    );
  for (const [name, status, description] of [
    ['done', 'done', 'mark an action item done'],
    ['start', 'in_progress', 'mark an action item in progress'],
    ['reopen', 'open', 'reopen an action item'],
  ] as const) {
    action
      .command(`${name} <actionId>`)
      .description(description)
      .addOption(byOption())
      .action((raw: string, opts: { by?: string }) =>
        withAfter(async (after) => {
          const item = await after.actions.update(raw.trim(), { status }, actorOf(opts.by));
          print(item, () => `${item.id} is ${item.status.replace('_', ' ')}.`);
        }),
      );
  }
  action
    .command('defer <actionId>')
    .description('consciously defer an action item (the reason is recorded)')
    .requiredOption('--reason <text>', 'why it is deferred')
    .addOption(byOption())
    .action((raw: string, opts: { reason: string; by?: string }) =>
      withAfter(async (after) => {
        const item = await after.actions.update(raw.trim(), { status: 'deferred', reason: opts.reason }, actorOf(opts.by));
        print(item, () => `${item.id} deferred: ${item.statusReason}.`);
      }),
    );

  // ---- metrics --------------------------------------------------------------------------
  program
    .command('metrics')
    .description('response metrics across incidents (drills excluded)')
    .option('--from <date>', 'reported on or after (YYYY-MM-DD or ISO 8601)')
    .option('--to <date>', 'reported before (YYYY-MM-DD or ISO 8601)')
    .option('--csv', 'print CSV (one row per group)')
    .action((opts: { from?: string; to?: string; csv?: boolean }) =>
      withAfter(async (after) => {
        const period = { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
        if (opts.csv) {
          io.out((await after.metrics.csv(period)).trimEnd());
          return;
        }
        const report = await after.metrics.report(period);
        print(report, () => formatMetrics(report));
      }),
    );

  // ---- drills ---------------------------------------------------------------------------
  const drill = program.command('drill').description('tabletop exercises: start from a scenario, deliver injects, score');
  drill
    .command('start <scenario>')
    .description('start a drill from a scenario YAML file')
    .action((file: string) =>
      withAfter(async (after) => {
        const started = await after.drills.start(readText(file, 'scenario'), actorOf());
        print(started, () => `Drill ${started.incidentId} started at ${when(started.startedAt)}; ${started.delivered} inject(s) delivered.\nDeliver later injects with: firebreak drill tick ${started.incidentId}`);
      }),
    );
  drill
    .command('tick <id>')
    .description('deliver the injects whose time has come')
    .action((raw: string) =>
      withAfter(async (after) => {
        const n = await after.drills.deliverDue(incidentId(raw));
        print({ delivered: n }, () => `${n} inject(s) delivered.`);
      }),
    );
  drill
    .command('report <id>')
    .description("score the team against the plan's clocks and the scenario's expected actions")
    .action((raw: string) =>
      withAfter(async (after) => {
        const r = await after.drills.report(incidentId(raw));
        print(r, () =>
          [
            `Drill ${r.incidentId}: ${r.title} (started ${when(r.startedAt)})`,
            `Score: ${r.onTime}/${r.scored} on time (${percent(r.score)})`,
            '',
            'Expected actions:',
            r.expected.length ? table(r.expected.map((e) => [e.outcome, e.action, `due ${when(e.dueAt)}`, e.doneAt ? `done ${when(e.doneAt)} by ${e.doneBy}` : 'not done', e.description ?? '']), '  ') : '  (none)',
            '',
            "Plan's clocks:",
            table(r.clocks.map((c) => [c.outcome, c.id, `due ${when(c.dueAt)}`, c.metAt ? `met ${when(c.metAt)}` : '']), '  '),
          ].join('\n'),
        );
      }),
    );

  // ---- plan upkeep and diffs ------------------------------------------------------------
  const plan = program.commands.find((c) => c.name() === 'plan') ?? program.command('plan');
  plan
    .command('diff <id> <from> <to>')
    .description('what changed between two stored versions of a plan')
    .action((id: string, from: string, to: string) =>
      withAfter(async (after) => {
        const changes = await after.upkeep.diff(id, from, to);
        const show = (v: unknown) => (v === undefined ? '' : JSON.stringify(v).slice(0, 80));
        print(changes, () => (changes.length ? table([['CHANGE', 'PATH', 'BEFORE', 'AFTER'], ...changes.map((c) => [c.change, c.path, show(c.before), show(c.after)])]) : `No differences between ${from} and ${to}.`));
      }),
    );
  plan
    .command('versions <id>')
    .description('the stored versions of a plan')
    .action((id: string) =>
      withAfter(async (after) => {
        const versions = await after.upkeep.versions(id);
        print(versions, () => table([['VERSION', 'LOADED', 'SHA-256'], ...versions.map((v) => [v.version, when(v.loadedAt), `${v.contentHash.slice(0, 16)}…`])]));
      }),
    );
  plan
    .command('upkeep [id]')
    .description('when the plan review, tabletop and contact verification are next due')
    .action((id: string | undefined) =>
      withAfter(async (after) => {
        const reminders = await after.upkeep.reminders(id);
        print(reminders, () =>
          reminders.length ? table([['PLAN', 'ACTIVITY', 'EVERY', 'LAST DONE', 'DUE', 'STATE'], ...reminders.map((r) => [r.planId, r.label, r.cadence, when(r.lastDoneAt), when(r.dueAt), r.state])]) : 'No upkeep cadence set in the plan(s).',
        );
      }),
    );
  plan
    .command('upkeep-done <id> <kind>')
    .description('record a plan review, tabletop or contact verification (kind: planReview, tabletop, contactVerification)')
    .option('--note <text>', 'what was done')
    .addOption(atOption())
    .addOption(byOption())
    .action((id: string, kind: string, opts: { note?: string; at?: string; by?: string }) =>
      withAfter(async (after) => {
        const done = await after.upkeep.record(id, kind, actorOf(opts.by), opts.note, opts.at);
        print(done, () => `${done.planId}: ${done.kind} recorded at ${when(done.doneAt)}.`);
      }),
    );

  // ---- search ---------------------------------------------------------------------------
  program
    .command('search <text...>')
    .description('full-text search over incidents, notes, sitreps, timeline and evidence descriptions')
    .option('--limit <n>', 'at most this many hits', '20')
    .option('--no-drills', 'leave drills out')
    .action((words: string[], opts: { limit: string; drills: boolean }) =>
      withAfter(async (after) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit)) throw fieldError('FB_ERR_INPUT_INVALID', '--limit', `"${opts.limit}" is not a whole number`);
        const hits = await after.search.search(words.join(' '), { limit, ...(opts.drills === false ? { includeDrills: false } : {}) });
        print(hits, () => (hits.length ? table([['INCIDENT', 'WHERE', 'WHEN', 'MATCH'], ...hits.map((h) => [`${h.incidentId}${h.drill ? ' [DRILL]' : ''}`, `${h.kind} ${h.kind === 'incident' ? '' : h.ref}`.trim(), when(h.occurredAt), h.snippet.replace(/\s+/g, ' ')])]) : 'No matches.'));
      }),
    );
}
