/**
 * The intake commands of the `firebreak` CLI: ingest sources (their secret is printed
 * once), routing rules, the de-duplicated alerts, and replies to public reporters.
 */
import { type Command, Option } from 'commander';
import type { IngestAuth } from '../app/intake-service.js';
import { fieldError } from '../domain/errors.js';
import type { RoutingRule } from '../domain/intake/routing.js';
import { INGEST_KINDS } from '../integrations/ingest/index.js';
import type { CliBackend } from './backend.js';

export interface IntakeCommandContext {
  withBackend<T>(work: (backend: CliBackend) => Promise<T>): Promise<T>;
  print(value: unknown, text: () => string): void;
  actorOf(by?: string): string;
}

function describeRule(rule: RoutingRule): string {
  const when = Object.entries(rule.match)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const then = [rule.action.plan ? `plan ${rule.action.plan}` : null, rule.action.severity ? `propose ${rule.action.severity}` : null, rule.action.attachTo ? `attach to ${rule.action.attachTo}` : null]
    .filter(Boolean)
    .join(', ');
  return `#${rule.id}  when ${when || 'anything'} → ${then}`;
}

export function addIntakeCommands(program: Command, ctx: IntakeCommandContext): void {
  const { withBackend, print, actorOf } = ctx;

  const source = program.command('ingest-source').description('sources allowed to send alerts to POST /api/v1/ingest/<name>');
  source
    .command('add <name>')
    .description('add an ingest source; its secret is printed once')
    .addOption(new Option('--kind <kind>', 'payload format').choices([...INGEST_KINDS]).makeOptionMandatory())
    .requiredOption('--plan <id>', 'the plan its alerts run under (unless a routing rule says otherwise)')
    .addOption(new Option('--auth <how>', 'bearer token, or HMAC signature of the body (default: hmac for github, else bearer)').choices(['hmac', 'bearer']))
    .option('--secret-env <var>', 'HMAC only: read the secret from this environment variable of the server instead of storing it')
    .action((name: string, opts: { kind: string; plan: string; auth?: IngestAuth; secretEnv?: string }) =>
      withBackend(async (b) => {
        const result = await b.addIngestSource({ name, kind: opts.kind, plan: opts.plan, ...(opts.auth ? { auth: opts.auth } : {}), ...(opts.secretEnv ? { secretEnv: opts.secretEnv } : {}), actor: actorOf() });
        print(result, () =>
          [
            `Ingest source ${name} (${result.source.kind}, ${result.source.auth}) runs alerts under plan ${result.source.plan}.`,
            result.secret
              ? `Secret (shown only now; ${result.source.auth === 'bearer' ? 'Firebreak keeps only its SHA-256' : 'Firebreak must keep an HMAC key itself to check signatures; use --secret-env to keep it out of the database'}):\n\n  ${result.secret}\n`
              : `The server reads the secret from $${opts.secretEnv}.`,
            result.howToSend,
          ].join('\n'),
        );
      }),
    );
  source
    .command('list')
    .description('list ingest sources (never their secrets)')
    .action(() =>
      withBackend(async (b) => {
        const sources = await b.listIngestSources();
        print(sources, () => (sources.length ? sources.map((s) => `${s.name}  ${s.kind}  ${s.auth} (secret: ${s.secretStorage})  plan ${s.plan}`).join('\n') : 'No ingest sources yet; add one with: firebreak ingest-source add NAME --kind generic --plan ID'));
      }),
    );

  const route = program.command('ingest-route').description('routing rules: which plan and severity alerts get, or which incident they attach to');
  route
    .command('add')
    .description('add a rule (tried in order; the first that matches decides)')
    .option('--source <glob>', 'ingest source name or alert source (github:dependabot_alert, sarif:gitleaks)')
    .option('--severity-label <glob>', "the source's severity word (critical, high, error…)")
    .option('--repository <glob>', 'owner/name')
    .option('--path <glob>', 'file path (* within a directory, ** across)')
    .option('--plan <id>', 'run matching alerts under this plan')
    .option('--severity <id>', 'propose this severity to triage')
    .option('--attach <incident>', 'add matching alerts as notes to this open incident')
    .action((opts: { source?: string; severityLabel?: string; repository?: string; path?: string; plan?: string; severity?: string; attach?: string }) =>
      withBackend(async (b) => {
        const rule = await b.addRoute({ ...opts, ...(opts.attach ? { attachTo: opts.attach } : {}) });
        print(rule, () => `Added rule ${describeRule(rule)}`);
      }),
    );
  route
    .command('list')
    .description('list routing rules in the order they are tried')
    .action(() =>
      withBackend(async (b) => {
        const rules = await b.listRoutes();
        print(rules, () => (rules.length ? rules.map(describeRule).join('\n') : 'No routing rules: alerts run under their ingest source’s plan.'));
      }),
    );
  route
    .command('remove <id>')
    .description('remove a routing rule')
    .action((raw: string) =>
      withBackend(async (b) => {
        const id = Number(raw);
        if (!Number.isInteger(id) || id <= 0) throw fieldError('FB_ERR_INPUT_INVALID', 'id', `"${raw}" is not a rule number`);
        await b.removeRoute(id);
        print({ removed: id }, () => `Removed rule #${id}.`);
      }),
    );

  program
    .command('alerts')
    .description('list de-duplicated alerts with their counts, newest first')
    .option('--incident <id>', 'only alerts feeding this incident')
    .option('--source <name>', 'only this ingest source')
    .addOption(new Option('--status <status>', 'open or closed').choices(['open', 'closed']))
    .action((opts: { incident?: string; source?: string; status?: 'open' | 'closed' }) =>
      withBackend(async (b) => {
        const alerts = await b.listAlerts({ ...(opts.incident ? { incidentId: opts.incident.toUpperCase() } : {}), ...(opts.source ? { source: opts.source } : {}), ...(opts.status ? { status: opts.status } : {}) });
        print(alerts, () =>
          alerts.length
            ? alerts.map((a) => `${a.incidentId ?? '-'}  ×${a.count}  ${a.status}  ${a.source}/${a.alertSource}  ${a.severityLabel ?? '-'}  ${a.title}  (last ${a.lastSeen})`).join('\n')
            : 'No alerts.',
        );
      }),
    );

  program
    .command('reporter-reply <id> <text>')
    .description('reply to the person who sent a public report (they read it through their private link)')
    .option('--by <user>', 'who replies')
    .action((raw: string, text: string, opts: { by?: string }) =>
      withBackend(async (b) => {
        const thread = await b.reporterReply(raw.trim().toUpperCase(), text, actorOf(opts.by));
        print(thread, () => `Reply sent to the reporter of ${raw.toUpperCase()} (${thread.length} message${thread.length === 1 ? '' : 's'} in the thread).`);
      }),
    );

  program
    .command('reporter-thread <id>')
    .description("show the message thread with a public report's reporter")
    .action((raw: string) =>
      withBackend(async (b) => {
        const thread = await b.reporterThread(raw.trim().toUpperCase());
        print(thread, () => (thread.length ? thread.map((m) => `${m.at}  ${m.from === 'team' ? `team (${m.by})` : 'reporter'}:\n  ${m.text.replace(/\n/g, '\n  ')}`).join('\n') : 'No messages yet.'));
      }),
    );
}
