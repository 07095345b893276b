/**
 * Lost races between writers. Appends are serialised per incident (a row lock on
 * PostgreSQL, the write lock on SQLite), and the unique `(incident_id, seq)` index is the
 * backstop: should two writers still race, one insert fails instead of forking the chain.
 * Such a failure (and PostgreSQL's serialisation failures and deadlocks) is retried from
 * the start of the transaction, with fresh state; if it keeps losing, the caller gets a
 * clean conflict (409 / exit 4), never a fork.
 */
import { FirebreakError } from '../domain/errors.js';

/** PostgreSQL SQLSTATEs that mean "run the transaction again". */
const PG_RETRYABLE = new Set(['40001', '40P01']);

export function isWriteConflict(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (typeof code !== 'string') return false;
  if (PG_RETRYABLE.has(code)) return true;
  // PostgreSQL unique violation on the event sequence.
  if (code === '23505') return constraint === 'events_incident_seq';
  // SQLite: UNIQUE constraint failed: events.incident_id, events.seq
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return typeof message === 'string' && message.includes('events.incident_id');
  return code === 'SQLITE_BUSY';
}

export const WRITE_ATTEMPTS = 5;

/** Runs `work` (one whole transaction) again when it lost a race, up to `attempts` times. */
export async function retryOnWriteConflict<T>(what: string, work: () => Promise<T>, attempts = WRITE_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
      if (attempt >= attempts) {
        throw new FirebreakError('FB_ERR_STORE_WRITE_CONFLICT', `${what} lost ${attempts} races with other writers in a row; nothing was written, try again`);
      }
      // A short, growing, jittered pause so the racers spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
