/**
 * `firebreak contacts add|list|remove`, `firebreak channels set|list` and
 * `firebreak deliveries [--failed]`: where people and plan channels are reached, and the
 * record of every message sent. These read and write the database directly (the server
 * picks changes up on its next pass). Secrets are taken from an environment variable,
 * never from the command line (which `ps` and shell history show), and never printed.
 */
import type { Command } from 'commander';
import { fieldError } from '../../domain/errors.js';
import { CHANNEL_KINDS } from '../../integrations/delivery/channel-senders.js';
import { addContactPoint, listContactPoints, removeContactPoints, setChannelEndpoint } from '../../integrations/delivery/contact-points.js';
import { openStore, type Store } from '../../store/store.js';
import type { CliIo, GlobalOptions } from '../program.js';

function secretFromEnv(env: NodeJS.ProcessEnv, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name];
  if (!value) throw fieldError('FB_ERR_INPUT_INVALID', '--secret-env', `environment variable ${name} is not set`);
  return value;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function registerDeliveryCommands(program: Command, io: CliIo): void {
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const print = (value: unknown, text: () => string) => io.out(globals().json ? JSON.stringify(value, null, 2) : text());
  async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (globals().server) {
      throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'contacts, channels and deliveries are managed on the database itself; run this with --db where the server keeps its data');
    }
    const store = await openStore(globals().db);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  const contacts = program.command('contacts').description('how people are reached: e-mail addresses and chat/webhook URLs');
  contacts
    .command('add <user>')
    .description(`add a contact point (kinds: ${CHANNEL_KINDS.join(', ')})`)
    .requiredOption('--kind <kind>', `one of ${CHANNEL_KINDS.join(', ')}`)
    .requiredOption('--target <address>', 'e-mail address or webhook URL')
    .option('--secret-env <name>', 'environment variable holding the HMAC secret for a generic webhook')
    .action((user: string, opts: { kind: string; target: string; secretEnv?: string }) =>
      withStore(async (store) => {
        const secret = secretFromEnv(io.env, opts.secretEnv);
        const added = await addContactPoint(store.db, { user, kind: opts.kind, target: opts.target, ...(secret ? { secret } : {}) }, io.now());
        print(added, () => `Added ${added.kind} ${added.target} for ${added.user}${added.signed ? ' (signed)' : ''}.`);
      }),
    );
  contacts
    .command('list [user]')
    .description("list contact points (secrets are never shown)")
    .action((user: string | undefined) =>
      withStore(async (store) => {
        const rows = await listContactPoints(store.db, user);
        print(rows, () =>
          rows.length === 0 ? 'No contact points.' : table([['USER', 'KIND', 'TARGET', 'SIGNED'], ...rows.map((r) => [r.user, r.kind, r.target, r.signed ? 'yes' : 'no'])]),
        );
      }),
    );
  contacts
    .command('remove <user>')
    .description("remove a user's contact point (all of them without --kind/--target)")
    .option('--kind <kind>', 'only this kind')
    .option('--target <address>', 'only this address or URL')
    .action((user: string, opts: { kind?: string; target?: string }) =>
      withStore(async (store) => {
        const removed = await removeContactPoints(store.db, user, opts.kind, opts.target);
        print({ removed }, () => `Removed ${removed} contact point${removed === 1 ? '' : 's'} of ${user}.`);
      }),
    );

  const channels = program.command('channels').description("where the plan's channels deliver on this server");
  channels
    .command('set <channel>')
    .description('set the endpoint of a plan channel id (e.g. incident-channel)')
    .requiredOption('--kind <kind>', `one of ${CHANNEL_KINDS.join(', ')}`)
    .requiredOption('--target <address>', 'e-mail address or webhook URL')
    .option('--secret-env <name>', 'environment variable holding the HMAC secret for a generic webhook')
    .action((channel: string, opts: { kind: string; target: string; secretEnv?: string }) =>
      withStore(async (store) => {
        const secret = secretFromEnv(io.env, opts.secretEnv);
        await setChannelEndpoint(store.db, { channel, kind: opts.kind, target: opts.target, ...(secret ? { secret } : {}) }, io.now());
        print({ channel, kind: opts.kind, target: opts.target }, () => `Channel ${channel} delivers by ${opts.kind} to ${opts.target}.`);
      }),
    );

  program
    .command('deliveries')
    .description('the record of messages sent: status, attempts and the last error')
    .option('--failed', 'only messages that failed (retrying) or were dead-lettered')
    .option('--incident <id>', 'only messages about this incident')
    .option('--limit <n>', 'at most this many (default 50)', '50')
    .action((opts: { failed?: boolean; incident?: string; limit: string }) =>
      withStore(async (store) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw fieldError('FB_ERR_INPUT_INVALID', '--limit', `"${opts.limit}" is not a whole number from 1 to 10000`);
        let query = store.db
          .selectFrom('deliveries')
          .select(['id', 'incident_id', 'clock_key', 'channel', 'recipient', 'target', 'status', 'attempts', 'last_error', 'next_attempt_at', 'created_at', 'sent_at'])
          .orderBy('created_at', 'desc')
          .limit(limit);
        if (opts.failed) query = query.where('status', 'in', ['failed', 'dead']);
        if (opts.incident) query = query.where('incident_id', '=', opts.incident.trim().toUpperCase());
        const rows = await query.execute();
        const dead = await store.db.selectFrom('deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'dead').executeTakeFirst();
        const deadLetters = Number(dead?.n ?? 0);
        print({ deliveries: rows, deadLetters }, () => {
          const lines =
            rows.length === 0
              ? ['No deliveries.']
              : [
                  table([
                    ['CREATED', 'INCIDENT', 'CLOCK', 'CHANNEL', 'RECIPIENT', 'STATUS', 'TRIES', 'LAST ERROR'],
                    ...rows.map((r) => [r.created_at, r.incident_id ?? '-', r.clock_key ?? '-', r.channel, r.recipient, r.status, String(r.attempts), r.last_error ?? '']),
                  ]),
                ];
          if (deadLetters > 0) lines.push(`${deadLetters} message${deadLetters === 1 ? '' : 's'} dead-lettered: see firebreak deliveries --failed`);
          return lines.join('\n');
        });
      }),
    );
}
