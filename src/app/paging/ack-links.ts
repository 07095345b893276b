/**
 * Acknowledge links: the credential in every page that lets its recipient acknowledge
 * the incident with one tap. A link is a random 256-bit token, stored only as its SHA-256
 * (`ack_links`), tied to one incident and one person, single use, and expiring
 * (FIREBREAK_ACK_LINK_TTL, default 24h). Tokens are minted when the page leaves the
 * process, never written into the outbox, so a reader of the delivery records holds none.
 */
import type { Kysely, Transaction } from 'kysely';
import { parseDuration } from '../../domain/time/duration.js';
import type { Database } from '../../store/database.js';
import { randomSecret, sha256 } from '../auth/secret-token.js';

type Db = Kysely<Database> | Transaction<Database>;

export const ACK_TOKEN_PREFIX = 'fback_';
export const DEFAULT_ACK_LINK_TTL_MS = 24 * 3_600_000;

/** The link lifetime from FIREBREAK_ACK_LINK_TTL (`30m`, `24h`, `2d`); the default when unset or unreadable. */
export function ackLinkTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['FIREBREAK_ACK_LINK_TTL'];
  if (!text) return DEFAULT_ACK_LINK_TTL_MS;
  const parsed = parseDuration(text);
  if (!parsed.ok) return DEFAULT_ACK_LINK_TTL_MS;
  const unitMs: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
  const ms = (unitMs[parsed.duration.unit] ?? 0) * parsed.duration.amount;
  return ms > 0 ? ms : DEFAULT_ACK_LINK_TTL_MS;
}

export interface AckLinkGrant {
  readonly incidentId: string;
  readonly user: string;
  readonly deliveryId: string | null;
}

export async function mintAckLink(db: Db, grant: AckLinkGrant, now: Date, ttlMs: number): Promise<string> {
  const token = `${ACK_TOKEN_PREFIX}${randomSecret(32)}`;
  await db
    .insertInto('ack_links')
    .values({
      token_hash: sha256(token),
      incident_id: grant.incidentId,
      user_handle: grant.user,
      delivery_id: grant.deliveryId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type AckLinkCheck =
  | { readonly ok: true; readonly tokenHash: string; readonly incidentId: string; readonly user: string; readonly expiresAt: string }
  | { readonly ok: false; readonly problem: 'unknown' | 'expired' | 'used'; readonly usedAt?: string };

/** What a token is worth at `now`; nothing is changed. */
export async function checkAckLink(db: Db, token: string, now: Date): Promise<AckLinkCheck> {
  if (!token.startsWith(ACK_TOKEN_PREFIX) || token.length > 100) return { ok: false, problem: 'unknown' };
  const tokenHash = sha256(token);
  const row = await db.selectFrom('ack_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row) return { ok: false, problem: 'unknown' };
  if (row.used_at) return { ok: false, problem: 'used', usedAt: row.used_at };
  if (row.expires_at <= now.toISOString()) return { ok: false, problem: 'expired' };
  return { ok: true, tokenHash, incidentId: row.incident_id, user: row.user_handle, expiresAt: row.expires_at };
}

/** Marks a link used; false when another request spent it first. */
export async function spendAckLink(trx: Transaction<Database>, tokenHash: string, now: Date): Promise<boolean> {
  const result = await trx.updateTable('ack_links').set({ used_at: now.toISOString() }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
