/**
 * The `firebreak` command line: every command of the incident core, plus plans, reads,
 * verification and the server. Each command parses its arguments, calls the backend
 * once and prints the result (as text, or as JSON with `--json`).
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Command, Option } from 'commander';
import type { IncidentView } from '../app/incident-view.js';
import { FirebreakError, fieldError } from '../domain/errors.js';
import type { IncidentCommand } from '../domain/incident/commands.js';
import { parsePlanText } from '../domain/plan/plan-parse.js';
import type { CliBackend } from './backend.js';
import { registerScheduleCommands } from './commands/schedule-commands.js';
import { registerDeliveryCommands } from './commands/delivery-commands.js';
import { registerCredentialCommands } from './commands/credential-commands.js';
import { registerPagingCommands } from './commands/paging-commands.js';
import { forgetCredential, saveCredential, serverKey } from './credentials.js';
import { loginWithPassword, whoAmI } from './remote-login.js';
import { registerAdvisoryCommands } from './commands/advisory-commands.js';
import { registerMessageCommands } from './commands/message-commands.js';
import { registerAfterCommands } from './commands/after-commands.js';
import { registerRecordCommands, verifyAgainstCheckpoint } from './commands/record-commands.js';
import { EXIT } from './exit-codes.js';
import { addIntakeCommands } from './intake-commands.js';
import { addStoreCommands } from './store-commands.js';
import { formatClocks, formatIncident, formatIncidentList, formatPlan, formatPlanList, formatTimeline, formatVerdicts } from './format.js';

export interface GlobalOptions {
  db: string;
  json: boolean;
  as?: string;
  plans?: string[];
  /** Go through this Firebreak server's API instead of opening the database. */
  server?: string;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Opens the backend chosen by the global options. */
  backend(options: GlobalOptions): Promise<CliBackend>;
  now(): Date;
  /** Environment variables (FIREBREAK_EMAIL, FIREBREAK_PASSWORD, XDG_CONFIG_HOME…). */
  readonly env: NodeJS.ProcessEnv;
  /** Asks for a password without echoing it. */
  readPassword(prompt: string): Promise<string>;
  /** Starts the HTTP server; resolves when it stops. */
  serve(options: GlobalOptions & { port: number; host: string }): Promise<void>;
}

export function defaultDatabase(): string {
  return process.env['FIREBREAK_DB'] || process.env['DATABASE_URL'] || './data/firebreak.db';
}

function defaultActor(): string {
  if (process.env['FIREBREAK_USER']) return process.env['FIREBREAK_USER'];
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

/** Incident ids are printed upper-case; accept any case. */
function incidentId(raw: string): string {
  return raw.trim().toUpperCase();
}

function csv(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('firebreak')
    .description('Run your security incident response plan: report, triage, respond, verify.')
    .addOption(new Option('--db <path>', 'SQLite file or postgres:// URL (default: $FIREBREAK_DB or ./data/firebreak.db)').default(defaultDatabase(), '$FIREBREAK_DB or ./data/firebreak.db'))
    .option('--json', 'print machine-readable JSON', false)
    .option('--as <user>', 'who you are, for the record (default: $FIREBREAK_USER or your login name)')
    .option('--plans <dir>', 'also load plans from this directory (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .addOption(
      new Option('--server <url>', 'use this Firebreak server instead of the database (you act as the signed-in user; --by/--as do not apply)').env('FIREBREAK_SERVER'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const print = (value: unknown, text: () => string) => io.out(globals().json ? JSON.stringify(value, null, 2) : text());

  async function withBackend<T>(work: (backend: CliBackend) => Promise<T>): Promise<T> {
    const backend = await io.backend(globals());
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  }

  const actorOf = (by?: string) => by ?? globals().as ?? defaultActor();

  /** Runs one incident command and prints the incident afterwards. */
  const runCommand = (raw: string, command: IncidentCommand, opts: { by?: string; at?: string }, done: (v: IncidentView) => string) =>
    withBackend(async (backend) => {
      const view = await backend.command(incidentId(raw), command, { actor: actorOf(opts.by), ...(opts.at ? { occurredAt: opts.at } : {}) });
      print(view, () => done(view));
    });

  const atOption = () => new Option('--at <iso>', 'when it happened, if earlier than now (ISO 8601)');
  const byOption = (what = 'who does it') => new Option('--by <user>', what);

  // ---- plans --------------------------------------------------------------------------
  const plan = program.command('plan').description('list, show and validate response plans');
  plan
    .command('list')
    .description('list the loaded plans')
    .action(() => withBackend(async (b) => {
      const plans = await b.listPlans();
      print(plans.map((p) => ({ id: p.id, version: p.version, name: p.name })), () => formatPlanList(plans));
    }));
  plan
    .command('show <id>')
    .description('show a plan: severities, roles, phases, clocks')
    .action((id: string) => withBackend(async (b) => {
      const p = await b.getPlan(id);
      print(p, () => formatPlan(p));
    }));
  plan
    .command('validate <file>')
    .description('check a plan file; exits 2 and names each problem')
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw fieldError('FB_ERR_INPUT_INVALID', 'file', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      const result = parsePlanText(text);
      if (result.ok) {
        print({ ok: true, id: result.plan.id, version: result.plan.version }, () => `${file}: ok (${result.plan.id} ${result.plan.version})`);
        return;
      }
      throw new FirebreakError(
        'FB_ERR_PLAN_INVALID',
        `${file} is not a valid plan:\n${result.problems.map((p) => `  ${p.path || '(file)'}: ${p.message}`).join('\n')}`,
        result.problems,
      );
    });

  // ---- reporting and triage ------------------------------------------------------------
  program
    .command('report')
    .description('report an event (it becomes an incident when triage confirms it)')
    .requiredOption('--plan <id>', 'the plan to run it under')
    .requiredOption('--title <text>', 'a short description')
    .option('--summary <text>', 'more detail')
    .addOption(new Option('--reporter <name>', 'who reported it').conflicts('anonymous'))
    .option('--anonymous', 'the reporter stays anonymous')
    .option('--restricted', 'only members may see it (need-to-know)')
    .option('--drill', 'this is an exercise, not a real incident')
    .addOption(atOption())
    .action((opts: { plan: string; title: string; summary?: string; reporter?: string; anonymous?: boolean; restricted?: boolean; drill?: boolean; at?: string }) =>
      withBackend(async (b) => {
        const view = await b.report(
          opts.plan,
          {
            type: 'report',
            title: opts.title,
            ...(opts.summary ? { summary: opts.summary } : {}),
            reporter: opts.anonymous ? { anonymous: true } : { anonymous: false, name: opts.reporter ?? actorOf() },
            ...(opts.restricted ? { restricted: true } : {}),
            ...(opts.drill ? { drill: true } : {}),
          },
          { actor: actorOf(), ...(opts.at ? { occurredAt: opts.at } : {}) },
        );
        print(view, () => `Reported ${view.incident.id}: ${view.incident.title}\nNext: firebreak triage ${view.incident.id} --confirm --severity <severity>, or --false-alarm --reason <why>`);
      }),
    );

  program
    .command('triage <id>')
    .description('confirm an event as an incident, or dismiss it as a false alarm')
    .addOption(new Option('--confirm', 'it is an incident').conflicts('falseAlarm'))
    .option('--false-alarm', 'it is not an incident')
    .option('--severity <id>', 'severity (with --confirm)')
    .option('--category <id>', 'category (with --confirm)')
    .option('--reason <text>', 'why it is a false alarm (with --false-alarm)')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { confirm?: boolean; falseAlarm?: boolean; severity?: string; category?: string; reason?: string; by?: string; at?: string }) => {
      let command: IncidentCommand;
      if (opts.confirm) {
        if (!opts.severity) throw fieldError('FB_ERR_INPUT_INVALID', '--severity', 'is required with --confirm');
        command = { type: 'triage', decision: 'confirm', severity: opts.severity, ...(opts.category ? { category: opts.category } : {}) };
      } else if (opts.falseAlarm) {
        if (!opts.reason) throw fieldError('FB_ERR_INPUT_INVALID', '--reason', 'is required with --false-alarm');
        command = { type: 'triage', decision: 'dismiss', reason: opts.reason };
      } else {
        throw fieldError('FB_ERR_INPUT_INVALID', '--confirm', 'choose --confirm --severity S or --false-alarm --reason R');
      }
      return runCommand(raw, command, opts, (v) =>
        v.incident.status === 'dismissed' ? `${v.incident.id} dismissed as a false alarm.` : `${v.incident.id} is an incident: ${v.incident.severity} (${v.severityName}).`,
      );
    });

  program
    .command('ack <id>')
    .description('acknowledge the report (stops acknowledgement escalation)')
    .addOption(byOption('who acknowledges'))
    .addOption(atOption())
    .action((raw: string, opts: { by?: string; at?: string }) =>
      runCommand(raw, { type: 'acknowledge', via: 'cli' }, opts, (v) => `${v.incident.id} acknowledged by ${v.incident.acknowledgedBy}.`),
    );

  program
    .command('severity <id> <severity>')
    .description('change the severity (the reason is recorded)')
    .requiredOption('--reason <text>', 'why')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, severity: string, opts: { reason: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'change_severity', severity, reason: opts.reason }, opts, (v) => `${v.incident.id} is now ${v.incident.severity} (${v.severityName}).`),
    );

  // ---- roles ---------------------------------------------------------------------------
  program
    .command('assign <id>')
    .description('give a vacant role to someone (a held role moves only by handoff)')
    .requiredOption('--role <role>', 'role id')
    .requiredOption('--to <user>', 'who takes it')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { role: string; to: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'assign_role', role: opts.role, to: opts.to }, opts, (v) => `${v.incident.id}: ${opts.role} is ${opts.to}.`),
    );

  program
    .command('handoff <id>')
    .description('start handing your role to someone (they must confirm)')
    .requiredOption('--role <role>', 'role id')
    .requiredOption('--to <user>', 'who takes over')
    .requiredOption('--briefing <text>', 'what they need to know')
    .addOption(byOption('the current holder'))
    .addOption(atOption())
    .action((raw: string, opts: { role: string; to: string; briefing: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'initiate_handoff', role: opts.role, to: opts.to, briefing: opts.briefing }, opts, (v) =>
        `${v.incident.id}: handoff of ${opts.role} to ${opts.to} started; it moves when they run: firebreak handoff-confirm ${v.incident.id} --role ${opts.role} --by ${opts.to}`,
      ),
    );

  program
    .command('handoff-confirm <id>')
    .description('confirm you are taking over a role')
    .requiredOption('--role <role>', 'role id')
    .addOption(byOption('the incoming holder'))
    .addOption(atOption())
    .action((raw: string, opts: { role: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'confirm_handoff', role: opts.role }, opts, (v) => `${v.incident.id}: ${opts.role} is now ${v.incident.roles[opts.role]?.holder}.`),
    );

  program
    .command('handoff-cancel <id>')
    .description('cancel a pending handoff')
    .requiredOption('--role <role>', 'role id')
    .requiredOption('--reason <text>', 'why')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { role: string; reason: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'cancel_handoff', role: opts.role, reason: opts.reason }, opts, (v) => `${v.incident.id}: handoff of ${opts.role} cancelled.`),
    );

  // ---- phases, checklist, notes, sitreps -----------------------------------------------
  program
    .command('phase <id> <phase>')
    .description("move to a phase (refused while the current phase's required items are open)")
    .option('--force', 'move anyway; needs --reason, which is recorded')
    .option('--reason <text>', 'why required items are being skipped')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, phase: string, opts: { force?: boolean; reason?: string; by?: string; at?: string }) => {
      if (opts.force && !opts.reason) throw fieldError('FB_ERR_INPUT_INVALID', '--reason', 'is required with --force');
      return runCommand(raw, { type: 'enter_phase', phase, ...(opts.force ? { force: { reason: opts.reason! } } : {}) }, opts, (v) => `${v.incident.id} is in phase ${v.incident.phase} (${v.phaseName}).`);
    });

  program
    .command('check <id> <item>')
    .description('mark a checklist item done')
    .option('--note <text>', 'what was done')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, item: string, opts: { note?: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'complete_item', item, ...(opts.note ? { note: opts.note } : {}) }, opts, (v) =>
        `${v.incident.id}: ${item} done.${v.blockingItems.length ? ` Still required in ${v.incident.phase}: ${v.blockingItems.join(', ')}` : ''}`,
      ),
    );

  program
    .command('note <id> <text>')
    .description('add a note to the timeline')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, text: string, opts: { by?: string; at?: string }) => runCommand(raw, { type: 'add_note', text }, opts, (v) => `${v.incident.id}: note added.`));

  program
    .command('sitrep <id>')
    .description("post a situation report (the plan's template is used when --text is not given)")
    .option('--text <text>', 'the report')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { text?: string; by?: string; at?: string }) =>
      withBackend(async (b) => {
        const id = incidentId(raw);
        const text = opts.text ?? (await b.draftSitrep(id));
        const view = await b.command(id, { type: 'post_sitrep', text }, { actor: actorOf(opts.by), ...(opts.at ? { occurredAt: opts.at } : {}) });
        const next = view.clocks.find((c) => c.id === 'sitrep');
        print(view, () => `${view.incident.id}: sitrep posted.\n\n${text}\n${next ? `\nNext sitrep due ${next.dueAt}.` : ''}`);
      }),
    );

  program
    .command('flag <id> <flag>')
    .description('record a fact that may start a regulatory clock (e.g. personal-data)')
    .option('--note <text>', 'detail')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, flag: string, opts: { note?: string; by?: string; at?: string }) =>
      runCommand(raw, { type: 'set_flag', flag, ...(opts.note ? { note: opts.note } : {}) }, opts, (v) => `${v.incident.id}: flagged ${flag}.`),
    );

  program
    .command('file-regulatory <id> <clock>')
    .description('record that a regulatory notification was filed (stops its clock)')
    .option('--reference <ref>', "the authority's reference for the filing")
    .option('--report-sha256 <hash>', 'SHA-256 of the exported report that was filed')
    .option('--reason <text>', 'why it is late, or which phase it is (required past the deadline)')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, clock: string, opts: { reference?: string; reportSha256?: string; reason?: string; by?: string; at?: string }) =>
      runCommand(
        raw,
        { type: 'file_regulatory', clock, ...(opts.reference ? { reference: opts.reference } : {}), ...(opts.reportSha256 ? { reportSha256: opts.reportSha256 } : {}), ...(opts.reason ? { reason: opts.reason } : {}) },
        opts,
        (v) => `${v.incident.id}: ${clock} filed.`,
      ),
    );

  for (const [name, description, build] of [
    ['resolve', 'mark the incident resolved', () => ({ type: 'resolve' }) as IncidentCommand],
    ['close', 'close a resolved incident', () => ({ type: 'close' }) as IncidentCommand],
  ] as const) {
    program
      .command(`${name} <id>`)
      .description(description)
      .addOption(byOption())
      .addOption(atOption())
      .action((raw: string, opts: { by?: string; at?: string }) => runCommand(raw, build(), opts, (v) => `${v.incident.id} is ${v.incident.status}.`));
  }

  program
    .command('reopen <id>')
    .description('reopen a resolved, closed or dismissed incident')
    .requiredOption('--reason <text>', 'why')
    .addOption(byOption())
    .addOption(atOption())
    .action((raw: string, opts: { reason: string; by?: string; at?: string }) => runCommand(raw, { type: 'reopen', reason: opts.reason }, opts, (v) => `${v.incident.id} is ${v.incident.status} again.`));

  // ---- reading -------------------------------------------------------------------------
  program
    .command('list')
    .description('list events and incidents, newest first')
    .option('--status <s>', 'investigating, active, resolved, closed, dismissed (comma-separated)', csv)
    .option('--severity <s>', 'severity ids (comma-separated)', csv)
    .action((opts: { status?: string[]; severity?: string[] }) =>
      withBackend(async (b) => {
        const allowed = ['investigating', 'active', 'resolved', 'closed', 'dismissed'];
        const bad = opts.status?.find((s) => !allowed.includes(s));
        if (bad) throw fieldError('FB_ERR_INPUT_INVALID', '--status', `"${bad}" is not one of ${allowed.join(', ')}`);
        const views = await b.list({ ...(opts.status ? { status: opts.status } : {}), ...(opts.severity ? { severity: opts.severity } : {}) });
        print(views, () => formatIncidentList(views));
      }),
    );

  program
    .command('show <id>')
    .description('show an incident: state, roles, phase checklist, clocks')
    .action((raw: string) => withBackend(async (b) => {
      const view = await b.get(incidentId(raw));
      print(view, () => formatIncident(view, io.now()));
    }));

  program
    .command('clocks <id>')
    .description('show every deadline and whether it is pending, met or overdue')
    .option('--at <iso>', 'evaluate at this instant instead of now')
    .action((raw: string, opts: { at?: string }) =>
      withBackend(async (b) => {
        const clocks = await b.clocks(incidentId(raw), opts.at);
        print(clocks, () => formatClocks(clocks, opts.at ? new Date(opts.at) : io.now()));
      }),
    );

  program
    .command('timeline <id>')
    .description('show the incident log, oldest first')
    .action((raw: string) => withBackend(async (b) => {
      const events = await b.timeline(incidentId(raw));
      print(events, () => formatTimeline(events));
    }));

  program
    .command('verify [id]')
    .description('check every hash chain (or one incident); exits 1 and names the broken event')
    .option('--checkpoint <file|url>', 'instead: prove every chain a signed checkpoint (or the last line of a witness file) covers is still present and extends it')
    .action((raw: string | undefined, opts: { checkpoint?: string }) =>
      withBackend(async (b) => {
        if (opts.checkpoint !== undefined) return verifyAgainstCheckpoint(b, opts.checkpoint, { print });
        const verdicts = await b.verify(raw ? incidentId(raw) : undefined);
        print(verdicts, () => formatVerdicts(verdicts));
        if (verdicts.some((v) => !v.verdict.ok || !v.projectionMatches || v.problems.length > 0)) process.exitCode = EXIT.verifyFailed;
      }),
    );

  addIntakeCommands(program, { withBackend, print, actorOf });
  registerRecordCommands(program, { withBackend, print });
  registerDeliveryCommands(program, io);
  registerCredentialCommands(program, io);
  registerPagingCommands(program, io);

  // ---- signing in to a server ----------------------------------------------------------
  const requireServer = (): string => {
    const server = globals().server;
    if (!server) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'is required, e.g. firebreak login --server https://firebreak.example.org');
    if (!/^https?:\/\/[^/\s]+/.test(server)) throw fieldError('FB_ERR_INPUT_INVALID', '--server', `"${server}" is not an http(s) URL`);
    return server;
  };

  program
    .command('login')
    .description('sign in to a Firebreak server (--server) and keep an API token for the CLI')
    .option('--email <address>', 'your e-mail address (default: $FIREBREAK_EMAIL)')
    .option('--token <token>', 'keep this personal API token instead of signing in with a password')
    .action(async (opts: { email?: string; token?: string }) => {
      const server = requireServer();
      let saved: { token: string; tokenId: string; user: string };
      if (opts.token) {
        saved = { token: opts.token, tokenId: '', user: await whoAmI(server, opts.token) };
      } else {
        const email = opts.email ?? io.env['FIREBREAK_EMAIL'];
        if (!email) throw fieldError('FB_ERR_INPUT_INVALID', '--email', 'is required (or set FIREBREAK_EMAIL)');
        const password = io.env['FIREBREAK_PASSWORD'] ?? (await io.readPassword(`Password for ${email}: `));
        const result = await loginWithPassword(server, email, password);
        saved = { token: result.token, tokenId: result.tokenId, user: result.handle };
      }
      const path = saveCredential(server, { ...saved, savedAt: io.now().toISOString() }, io.env);
      print({ server: serverKey(server), user: saved.user, credentials: path }, () => `Signed in to ${serverKey(server)} as ${saved.user}. Token kept in ${path} (only you can read it).`);
    });

  program
    .command('logout')
    .description('revoke and forget the API token kept for --server')
    .action(async () => {
      const server = requireServer();
      const found = forgetCredential(server, io.env);
      if (!found) throw new FirebreakError('FB_ERR_TOKEN_NOT_FOUND', `no token kept for ${serverKey(server)}`);
      if (found.tokenId) {
        await fetch(`${serverKey(server)}/api/v1/tokens/${encodeURIComponent(found.tokenId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${found.token}` } }).catch(() => undefined);
      }
      print({ server: serverKey(server), user: found.user }, () => `Signed out of ${serverKey(server)}; the token was revoked.`);
    });
  // ---- whole stores: backup, restore, export, import, migrate-store ----------------------
  addStoreCommands(program, { db: () => globals().db, json: () => globals().json, out: io.out, err: io.err, now: io.now });
  registerAdvisoryCommands(program, { globals, out: io.out, actor: actorOf, openBackend: () => io.backend(globals()) });
  registerMessageCommands(program, { globals, out: io.out, actor: actorOf, openBackend: () => io.backend(globals()) });
  registerScheduleCommands(program, { globals, out: io.out, actor: actorOf, env: io.env, openBackend: () => io.backend(globals()) });

  registerAfterCommands(program, { io, globals, actorOf });

  // ---- server --------------------------------------------------------------------------
  program
    .command('serve')
    .description('serve the web app and API')
    .option('--port <n>', 'port (default: $PORT or 8080)', process.env['PORT'] ?? '8080')
    .option('--host <addr>', 'address (default: $HOST or 127.0.0.1)', process.env['HOST'] ?? '127.0.0.1')
    .action(async (opts: { port: string; host: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw fieldError('FB_ERR_INPUT_INVALID', '--port', `"${opts.port}" is not a port number`);
      await io.serve({ ...globals(), port, host: opts.host });
    });

  return program;
}
