/**
 * The scheduler: makes the clocks act. Two halves.
 *
 * The schedule projection runs inside every incident command's own write transaction
 * (`IncidentService.addProjection`) and brings that incident's `scheduled_clocks` rows in
 * line with `deriveClocks` (a raised severity moves deadlines earlier, a completed item
 * cancels its row), so clock rows change atomically with the events that moved them.
 * `resync` does the same for every open incident at start-up, so rows of incidents
 * written before this version (or by a process without a scheduler) are brought in line.
 *
 * The worker claims due rows in one write transaction, appends one `clock_fired` event per
 * row to its incident, queues the notifications in the outbox and marks the rows fired —
 * all or nothing, so a row fires exactly once even with several workers or servers. Rows
 * found long overdue (the server was down) fire once, marked late. Then it sends due
 * messages. `tick(now)` runs one pass (tests drive it with a manual clock); `start()` runs
 * passes on a timer aimed at the next due row, so an idle scheduler sleeps.
 */
import { randomUUID } from 'node:crypto';
import { type Clock, deriveClocks } from '../../domain/clocks/clocks.js';
import type { IncidentEvent } from '../../domain/incident/events.js';
import type { DeliveryService } from '../../integrations/delivery/delivery-service.js';
import { loadIncidentState, loadIncidentStates } from '../../store/incident-store.js';
import type { Store } from '../../store/store.js';
import { EventEmitter } from 'node:events';
import type { Transaction } from 'kysely';
import type { IncidentEventEnvelope } from '../../domain/incident/events.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { Database } from '../../store/database.js';
import type { CommandResult, IncidentService, TransactionalProjection } from '../incident-service.js';
import type { PlanCatalog } from '../plan-catalog.js';
import type { TimeSource } from '../time-source.js';
import { Pager } from '../paging/pager.js';
import { desiredSchedule } from './clock-schedule.js';
import { isPlanScope, recordPlanClocks } from './plan-clocks.js';
import type { StepOutcome } from '../paging/pager.js';
import { type ClockNotice, noticeFor, type Recipient } from './clock-notices.js';
import { claimAndMarkFired, earliestPendingDue, incidentsToResync, incidentsWithDueClocks, type ScheduledClock, type SyncOutcome, syncSchedule } from './schedule-store.js';

export const SCHEDULER_ACTOR = 'firebreak-scheduler';

/** Events that never change an incident's schedule; the reactor ignores them. */
const SCHEDULE_NEUTRAL = new Set(['clock_fired', 'message_submitted', 'message_approved', 'message_rejected', 'message_sent', 'note_added', 'member_added', 'member_removed', 'restriction_changed']);

export interface SchedulerLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  readonly workerId?: string;
  /** Rows claimed per transaction. */
  readonly batchSize?: number;
  /** A row fired more than this after its due time is marked late. */
  readonly lateAfterMs?: number;
  /** Longest sleep between passes, so rows written by other servers are seen. */
  readonly maxSleepMs?: number;
  readonly logger?: SchedulerLogger;
  /** Where people open Firebreak (FIREBREAK_PUBLIC_URL): reminders link to the incident page there. */
  readonly publicUrl?: string;
}

export interface SchedulerDeps {
  readonly store: Store;
  readonly plans: PlanCatalog;
  readonly incidents: IncidentService;
  readonly deliveries: DeliveryService;
  readonly time: TimeSource;
  /** Plan-cadence clocks (plan review, tabletop, contact verification); absent in bare test setups. */
  readonly upkeep?: { syncSchedule(): Promise<string | undefined> };
  /** Pages the acknowledgement escalation's steps; a pager without schedules when absent. */
  readonly pager?: Pager;
}

export interface TickResult {
  readonly fired: number;
  readonly late: number;
  readonly attemptedDeliveries: number;
}

export interface SchedulerStats {
  readonly passes: number;
  readonly fired: number;
  readonly running: boolean;
  readonly nextWakeAt: string | null;
}

const silent: SchedulerLogger = { info: () => undefined, error: () => undefined };

export class Scheduler {
  readonly workerId: string;
  private readonly batchSize: number;
  private readonly lateAfterMs: number;
  private readonly maxSleepMs: number;
  private readonly publicUrl: string | undefined;
  private log: SchedulerLogger;
  private detach: (() => void) | undefined;
  private projecting = false;
  /** Sync outcomes written by the projection, by the state object its command committed. */
  private readonly synced = new WeakMap<IncidentState, SyncOutcome>();
  private readonly changes = new EventEmitter();
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeAt: number | undefined;
  private pass: Promise<void> | undefined;
  private passes = 0;
  private firedTotal = 0;
  private readonly pager: Pager;

  constructor(
    private readonly deps: SchedulerDeps,
    options: SchedulerOptions = {},
  ) {
    this.workerId = options.workerId ?? `scheduler-${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 500;
    this.lateAfterMs = options.lateAfterMs ?? 60_000;
    this.maxSleepMs = options.maxSleepMs ?? 60_000;
    this.log = options.logger ?? silent;
    this.publicUrl = options.publicUrl?.replace(/\/+$/, '');
    this.pager = deps.pager ?? new Pager(undefined);
  }

  /**
   * Registers the schedule projection with the incident service and listens to commits
   * (done once by `createApp`): after a commit, wakes the timer for a sooner deadline and
   * tells `onClocksChanged` listeners (the live feed) that the incident's rows moved.
   */
  attach(): void {
    if (!this.projecting) {
      this.projecting = true;
      this.deps.incidents.addProjection(this.projection);
    }
    this.detach ??= this.deps.incidents.onCommitted((result) => this.committed(result));
  }

  /** The projection that keeps clock rows in line, inside the command's transaction. */
  readonly projection: TransactionalProjection = {
    name: 'scheduled-clocks',
    project: async (trx: Transaction<Database>, state: IncidentState, events: readonly IncidentEventEnvelope[]) => {
      if (events.every((e) => SCHEDULE_NEUTRAL.has(e.type))) return;
      const plan = await this.deps.plans.get(state.planId, state.planVersion, trx);
      const outcome = await syncSchedule(trx, state.id, desiredSchedule(plan, state), this.deps.time.now());
      this.synced.set(state, outcome);
    },
  };

  private committed(result: CommandResult): void {
    const outcome = this.synced.get(result.state);
    if (!outcome) return;
    this.synced.delete(result.state);
    if (outcome.earliestDue) this.wakeBy(new Date(outcome.earliestDue).getTime());
    if (outcome.inserted + outcome.moved + outcome.cancelled > 0) this.changes.emit('changed', result.state.id);
  }

  /** Called with the incident id after its clock rows were inserted, moved, cancelled or fired. */
  onClocksChanged(listener: (incidentId: string) => void): () => void {
    this.changes.on('changed', listener);
    return () => this.changes.off('changed', listener);
  }

  /**
   * Kept for callers written when clock rows were recomputed after the commit: the rows
   * now change inside the command's own transaction, so there is nothing to wait for.
   */
  async settled(): Promise<void> {}

  /** Brings one incident's rows in line with its clocks; returns the earliest due time. */
  async recompute(incidentId: string): Promise<string | undefined> {
    const now = this.deps.time.now();
    const outcome = await this.deps.store.transaction(async (trx) => {
      const state = await loadIncidentState(trx, incidentId);
      if (!state) return undefined;
      const plan = await this.deps.plans.get(state.planId, state.planVersion, trx);
      return syncSchedule(trx, incidentId, desiredSchedule(plan, state), now);
    });
    if (outcome?.earliestDue) this.wakeBy(new Date(outcome.earliestDue).getTime());
    if (outcome && outcome.inserted + outcome.moved + outcome.cancelled > 0) this.changes.emit('changed', incidentId);
    return outcome?.earliestDue;
  }

  /** Recomputes every incident that may need it: at start-up, after downtime. */
  async resync(): Promise<number> {
    const ids = (await incidentsToResync(this.deps.store.db)).filter((id) => !isPlanScope(id));
    for (const id of ids) await this.recompute(id);
    const planDue = await this.deps.upkeep?.syncSchedule();
    if (planDue) this.wakeBy(new Date(planDue).getTime());
    return ids.length;
  }

  /**
   * One pass: fire every clock due, then send due messages. Without `now`, each batch
   * reads the time source afresh, so `fired_at` is when the batch really fired and rows
   * falling due during a long pass are taken too.
   */
  async tick(now?: Date): Promise<TickResult> {
    await this.settled();
    let fired = 0;
    let late = 0;
    for (;;) {
      const batch = await this.fireBatch(now ?? this.deps.time.now());
      fired += batch.fired;
      late += batch.late;
      // On PostgreSQL a batch may be short because other workers hold some incidents, so
      // only an empty batch means nothing is left; on SQLite a short batch means that.
      if (batch.claimed === 0 || (this.deps.store.dialect !== 'postgres' && batch.claimed < this.batchSize)) break;
    }
    this.firedTotal += fired;
    const attemptedDeliveries = await this.deps.deliveries.processDue(now ?? this.deps.time.now());
    this.passes += 1;
    return { fired, late, attemptedDeliveries };
  }

  /**
   * Fires up to `batchSize` due rows in one write transaction: one statement claims them
   * and marks them fired, one query reads (on PostgreSQL: locks) their incidents, one
   * insert appends every `clock_fired` event, then one projection update per incident.
   * On PostgreSQL the incident rows are locked first (skipping those another transaction
   * holds) and only their clock rows are claimed, the same order a command takes (incident,
   * then its clock rows), so a firing and a command never deadlock.
   */
  private async fireBatch(now: Date): Promise<{ claimed: number; fired: number; late: number }> {
    const { store, plans, incidents, deliveries } = this.deps;
    const postgres = store.dialect === 'postgres';
    const claim = { now, limit: this.batchSize, lateBefore: new Date(now.getTime() - this.lateAfterMs), workerId: this.workerId };
    let published: CommandResult[] = [];
    const nextDue: number[] = [];
    const counts = await store.transaction(async (trx) => {
      let states: Map<string, IncidentState>;
      let rows: ScheduledClock[];
      if (postgres) {
        // Incidents another worker holds are skipped; look further along the due rows
        // (a few rounds) so two workers on one back log both have work.
        const skipped: string[] = [];
        let mine: string[] = [];
        states = new Map();
        for (let round = 0; round < 8 && mine.length === 0; round += 1) {
          const candidates = await incidentsWithDueClocks(trx, now, this.batchSize, skipped);
          if (candidates.length === 0) break;
          states = await loadIncidentStates(trx, candidates, { lock: true, skipLocked: true });
          // Rows whose incident row is gone have nothing to lock; they fire without an event.
          const existing = new Set((await trx.selectFrom('incidents').select('id').where('id', 'in', candidates).execute()).map((r) => r.id));
          mine = candidates.filter((id) => states.has(id) || !existing.has(id));
          skipped.push(...candidates);
        }
        rows = await claimAndMarkFired(trx, store.dialect, { ...claim, incidentIds: mine });
      } else {
        rows = await claimAndMarkFired(trx, store.dialect, claim);
        states = await loadIncidentStates(trx, [...new Set(rows.map((r) => r.incidentId))]);
      }
      const byIncident = new Map<string, ScheduledClock[]>();
      for (const row of rows) {
        const list = byIncident.get(row.incidentId);
        if (list) list.push(row);
        else byIncident.set(row.incidentId, [row]);
      }
      let lateCount = 0;
      const planRows = rows.filter((r) => isPlanScope(r.incidentId));
      if (planRows.length > 0) {
        lateCount += planRows.filter((r) => r.late).length;
        const planOf = (planId: string) => plans.get(planId).catch(() => undefined);
        await deliveries.enqueue(trx, await recordPlanClocks(trx, planOf, planRows, now), now);
      }
      const batch: { state: IncidentState; events: IncidentEvent[] }[] = [];
      /** Incidents whose escalation moved on: their next step's row is written below. */
      const paged = new Set<string>();
      for (const [incidentId, due] of [...byIncident].sort(([a], [b]) => a.localeCompare(b))) {
        if (isPlanScope(incidentId)) continue;
        lateCount += due.filter((r) => r.late).length;
        const state = states.get(incidentId);
        if (!state) continue;
        const plan = await plans.get(state.planId, state.planVersion, trx).catch((error: unknown) => {
          this.log.error({ err: error, incidentId }, 'scheduler: plan not loaded; firing without notifications');
          return undefined;
        });
        let clocks: Clock[] | undefined;
        const clocksNow = () => (clocks ??= plan ? deriveClocks(plan, state, now) : []);
        const events: IncidentEvent[] = [];
        const recipients = new Map<string, Recipient[]>();
        for (const row of due) {
          // A clock that cannot be announced (a broken template) still fires, so one bad
          // row never blocks the others; the event then names nobody as notified.
          let notice: ClockNotice = { notified: [], messages: [] };
          let step: Omit<StepOutcome, 'notified' | 'messages'> | undefined;
          if (plan) {
            try {
              if (row.kind === 'ack') {
                const { notified, messages, ...rest } = await this.pager.page(trx, plan, state, clocksNow, row, now);
                notice = { notified, messages };
                step = rest;
              } else notice = await noticeFor(trx, plan, state, clocksNow, row, row.late, recipients, this.publicUrl);
            } catch (error) {
              this.log.error({ err: error, incidentId, clock: row.clockKey }, 'scheduler: could not prepare the notification');
            }
          }
          if (notice.messages.length > 0) await deliveries.enqueue(trx, notice.messages, now);
          if (step) paged.add(incidentId);
          events.push({
            type: 'clock_fired',
            data: {
              clock: row.clockKey,
              dueAt: row.dueAt,
              late: row.late,
              ...(step ? { level: step.level, pass: step.pass, ...(step.policy ? { policy: step.policy } : {}), fellThrough: step.fellThrough, next: step.next } : row.details.level !== undefined ? { level: row.details.level } : {}),
              notified: notice.notified,
            },
          });
        }
        batch.push({ state, events });
      }
      published = await incidents.appendSystemEventsToMany(trx, batch, { actor: SCHEDULER_ACTOR, occurredAt: now.toISOString() });
      // The next escalation step is due when the fired one says: its row commits with the firing.
      for (const result of published) {
        if (!paged.has(result.state.id)) continue;
        const plan = await plans.get(result.state.planId, result.state.planVersion, trx);
        const outcome = await syncSchedule(trx, result.state.id, desiredSchedule(plan, result.state), now);
        if (outcome.earliestDue) nextDue.push(new Date(outcome.earliestDue).getTime());
      }
      return { claimed: rows.length, fired: rows.length, late: lateCount };
    });
    for (const result of published) {
      incidents.publish(result);
      this.changes.emit('changed', result.state.id);
    }
    for (const at of nextDue) this.wakeBy(at);
    return counts;
  }

  /** When the next pass is needed: the earliest pending clock or due message. */
  async nextDueAt(): Promise<Date | undefined> {
    const [clock, message] = await Promise.all([earliestPendingDue(this.deps.store.db), this.deps.deliveries.nextAttemptAt()]);
    const times = [clock, message].filter((t): t is string => t !== undefined).map((t) => new Date(t).getTime());
    return times.length > 0 ? new Date(Math.min(...times)) : undefined;
  }

  /** Resyncs, then runs passes on a timer aimed at the next due row until `stop()`. */
  async start(logger?: SchedulerLogger): Promise<void> {
    if (this.running) return;
    if (logger) this.log = logger;
    this.attach();
    await this.resync();
    this.running = true;
    this.log.info({ worker: this.workerId }, 'scheduler started');
    this.runPass();
  }

  private runPass(): void {
    this.timer = undefined;
    this.wakeAt = undefined;
    this.pass = (async () => {
      try {
        await this.tick();
      } catch (error) {
        this.log.error({ err: error }, 'scheduler: pass failed; retrying later');
      }
      if (!this.running) return;
      let next: number;
      try {
        next = (await this.nextDueAt())?.getTime() ?? Number.POSITIVE_INFINITY;
      } catch {
        next = Number.POSITIVE_INFINITY;
      }
      this.arm(next);
    })();
  }

  /** Sets the timer for `at` (ms since epoch), capped at `maxSleepMs` from now. */
  private arm(at: number): void {
    if (!this.running) return;
    const now = this.deps.time.now().getTime();
    const wake = Math.min(at, now + this.maxSleepMs);
    if (this.timer) clearTimeout(this.timer);
    this.wakeAt = wake;
    this.timer = setTimeout(() => this.runPass(), Math.max(0, wake - now));
    this.timer.unref();
  }

  /** Runs a pass now (rows were written behind the reactor's back, e.g. by another process). */
  poke(): void {
    if (this.running) this.arm(this.deps.time.now().getTime());
  }

  /** Wakes earlier when a recompute produced a sooner deadline. */
  private wakeBy(at: number): void {
    if (this.running && this.timer && this.wakeAt !== undefined && at < this.wakeAt) this.arm(at);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    await this.settled();
  }

  /** Stops and unsubscribes; `createApp`'s close calls this. */
  async close(): Promise<void> {
    await this.stop();
    this.detach?.();
    this.detach = undefined;
  }

  stats(): SchedulerStats {
    return { passes: this.passes, fired: this.firedTotal, running: this.running, nextWakeAt: this.wakeAt !== undefined ? new Date(this.wakeAt).toISOString() : null };
  }
}
