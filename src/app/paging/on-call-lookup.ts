/**
 * What the pager asks of on-call schedules. The schedule service answers it from the
 * store; the port keeps escalation free of how schedules are kept.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../store/database.js';

/** Optional: the transaction to read in (the pager pages inside the scheduler's write transaction). */
type Db = Kysely<Database> | Transaction<Database>;

export interface OnCallLookup {
  /** The handles on call in that schedule at `at`; [] in a gap; undefined when no such schedule. */
  onCallAt(scheduleId: string, at: Date, db?: Db): Promise<readonly string[] | undefined>;
  /** Everyone with a place in that schedule, for "everyone on it" levels; undefined when no such schedule. */
  everyoneOn(scheduleId: string, db?: Db): Promise<readonly string[] | undefined>;
}
