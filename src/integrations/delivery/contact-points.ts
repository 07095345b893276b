/**
 * Where people and plan channels are reached. A user's contact points (e-mail address,
 * chat or webhook URL) are kept by handle; a plan channel's real endpoint and signing
 * secret live here too (`channel_secrets`), because plan files are shared and hold none.
 * Secrets are write-only from the outside: listings never include them.
 */
import type { Kysely, Transaction } from 'kysely';
import { fieldError, FirebreakError } from '../../domain/errors.js';
import type { Database } from '../../store/database.js';
import { OutboundGuard, OutboundRefusedError } from '../outbound/index.js';
import { CHANNEL_KINDS, type ChannelKind, type Destination } from './channel-senders.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ContactPoint {
  readonly user: string;
  readonly kind: ChannelKind;
  readonly target: string;
  readonly signed: boolean;
}

const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates a contact's kind and target; errors name the field. */
export function checkDestination(kind: string, target: string, field = 'target'): ChannelKind {
  if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) {
    throw fieldError('FB_ERR_INPUT_INVALID', 'kind', `"${kind}" is not a channel kind; use one of ${CHANNEL_KINDS.join(', ')}`);
  }
  if (kind === 'email') {
    if (!EMAIL.test(target)) throw fieldError('FB_ERR_INPUT_INVALID', field, `"${target}" is not an e-mail address`);
  } else {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw fieldError('FB_ERR_INPUT_INVALID', field, `"${target}" is not a URL (e.g. https://hooks.example.org/firebreak)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fieldError('FB_ERR_INPUT_INVALID', field, 'must be an http:// or https:// URL');
  }
  return kind as ChannelKind;
}

/**
 * Refuses an http(s) target whose host is, or resolves to, an internal address the guard
 * does not allow. A name that does not resolve (yet) is accepted: the guard checks again at
 * every delivery. E-mail goes through the SMTP relay, which is checked when it connects.
 */
export async function checkOutboundTarget(guard: OutboundGuard, kind: ChannelKind, target: string, field = 'target'): Promise<void> {
  if (kind === 'email') return;
  try {
    await guard.checkUrl(target);
  } catch (error) {
    if (error instanceof OutboundRefusedError) {
      throw fieldError(
        'FB_ERR_OUTBOUND_TARGET_REFUSED',
        field,
        `"${new URL(target).hostname}" is an internal address (loopback, private, link-local or cloud metadata); use a public receiver, or ask the operator to allow it in FIREBREAK_OUTBOUND_ALLOW`,
      );
    }
  }
}

export async function addContactPoint(
  db: Db,
  input: { user: string; kind: string; target: string; secret?: string },
  now: Date,
  guard: OutboundGuard = OutboundGuard.fromEnv(),
): Promise<ContactPoint> {
  if (!HANDLE.test(input.user)) throw fieldError('FB_ERR_INPUT_INVALID', 'user', `"${input.user}" is not a user handle (letters, digits, . _ @ -)`);
  const kind = checkDestination(input.kind, input.target);
  await checkOutboundTarget(guard, kind, input.target);
  if (input.secret !== undefined && kind !== 'webhook') throw fieldError('FB_ERR_INPUT_INVALID', 'secret', 'only generic webhooks are signed');
  if (input.secret !== undefined && input.secret.length < 16) throw fieldError('FB_ERR_INPUT_INVALID', 'secret', 'must be at least 16 characters');
  const existing = await db
    .selectFrom('contact_points')
    .select('user_handle')
    .where('user_handle', '=', input.user)
    .where('kind', '=', kind)
    .where('target', '=', input.target)
    .executeTakeFirst();
  if (existing) throw new FirebreakError('FB_ERR_CONTACT_EXISTS', `${input.user} already has ${kind} ${input.target}`);
  await db
    .insertInto('contact_points')
    .values({ user_handle: input.user, kind, target: input.target, secret: input.secret ?? null, created_at: now.toISOString() })
    .execute();
  return { user: input.user, kind, target: input.target, signed: input.secret !== undefined };
}

export async function listContactPoints(db: Db, user?: string): Promise<ContactPoint[]> {
  let query = db.selectFrom('contact_points').select(['user_handle', 'kind', 'target', 'secret']).orderBy('user_handle').orderBy('kind').orderBy('target');
  if (user !== undefined) query = query.where('user_handle', '=', user);
  const rows = await query.execute();
  return rows.map((r) => ({ user: r.user_handle, kind: r.kind, target: r.target, signed: r.secret !== null }));
}

/** Removes one contact point (or all of a user's with no kind/target); returns how many. */
export async function removeContactPoints(db: Db, user: string, kind?: string, target?: string): Promise<number> {
  let query = db.deleteFrom('contact_points').where('user_handle', '=', user);
  if (kind !== undefined) {
    if (!(CHANNEL_KINDS as readonly string[]).includes(kind)) throw fieldError('FB_ERR_INPUT_INVALID', 'kind', `"${kind}" is not a channel kind; use one of ${CHANNEL_KINDS.join(', ')}`);
    query = query.where('kind', '=', kind as ChannelKind);
  }
  if (target !== undefined) query = query.where('target', '=', target);
  const result = await query.executeTakeFirst();
  const removed = Number(result.numDeletedRows);
  if (removed === 0) throw new FirebreakError('FB_ERR_CONTACT_NOT_FOUND', `${user} has no such contact point`);
  return removed;
}

export async function destinationsOfUser(db: Db, user: string): Promise<Destination[]> {
  const rows = await db.selectFrom('contact_points').select(['kind', 'target', 'secret']).where('user_handle', '=', user).execute();
  return rows.map((r) => ({ channel: r.kind, target: r.target, secret: r.secret }));
}

/** Sets the endpoint (and secret) a plan channel id delivers to on this server. */
export async function setChannelEndpoint(
  db: Db,
  input: { channel: string; kind: string; target: string; secret?: string },
  now: Date,
  guard: OutboundGuard = OutboundGuard.fromEnv(),
): Promise<void> {
  const kind = checkDestination(input.kind, input.target);
  await checkOutboundTarget(guard, kind, input.target);
  const row = { channel_id: input.channel, kind, target: input.target, secret: input.secret ?? null, updated_at: now.toISOString() };
  await db
    .insertInto('channel_secrets')
    .values(row)
    .onConflict((oc) => oc.column('channel_id').doUpdateSet({ kind, target: input.target, secret: row.secret, updated_at: row.updated_at }))
    .execute();
}

export async function channelEndpoint(db: Db, channel: string): Promise<Destination | undefined> {
  const row = await db.selectFrom('channel_secrets').select(['kind', 'target', 'secret']).where('channel_id', '=', channel).executeTakeFirst();
  return row ? { channel: row.kind, target: row.target, secret: row.secret } : undefined;
}

/** The signing secret for a target, looked up at send time so delivery rows never hold it. */
export async function secretForTarget(db: Db, target: string): Promise<string | null> {
  const contact = await db.selectFrom('contact_points').select('secret').where('target', '=', target).where('secret', 'is not', null).executeTakeFirst();
  if (contact?.secret) return contact.secret;
  const channel = await db.selectFrom('channel_secrets').select('secret').where('target', '=', target).where('secret', 'is not', null).executeTakeFirst();
  return channel?.secret ?? null;
}

/** The plan channels configured on this server (secrets never included). */
export async function listChannelEndpoints(db: Db): Promise<{ channel: string; kind: ChannelKind; target: string; signed: boolean; updatedAt: string }[]> {
  const rows = await db.selectFrom('channel_secrets').select(['channel_id', 'kind', 'target', 'secret', 'updated_at']).orderBy('channel_id').execute();
  return rows.map((r) => ({ channel: r.channel_id, kind: r.kind as ChannelKind, target: r.target, signed: r.secret !== null, updatedAt: r.updated_at }));
}
