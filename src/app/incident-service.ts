/**
 * The incident use cases: report, run a command, read, verify. Each write is one store
 * transaction: load the projection (locked on PostgreSQL), decide with the pinned plan,
 * seal the new events into the hash chain, append them and save the new projection.
 * Subscribers (live updates, the scheduler) hear about committed events only.
 */
import { EventEmitter } from 'node:events';
import { canonicalJson } from '../domain/chain/canonical-json.js';
import { sealEvents } from '../domain/chain/event-sealer.js';
import { verifyChain, type ChainVerdict } from '../domain/chain/hash-chain.js';
import { type Clock, deriveClocks } from '../domain/clocks/clocks.js';
import { FirebreakError, fieldError } from '../domain/errors.js';
import { type CommandContext, decide, decideReport, type IncidentCommand, type ReportCommand } from '../domain/incident/commands.js';
import type { IncidentEvent, IncidentEventEnvelope } from '../domain/incident/events.js';
import { evolve, GENESIS_HASH, type IncidentState, replay } from '../domain/incident/state.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import {
  appendEvents,
  type EventRange,
  type IncidentHead,
  type IncidentListFilter,
  countIncidents,
  listIncidentHeads,
  listLoggedIncidentIds,
  listIncidentStates,
  loadEvents,
  loadIncidentState,
  loadIncidentStates,
  nextCounter,
  saveIncidentState,
} from '../store/incident-store.js';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { Store } from '../store/store.js';
import { retryOnWriteConflict } from '../store/write-conflict.js';
import type { PlanCatalog } from './plan-catalog.js';
import type { TimeSource } from './time-source.js';

export interface CommandOptions {
  readonly actor: string;
  /** When the fact happened, if earlier than now (ISO 8601). */
  readonly occurredAt?: string;
  /** Refuse unless the incident is still at this version (If-Match). */
  readonly expectedVersion?: number;
}

export interface CommandResult {
  readonly state: IncidentState;
  readonly events: readonly IncidentEventEnvelope[];
}

/** Commands run inside one transaction opened by `IncidentService.withinTransaction`. */
export interface IncidentWriter {
  readonly trx: Transaction<Database>;
  report(planId: string, command: ReportCommand, options: CommandOptions): Promise<CommandResult>;
  execute(incidentId: string, command: IncidentCommand, options: CommandOptions): Promise<CommandResult>;
  /**
   * Appends facts another part of the system decided about the incident (an advisory was
   * drafted or published) to its chain, with the projections, in this transaction; the
   * subscribers (live updates) hear about them after the commit like any command.
   */
  record(incidentId: string, events: readonly IncidentEvent[], options: Pick<CommandOptions, 'actor'>): Promise<CommandResult>;
  /**
   * Runs `work` inside a savepoint: if it throws, its writes (and the commands it ran)
   * are undone and the transaction goes on without them.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

export interface IncidentVerdict {
  readonly incidentId: string;
  readonly verdict: ChainVerdict;
  /** False when the stored projection differs from a replay of the log. */
  readonly projectionMatches: boolean;
  /** Other integrity problems found by registered verifiers (e.g. evidence bytes re-hashed). */
  readonly problems: readonly string[];
}

/** A read model written in the same transaction as the events it handles. */
export interface TransactionalProjection {
  readonly name: string;
  project(trx: Transaction<Database>, state: IncidentState, events: readonly IncidentEventEnvelope[]): Promise<void>;
}

/** An extra integrity check run by `verify` for each incident; returns the problems found. */
export type IncidentVerifier = (state: IncidentState, events: readonly IncidentEventEnvelope[]) => Promise<readonly string[]>;

/** How far in the future an `occurredAt` may be before it is refused (clock skew). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export class IncidentService {
  private readonly committed = new EventEmitter();
  private readonly projections: TransactionalProjection[] = [];
  private readonly verifiers: IncidentVerifier[] = [];

  constructor(
    private readonly store: Store,
    private readonly plans: PlanCatalog,
    private readonly time: TimeSource,
  ) {
    this.committed.setMaxListeners(0);
  }

  /** Called after each commit with the incident's new state and events. */
  onCommitted(listener: (result: CommandResult) => void): () => void {
    this.committed.on('committed', listener);
    return () => this.committed.off('committed', listener);
  }

  /** Registers a projection that commits (or rolls back) with every append. */
  addProjection(projection: TransactionalProjection): void {
    this.projections.push(projection);
  }

  /** Registers an integrity check that `verify` runs for each incident. */
  addVerifier(verifier: IncidentVerifier): void {
    this.verifiers.push(verifier);
  }

  private async project(trx: Transaction<Database>, state: IncidentState, events: readonly IncidentEventEnvelope[]): Promise<void> {
    for (const projection of this.projections) await projection.project(trx, state, events);
  }

  private occurredAt(given: string | undefined, now: Date): string {
    if (given === undefined) return now.toISOString();
    const at = new Date(given);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(given)) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'at', `"${given}" is not an ISO 8601 date-time (e.g. 2026-03-01T14:05:00Z)`);
    }
    if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw fieldError('FB_ERR_INPUT_INVALID', 'at', `${given} is in the future`);
    }
    return at.toISOString();
  }

  private seal(incidentId: string, after: { version: number; lastHash: string }, events: readonly IncidentEvent[], ctx: CommandContext, recordedAt: string): IncidentEventEnvelope[] {
    return sealEvents('incidentId', incidentId, after, events, { ...ctx, recordedAt }) as IncidentEventEnvelope[];
  }

  async report(planId: string, command: ReportCommand, options: CommandOptions): Promise<CommandResult> {
    return this.withinTransaction((writer) => writer.report(planId, command, options));
  }

  async execute(incidentId: string, command: IncidentCommand, options: CommandOptions): Promise<CommandResult> {
    return this.withinTransaction((writer) => writer.execute(incidentId, command, options));
  }

  /**
   * Runs several commands, and the caller's own writes on `writer.trx`, in one store
   * transaction (intake uses it to record alerts and the events they cause together).
   * Subscribers hear about the commands only after the transaction commits.
   */
  async withinTransaction<T>(work: (writer: IncidentWriter) => Promise<T>): Promise<T> {
    const results: CommandResult[] = [];
    const value = await retryOnWriteConflict('the change', () => this.store.transaction(async (trx) => {
      results.length = 0;
      const writer: IncidentWriter = {
        trx,
        report: async (planId, command, options) => {
          const result = await this.reportIn(trx, planId, command, options);
          results.push(result);
          return result;
        },
        execute: async (incidentId, command, options) => {
          const result = await this.executeIn(trx, incidentId, command, options);
          results.push(result);
          return result;
        },
        record: async (incidentId, events, options) => {
          const result = await this.recordIn(trx, incidentId, events, options);
          results.push(result);
          return result;
        },
        savepoint: async (work) => {
          const mark = results.length;
          await sql`SAVEPOINT firebreak_step`.execute(trx);
          try {
            const value = await work();
            await sql`RELEASE SAVEPOINT firebreak_step`.execute(trx);
            return value;
          } catch (error) {
            await sql`ROLLBACK TO SAVEPOINT firebreak_step`.execute(trx);
            await sql`RELEASE SAVEPOINT firebreak_step`.execute(trx);
            results.length = mark;
            throw error;
          }
        },
      };
      return work(writer);
    }));
    for (const result of results) this.committed.emit('committed', result);
    return value;
  }

  private async reportIn(trx: Transaction<Database>, planId: string, command: ReportCommand, options: CommandOptions): Promise<CommandResult> {
    const plan = await this.plans.get(planId);
    const now = this.time.now();
    const ctx: CommandContext = { actor: options.actor, occurredAt: this.occurredAt(options.occurredAt, now) };
    const events = decideReport(plan, command);
    const year = now.getUTCFullYear();
    const number = await nextCounter(trx, `incident:${year}`);
    const id = `INC-${year}-${String(number).padStart(4, '0')}`;
    const sealed = this.seal(id, { version: 0, lastHash: GENESIS_HASH }, events, ctx, now.toISOString());
    const state = sealed.reduce<IncidentState | null>(evolve, null)!;
    await appendEvents(trx, sealed);
    await saveIncidentState(trx, state, true);
    await this.project(trx, state, sealed);
    return { state, events: sealed };
  }

  private async executeIn(trx: Transaction<Database>, incidentId: string, command: IncidentCommand, options: CommandOptions): Promise<CommandResult> {
    const now = this.time.now();
    const ctx: CommandContext = { actor: options.actor, occurredAt: this.occurredAt(options.occurredAt, now) };
    const state = await loadIncidentState(trx, incidentId, { lock: this.store.dialect === 'postgres' });
    if (!state) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${incidentId}`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== state.version) {
      throw new FirebreakError(
        'FB_ERR_INCIDENT_STALE_VERSION',
        `${incidentId} is at version ${state.version}, not ${options.expectedVersion}: someone changed it; reload and try again`,
      );
    }
    const plan = await this.plans.get(state.planId, state.planVersion, trx);
    const events = decide(plan, state, command, ctx);
    const sealed = this.seal(incidentId, state, events, ctx, now.toISOString());
    const next = sealed.reduce(evolve, state);
    await appendEvents(trx, sealed);
    await saveIncidentState(trx, next, false);
    await this.project(trx, next, sealed);
    return { state: next, events: sealed };
  }

  private async recordIn(trx: Transaction<Database>, incidentId: string, events: readonly IncidentEvent[], options: Pick<CommandOptions, 'actor'>): Promise<CommandResult> {
    const at = this.time.now().toISOString();
    const state = await loadIncidentState(trx, incidentId, { lock: this.store.dialect === 'postgres' });
    if (!state) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${incidentId}`);
    const sealed = this.seal(incidentId, state, events, { actor: options.actor, occurredAt: at }, at);
    const next = sealed.reduce(evolve, state);
    await appendEvents(trx, sealed);
    await saveIncidentState(trx, next, false);
    await this.project(trx, next, sealed);
    return { state: next, events: sealed };
  }

  /**
   * Records facts the system observed (a clock fired, a message was delivered) inside the
   * caller's transaction, so they commit together with the caller's own rows (the
   * scheduler's claim, the delivery record). Call `publish` with the result after commit.
   */
  async appendSystemEvents(
    trx: Transaction<Database>,
    incidentId: string,
    events: readonly IncidentEvent[],
    ctx: CommandContext,
  ): Promise<CommandResult | undefined> {
    const state = await loadIncidentState(trx, incidentId, { lock: this.store.dialect === 'postgres' });
    if (!state || events.length === 0) return undefined;
    const sealed = this.seal(incidentId, state, events, ctx, this.time.now().toISOString());
    const next = sealed.reduce(evolve, state);
    await appendEvents(trx, sealed);
    await saveIncidentState(trx, next, false);
    return { state: next, events: sealed };
  }

  /**
   * `appendSystemEvents` for many incidents at once, from states the caller already read
   * (and, on PostgreSQL, locked) in `trx`: one multi-row insert for all the events, one
   * projection update per incident. The scheduler's fire path uses it per batch.
   */
  async appendSystemEventsToMany(
    trx: Transaction<Database>,
    batch: readonly { readonly state: IncidentState; readonly events: readonly IncidentEvent[] }[],
    ctx: CommandContext,
  ): Promise<CommandResult[]> {
    const recordedAt = this.time.now().toISOString();
    const results: CommandResult[] = [];
    for (const { state, events } of batch) {
      if (events.length === 0) continue;
      const sealed = this.seal(state.id, state, events, ctx, recordedAt);
      results.push({ state: sealed.reduce(evolve, state), events: sealed });
    }
    await appendEvents(trx, results.flatMap((r) => r.events));
    for (const result of results) await saveIncidentState(trx, result.state, false);
    return results;
  }

  /** Tells subscribers about events committed by `appendSystemEvents`. */
  publish(result: CommandResult): void {
    this.committed.emit('committed', result);
  }

  async get(incidentId: string): Promise<IncidentState> {
    const state = await loadIncidentState(this.store.db, incidentId);
    if (!state) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${incidentId}`);
    return state;
  }

  async planOf(state: IncidentState): Promise<Plan> {
    return this.plans.get(state.planId, state.planVersion);
  }

  /** A stored plan version (for links from action items and plan diffs). */
  async planVersion(planId: string, version?: string): Promise<Plan> {
    return this.plans.get(planId, version);
  }

  async list(filter: IncidentListFilter = {}): Promise<IncidentState[]> {
    return listIncidentStates(this.store.db, filter);
  }

  /** The heads of `list` (id, reportedAt, restricted), same filters and order, no states parsed. */
  async listHeads(filter: IncidentListFilter = {}): Promise<IncidentHead[]> {
    return listIncidentHeads(this.store.db, filter);
  }

  /** How many incidents match the filter, counted in SQL (no state is read). */
  async count(filter: IncidentListFilter = {}): Promise<number> {
    return countIncidents(this.store.db, filter);
  }

  /** The states of these incidents, in the order given. */
  async getMany(ids: readonly string[]): Promise<IncidentState[]> {
    const states = await loadIncidentStates(this.store.db, ids);
    return ids.flatMap((id) => states.get(id) ?? []);
  }

  async timeline(incidentId: string, range: EventRange = {}): Promise<IncidentEventEnvelope[]> {
    await this.get(incidentId);
    return loadEvents(this.store.db, incidentId, range);
  }

  async clocks(incidentId: string, at: Date = this.time.now()): Promise<Clock[]> {
    const state = await this.get(incidentId);
    return deriveClocks(await this.planOf(state), state, at);
  }

  /**
   * Recomputes each chain and compares the projection with a replay of the log. Without
   * ids it walks the event log itself, so an incident whose row was deleted is still named.
   */
  async verify(incidentIds?: readonly string[]): Promise<IncidentVerdict[]> {
    const ids = incidentIds ?? (await listLoggedIncidentIds(this.store.db));
    const verdicts: IncidentVerdict[] = [];
    for (const id of ids) verdicts.push((await this.verifyOne(id)).verdict);
    return verdicts;
  }

  /** `verify` for one incident, with the log it read (a checkpoint check compares its head). */
  async verifyOne(id: string): Promise<{ verdict: IncidentVerdict; events: IncidentEventEnvelope[] }> {
    // State and log are read together, in one transaction with the incident row locked as
    // a command locks it: a clock firing between two separate reads made a live
    // incident look as if its projection differed from its log (crash long form, PostgreSQL).
    const { stored, events } = await this.store.transaction(async (trx) => {
      const state = await loadIncidentState(trx, id, { lock: this.store.dialect === 'postgres' });
      return { stored: state, events: await loadEvents(trx, id) };
    });
    if (!stored && events.length === 0) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${id}`);
    const verdict = verifyChain(id, events);
    if (!stored) {
      return { verdict: { incidentId: id, verdict, projectionMatches: false, problems: [`its row in the incidents table is missing: ${events.length} events remain in the log`] }, events };
    }
    const projectionMatches = verdict.ok && canonicalJson(replay(events)) === canonicalJson(stored);
    const problems: string[] = [];
    for (const verifier of this.verifiers) problems.push(...(await verifier(stored, events)));
    return { verdict: { incidentId: id, verdict, projectionMatches, problems }, events };
  }
}
