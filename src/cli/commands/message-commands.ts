/**
 * `firebreak message compose|preview|send|approve|reject|list|deliveries`: plan messages
 * (broadcast, internal notification, external disclosure, …) about an incident, written
 * from the plan's templates, checked for unfilled placeholders, reviewed where the plan
 * says so, and sent to the template's audience; with `--server` through the API, else on
 * the local database (deliveries then leave when the server next runs its outbox).
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { createApp } from '../../app/firebreak-app.js';
import type { ComposedMessage, ComposeInput, PlanMessage } from '../../app/messages/message-service.js';
import { fieldError } from '../../domain/errors.js';
import { LocalMessageBackend, type MessageBackend } from '../message-backend.js';
import type { AdvisoryCliDeps } from './advisory-commands.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface ComposeOptions {
  template: string;
  audience?: string;
  subject?: string;
  body?: string;
  bodyFile?: string;
  var?: string[];
}

/** `--var name=value` pairs as template variables; a pair without `=` is refused naming the option. */
export function parseVariables(pairs: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw fieldError('FB_ERR_INPUT_INVALID', '--var', `"${pair}" is not name=value (e.g. --var impact="No customer data was reached")`);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return out;
}

function composeInput(opts: ComposeOptions): ComposeInput {
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw fieldError('FB_ERR_INPUT_INVALID', '--body-file', 'give the body with --body or --body-file, not both');
  let body = opts.body;
  if (opts.bodyFile !== undefined) {
    try {
      body = readFileSync(opts.bodyFile, 'utf8');
    } catch {
      throw fieldError('FB_ERR_INPUT_INVALID', '--body-file', `cannot read ${opts.bodyFile}`);
    }
  }
  const variables = parseVariables(opts.var);
  return {
    template: opts.template,
    ...(opts.audience !== undefined ? { audience: opts.audience } : {}),
    ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(Object.keys(variables).length > 0 ? { variables } : {}),
  };
}

function previewText(m: ComposedMessage): string {
  const blockers = [
    ...m.missingVariables.map((v) => `  variable ${v} has no value (give it with --var ${v}=…)`),
    ...m.placeholders.map((p) => `  ${p.field} line ${p.line}: ${p.text}`),
  ];
  const review = m.approvalsNeeded === 0 ? 'sent at once' : `waits for ${m.approvalsNeeded} approval${m.approvalsNeeded > 1 ? 's' : ''} by people other than its author`;
  return [
    `${m.template} to ${m.audience} (${m.recipients.length === 0 ? 'no channel configured: set one with firebreak channels set' : m.recipients.join(', ')}); ${review}`,
    '',
    ...(m.subject ? [`Subject: ${m.subject}`, ''] : []),
    m.body,
    '',
    blockers.length === 0 ? 'Ready to send.' : `Not sendable yet:\n${blockers.join('\n')}`,
  ].join('\n');
}

function messageLine(m: PlanMessage): string {
  const state = m.status === 'review' ? `review (${m.approvedBy.length}/${m.approvalsNeeded} approved)` : m.status === 'rejected' ? `rejected by ${m.rejectedBy}: ${m.rejectReason}` : 'sent';
  return `${m.id}  ${m.template} to ${m.audience} by ${m.author}: ${state}${m.subject ? `  "${m.subject}"` : ''}`;
}

export function registerMessageCommands(program: Command, deps: AdvisoryCliDeps): void {
  const open = deps.openApp ?? ((o: { db: string; plans?: string[] }) => createApp({ database: o.db, planDirs: o.plans ?? [] }));
  const print = (value: unknown, text: () => string) => deps.out(deps.globals().json ? JSON.stringify(value, null, 2) : text());
  async function withMessages<T>(work: (backend: MessageBackend) => Promise<T>): Promise<T> {
    const globals = deps.globals();
    let backend: MessageBackend;
    if (globals.server) {
      const remote = deps.openBackend ? await deps.openBackend() : undefined;
      if (!remote?.messages) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'this backend cannot reach messages over the API; run without --server on the server host');
      backend = remote.messages();
    } else {
      backend = new LocalMessageBackend(await open(globals));
    }
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  }
  const incident = (raw: string) => raw.trim().toUpperCase();
  const by = () => new Option('--by <user>', 'who does it (default: --as or your login name)');
  const composeOptions = (command: Command) =>
    command
      .requiredOption('--template <name>', 'plan template: broadcast, internalNotification, externalDisclosure, …')
      .option('--audience <id>', "audience (default: the template's)")
      .option('--subject <text>', 'an edited subject')
      .option('--body <text>', 'an edited body (as written, not a template)')
      .option('--body-file <file>', 'read the edited body from a file')
      .option('--var <name=value>', 'a value for a template variable (repeatable)', collect);

  const message = program.command('message').description("compose, review and send the plan's messages about an incident");
  composeOptions(message.command('compose <incident>').description('print the message as rendered from the template (to edit into --body-file)')).action((id: string, opts: ComposeOptions) =>
    withMessages(async (b) => {
      const m = await b.preview(incident(id), composeInput(opts));
      print(m, () => m.body);
    }),
  );
  composeOptions(message.command('preview <incident>').description('show the message as it would be sent, its recipients and what still blocks it')).action((id: string, opts: ComposeOptions) =>
    withMessages(async (b) => {
      const m = await b.preview(incident(id), composeInput(opts));
      print(m, () => previewText(m));
    }),
  );
  composeOptions(message.command('send <incident>').description('send the message (or put it in the review queue); refused while a placeholder remains'))
    .addOption(by())
    .action((id: string, opts: ComposeOptions & { by?: string }) =>
      withMessages(async (b) => {
        const m = await b.send(incident(id), composeInput(opts), deps.actor(opts.by));
        print(m, () => (m.status === 'review' ? `Message ${m.id} waits for review (${m.approvalsNeeded} approval${m.approvalsNeeded > 1 ? 's' : ''}): firebreak message approve ${m.id}` : `Message ${m.id} queued to ${m.audience}.`));
      }),
    );
  message
    .command('approve <message>')
    .description('approve a message in review (not your own; an external disclosure needs two people)')
    .addOption(by())
    .action((id: string, opts: { by?: string }) =>
      withMessages(async (b) => {
        const m = await b.approve(id.trim(), deps.actor(opts.by));
        print(m, () => messageLine(m));
      }),
    );
  message
    .command('reject <message>')
    .description('reject a message in review, saying why')
    .requiredOption('--reason <text>', 'why it must not go out as written')
    .addOption(by())
    .action((id: string, opts: { reason: string; by?: string }) =>
      withMessages(async (b) => {
        const m = await b.reject(id.trim(), deps.actor(opts.by), opts.reason);
        print(m, () => messageLine(m));
      }),
    );
  message
    .command('list <incident>')
    .description("the incident's composed messages, newest first")
    .action((id: string) =>
      withMessages(async (b) => {
        const items = await b.list(incident(id));
        print(items, () => (items.length === 0 ? 'No messages.' : items.map(messageLine).join('\n')));
      }),
    );
  message
    .command('deliveries <incident>')
    .description("the incident's delivery record: status, attempts, last error")
    .action((id: string) =>
      withMessages(async (b) => {
        const items = await b.deliveries(incident(id));
        print(items, () =>
          items.length === 0
            ? 'No deliveries.'
            : items.map((d) => `${d.createdAt}  ${d.status.padEnd(8)} ${d.template ?? d.clock ?? '-'} to ${d.recipient} (${d.channel} ${d.target}), ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.lastError ? `; last error: ${d.lastError}` : ''}`).join('\n'),
        );
      }),
    );
}
