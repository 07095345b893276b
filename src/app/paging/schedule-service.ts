/**
 * On-call schedules as data: created, replaced and deleted through here (API, CLI, web),
 * every change kept in `oncall_schedule_history` with who made it and the definition it
 * left, overrides added and removed, and the questions the pager asks — who is on call
 * at an instant, and everyone on a schedule. A schedule names people by handle; every
 * handle must be a user of this server, so a typo cannot leave a shift to nobody.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { fieldError, FirebreakError } from '../../domain/errors.js';
import { everyoneOn, type OnCallSchedule, onCallAt, type ScheduleOverride, type Shift, shiftsBetween } from '../../domain/paging/on-call-schedule.js';
import { randomSecret, sha256 } from '../auth/secret-token.js';
import { type OverrideInput, OverrideInputSchema, overlappingOverride, type ScheduleDefinition, ScheduleDefinitionSchema } from '../../domain/paging/schedule-input.js';
import { parseInput } from '../../domain/parse-input.js';
import { type Database, type OverridesTable, readJson } from '../../store/database.js';
import type { Store } from '../../store/store.js';
import type { TimeSource } from '../time-source.js';
import type { OnCallLookup } from './on-call-lookup.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ScheduleRecord {
  readonly schedule: OnCallSchedule;
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface ScheduleChange {
  readonly version: number;
  readonly change: string;
  readonly detail: string | null;
  readonly definition: ScheduleDefinition | null;
  readonly changedAt: string;
  readonly changedBy: string;
}

/** The longest span one shifts question may cover, so a request cannot ask for years of hand-overs. */
export const MAX_SHIFT_SPAN_DAYS = 92;

/** Refuses to delete a schedule something still pages (escalation policies register one). */
export type ScheduleInUseCheck = (trx: Transaction<Database>, scheduleId: string) => Promise<void>;

export class ScheduleService implements OnCallLookup {
  private inUseCheck?: ScheduleInUseCheck;

  constructor(
    private readonly store: Store,
    private readonly time: TimeSource,
  ) {}

  /** Escalation registers how to tell that a policy still pages a schedule (FB_ERR_SCHEDULE_IN_USE). */
  refuseDeletionWhen(check: ScheduleInUseCheck): void {
    this.inUseCheck = check;
  }

  async list(): Promise<ScheduleRecord[]> {
    const rows = await this.store.db.selectFrom('oncall_schedules').selectAll().orderBy('id').execute();
    const overrides = await this.store.db.selectFrom('oncall_overrides').selectAll().orderBy('starts_at').execute();
    return rows.map((row) => toRecord(row, overrides.filter((o) => o.schedule_id === row.id)));
  }

  async get(id: string, db: Db = this.store.db): Promise<ScheduleRecord> {
    const found = await this.find(id, db);
    if (!found) throw new FirebreakError('FB_ERR_SCHEDULE_NOT_FOUND', `no on-call schedule "${id}"`);
    return found;
  }

  async find(id: string, db: Db = this.store.db): Promise<ScheduleRecord | undefined> {
    const row = await db.selectFrom('oncall_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const overrides = await db.selectFrom('oncall_overrides').selectAll().where('schedule_id', '=', id).orderBy('starts_at').execute();
    return toRecord(row, overrides);
  }

  async create(input: unknown, actor: string): Promise<ScheduleRecord> {
    const definition = parseInput(ScheduleDefinitionSchema, input);
    return this.store.transaction(async (trx) => {
      await requireUsers(trx, definition.layers.flatMap((l, i) => l.users.map((u, j) => ({ handle: u, field: `layers.${i}.users.${j}` }))));
      if (await this.find(definition.id, trx)) throw new FirebreakError('FB_ERR_SCHEDULE_EXISTS', `an on-call schedule "${definition.id}" already exists`);
      const now = this.time.now().toISOString();
      await trx.insertInto('oncall_schedules').values({ id: definition.id, definition: JSON.stringify(definition), version: 1, updated_at: now, updated_by: actor }).execute();
      await recordChange(trx, definition.id, 1, 'created', definition, null, now, actor);
      return this.get(definition.id, trx);
    });
  }

  /** Replaces a schedule's definition (its id stays); overrides are kept. */
  async replace(id: string, input: unknown, actor: string): Promise<ScheduleRecord> {
    const definition = parseInput(ScheduleDefinitionSchema, { ...(typeof input === 'object' && input !== null ? input : {}), id });
    return this.store.transaction(async (trx) => {
      const current = await this.get(id, trx);
      await requireUsers(trx, definition.layers.flatMap((l, i) => l.users.map((u, j) => ({ handle: u, field: `layers.${i}.users.${j}` }))));
      const version = current.version + 1;
      const now = this.time.now().toISOString();
      await trx.updateTable('oncall_schedules').set({ definition: JSON.stringify(definition), version, updated_at: now, updated_by: actor }).where('id', '=', id).execute();
      await recordChange(trx, id, version, 'updated', definition, null, now, actor);
      return this.get(id, trx);
    });
  }

  async remove(id: string, actor: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      const current = await this.get(id, trx);
      await this.inUseCheck?.(trx, id);
      await trx.deleteFrom('oncall_overrides').where('schedule_id', '=', id).execute();
      await trx.deleteFrom('oncall_schedules').where('id', '=', id).execute();
      await recordChange(trx, id, current.version + 1, 'deleted', null, null, this.time.now().toISOString(), actor);
    });
  }

  async addOverride(id: string, input: unknown, actor: string): Promise<ScheduleOverride> {
    const override: OverrideInput = parseInput(OverrideInputSchema, input);
    return this.store.transaction(async (trx) => {
      const current = await this.get(id, trx);
      await requireUsers(trx, [{ handle: override.user, field: 'user' }]);
      const clash = overlappingOverride(current.schedule.overrides, override);
      if (clash) {
        throw new FirebreakError('FB_ERR_SCHEDULE_OVERRIDE_OVERLAPS', `start: overlaps ${clash.user}'s override ${clash.start} – ${clash.end} (${clash.id})`, [
          { path: 'start', message: `overlaps the override ${clash.id} (${clash.user}, ${clash.start} – ${clash.end})` },
        ]);
      }
      const created: ScheduleOverride = { id: randomUUID(), user: override.user, start: new Date(override.start).toISOString(), end: new Date(override.end).toISOString() };
      const now = this.time.now().toISOString();
      await trx
        .insertInto('oncall_overrides')
        .values({ id: created.id, schedule_id: id, user_handle: created.user, starts_at: created.start, ends_at: created.end, created_at: now, created_by: actor })
        .execute();
      await this.bump(trx, current, 'override-added', `${created.user} ${created.start} – ${created.end} (${created.id})`, now, actor);
      return created;
    });
  }

  async removeOverride(id: string, overrideId: string, actor: string): Promise<void> {
    await this.store.transaction(async (trx) => {
      const current = await this.get(id, trx);
      const override = current.schedule.overrides.find((o) => o.id === overrideId);
      if (!override) throw new FirebreakError('FB_ERR_SCHEDULE_OVERRIDE_NOT_FOUND', `schedule "${id}" has no override ${overrideId}`);
      await trx.deleteFrom('oncall_overrides').where('id', '=', overrideId).execute();
      await this.bump(trx, current, 'override-removed', `${override.user} ${override.start} – ${override.end} (${override.id})`, this.time.now().toISOString(), actor);
    });
  }

  async history(id: string): Promise<ScheduleChange[]> {
    const rows = await this.store.db.selectFrom('oncall_schedule_history').selectAll().where('schedule_id', '=', id).orderBy('version').execute();
    if (rows.length === 0) throw new FirebreakError('FB_ERR_SCHEDULE_NOT_FOUND', `no on-call schedule "${id}"`);
    return rows.map((r) => ({
      version: r.version,
      change: r.change,
      detail: r.detail,
      definition: r.definition === null ? null : readJson<ScheduleDefinition>(r.definition),
      changedAt: r.changed_at,
      changedBy: r.changed_by,
    }));
  }

  /** The shifts and gaps of [from, to), at most MAX_SHIFT_SPAN_DAYS long. */
  async shifts(id: string, from: Date, to: Date) {
    if (!(to.getTime() > from.getTime())) throw fieldError('FB_ERR_INPUT_INVALID', 'to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_SHIFT_SPAN_DAYS * 86_400_000) throw fieldError('FB_ERR_INPUT_INVALID', 'to', `may be at most ${MAX_SHIFT_SPAN_DAYS} days after from`);
    return shiftsBetween((await this.get(id)).schedule, from, to);
  }

  async onCallAt(scheduleId: string, at: Date, db: Db = this.store.db): Promise<readonly string[] | undefined> {
    const found = await this.find(scheduleId, db);
    if (!found) return undefined;
    const who = onCallAt(found.schedule, at);
    return who === undefined ? [] : [who];
  }

  async everyoneOn(scheduleId: string, db: Db = this.store.db): Promise<readonly string[] | undefined> {
    const found = await this.find(scheduleId, db);
    return found ? everyoneOn(found.schedule) : undefined;
  }

  /** A new private feed link for a person's shifts; an older one stops working. Returns the token once. */
  async issueFeed(handle: string): Promise<string> {
    const token = randomSecret(32);
    await this.store.transaction(async (trx) => {
      await trx.deleteFrom('calendar_feeds').where('user_handle', '=', handle).execute();
      await trx.insertInto('calendar_feeds').values({ token_hash: sha256(token), user_handle: handle, created_at: this.time.now().toISOString() }).execute();
    });
    return token;
  }

  async revokeFeed(handle: string): Promise<boolean> {
    const removed = await this.store.db.deleteFrom('calendar_feeds').where('user_handle', '=', handle).executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  }

  /** The person a feed token belongs to, or undefined (unknown, revoked, or not a token at all). */
  async feedOwner(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const row = await this.store.db.selectFrom('calendar_feeds').select('user_handle').where('token_hash', '=', sha256(token)).executeTakeFirst();
    return row?.user_handle;
  }

  /** One person's final shifts in every schedule over [from, to). */
  async shiftsOf(handle: string, from: Date, to: Date): Promise<(Shift & { scheduleId: string; scheduleName: string })[]> {
    const out: (Shift & { scheduleId: string; scheduleName: string })[] = [];
    for (const record of await this.list()) {
      for (const shift of shiftsBetween(record.schedule, from, to).shifts) {
        if (shift.user === handle) out.push({ ...shift, scheduleId: record.schedule.id, scheduleName: record.schedule.name });
      }
    }
    return out.sort((a, b) => a.start.localeCompare(b.start));
  }

  private async bump(trx: Transaction<Database>, current: ScheduleRecord, change: string, detail: string, now: string, actor: string): Promise<void> {
    const version = current.version + 1;
    await trx.updateTable('oncall_schedules').set({ version, updated_at: now, updated_by: actor }).where('id', '=', current.schedule.id).execute();
    await recordChange(trx, current.schedule.id, version, change, null, detail, now, actor);
  }
}

function toRecord(row: { definition: unknown; version: number; updated_at: string; updated_by: string }, overrides: readonly Selectable<OverridesTable>[]): ScheduleRecord {
  const definition = readJson<ScheduleDefinition>(row.definition);
  return {
    schedule: { ...definition, overrides: overrides.map((o) => ({ id: o.id, user: o.user_handle, start: o.starts_at, end: o.ends_at })) },
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

async function recordChange(trx: Transaction<Database>, id: string, version: number, change: string, definition: ScheduleDefinition | null, detail: string | null, at: string, actor: string) {
  await trx
    .insertInto('oncall_schedule_history')
    .values({ schedule_id: id, version, change, definition: definition === null ? null : JSON.stringify(definition), detail, changed_at: at, changed_by: actor })
    .execute();
}

/** Every handle must be an active user; the error names the first field that is not. */
export async function requireUsers(db: Db, handles: readonly { handle: string; field: string }[]): Promise<void> {
  if (handles.length === 0) return;
  const known = new Set(
    (await db.selectFrom('users').select('handle').where('handle', 'in', [...new Set(handles.map((h) => h.handle))]).where('disabled', '=', 0).execute()).map((r) => r.handle),
  );
  const unknown = handles.filter((h) => !known.has(h.handle));
  if (unknown.length > 0) {
    throw new FirebreakError(
      'FB_ERR_INPUT_INVALID',
      unknown.map((u) => `${u.field}: no active user "${u.handle}" (create their account first, or pick an existing handle)`).join('; '),
      unknown.map((u) => ({ path: u.field, message: `no active user "${u.handle}"` })),
    );
  }
}
