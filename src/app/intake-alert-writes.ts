/**
 * The alert rows one ingest group touches, written either at once (`DirectAlertWrites`,
 * used when each request runs in its own savepoint) or folded together
 * (`FoldedAlertWrites`): in a storm, a group of many requests repeating one fingerprint
 * costs one lookup and one `UPDATE … count = count + n` at the end of the group instead
 * of a lookup and an update per request. Both end in the same rows, inside the group's
 * one transaction, so what is committed (and when the 202 goes out) does not change.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import { type AlertRow, bumpAlert, closeAlert, findOpenAlert, insertAlert, markAlertResolved } from '../store/intake-store.js';

export interface OpenAlert {
  readonly id: number;
  readonly incidentId: string | null;
  readonly incidentStatus: string | null;
  /** The count including what this transaction added so far. */
  readonly count: number;
}

export interface AlertWrites {
  findOpen(source: string, fingerprint: string): Promise<OpenAlert | undefined>;
  close(source: string, fingerprint: string, alert: OpenAlert): Promise<void>;
  bump(source: string, fingerprint: string, alert: OpenAlert, by: number, at: string, resolvedAt: string | null): Promise<void>;
  markResolved(source: string, fingerprint: string, alert: OpenAlert, at: string): Promise<void>;
  insert(row: Omit<AlertRow, 'id' | 'status'>): Promise<void>;
  /** Writes what was folded; call once before the transaction commits. */
  flush(): Promise<void>;
}

export class DirectAlertWrites implements AlertWrites {
  constructor(private readonly trx: Transaction<Database>) {}
  findOpen(source: string, fingerprint: string) {
    return findOpenAlert(this.trx, source, fingerprint);
  }
  close(_source: string, _fingerprint: string, alert: OpenAlert) {
    return closeAlert(this.trx, alert.id);
  }
  bump(_source: string, _fingerprint: string, alert: OpenAlert, by: number, at: string, resolvedAt: string | null) {
    return bumpAlert(this.trx, alert.id, by, at, resolvedAt);
  }
  markResolved(_source: string, _fingerprint: string, alert: OpenAlert, at: string) {
    return markAlertResolved(this.trx, alert.id, at);
  }
  async insert(row: Omit<AlertRow, 'id' | 'status'>) {
    await insertAlert(this.trx, row);
  }
  async flush() {}
}

interface Folded {
  id: number;
  incidentId: string | null;
  incidentStatus: string | null;
  count: number;
  /** Not yet written: count to add, and the last-seen / source-resolved values to set. */
  pending: { by: number; at: string; resolvedAt: string | null } | null;
}

export class FoldedAlertWrites implements AlertWrites {
  /** By source and fingerprint; null records "no open alert" as read in this transaction. */
  private readonly seen = new Map<string, Folded | null>();

  constructor(private readonly trx: Transaction<Database>) {}

  private static key(source: string, fingerprint: string): string {
    return `${source}\u0000${fingerprint}`;
  }

  async findOpen(source: string, fingerprint: string): Promise<OpenAlert | undefined> {
    const key = FoldedAlertWrites.key(source, fingerprint);
    if (!this.seen.has(key)) {
      const row = await findOpenAlert(this.trx, source, fingerprint);
      this.seen.set(key, row ? { ...row, pending: null } : null);
    }
    const folded = this.seen.get(key);
    return folded ? { id: folded.id, incidentId: folded.incidentId, incidentStatus: folded.incidentStatus, count: folded.count } : undefined;
  }

  async close(source: string, fingerprint: string, alert: OpenAlert): Promise<void> {
    const key = FoldedAlertWrites.key(source, fingerprint);
    const folded = this.seen.get(key);
    if (folded) await this.write(folded);
    await closeAlert(this.trx, alert.id);
    this.seen.set(key, null);
  }

  async bump(source: string, fingerprint: string, _alert: OpenAlert, by: number, at: string, resolvedAt: string | null): Promise<void> {
    const folded = this.seen.get(FoldedAlertWrites.key(source, fingerprint));
    if (!folded) throw new Error(`bump of ${source}/${fingerprint} before it was read in this transaction`);
    folded.count += by;
    folded.pending = { by: (folded.pending?.by ?? 0) + by, at, resolvedAt };
  }

  async markResolved(source: string, fingerprint: string, alert: OpenAlert, at: string): Promise<void> {
    await this.bump(source, fingerprint, alert, 0, at, at);
  }

  async insert(row: Omit<AlertRow, 'id' | 'status'>): Promise<void> {
    const id = await insertAlert(this.trx, row);
    // The incident was placed in this transaction and is open (a new event, or an open incident attached to).
    this.seen.set(FoldedAlertWrites.key(row.source, row.fingerprint), { id, incidentId: row.incidentId, incidentStatus: null, count: row.count, pending: null });
  }

  async flush(): Promise<void> {
    for (const folded of this.seen.values()) if (folded) await this.write(folded);
  }

  private async write(folded: Folded): Promise<void> {
    const pending = folded.pending;
    if (!pending) return;
    folded.pending = null;
    await bumpAlert(this.trx, folded.id, pending.by, pending.at, pending.resolvedAt);
  }
}
