/**
 * Factories for domain tests: a sealed event log built from commands, so tests read
 * given(events).when(command).then(events) without hand-writing hashes.
 */
import { sealEvents } from '../../src/domain/chain/event-sealer.js';
import { FirebreakError } from '../../src/domain/errors.js';
import { type CommandContext, decide, decideReport, type IncidentCommand, type ReportCommand } from '../../src/domain/incident/commands.js';
import type { IncidentEvent, IncidentEventEnvelope } from '../../src/domain/incident/events.js';
import { evolve, GENESIS_HASH, type IncidentState } from '../../src/domain/incident/state.js';
import type { Plan } from '../../src/domain/plan/plan-schema.js';

export function seal(incidentId: string, after: { version: number; lastHash: string }, events: readonly IncidentEvent[], ctx: CommandContext): IncidentEventEnvelope[] {
  return sealEvents('incidentId', incidentId, after, events, { ...ctx, recordedAt: ctx.occurredAt }) as IncidentEventEnvelope[];
}

export function buildReport(overrides: Partial<ReportCommand> = {}): ReportCommand {
  return { type: 'report', title: 'Suspicious logins', reporter: { anonymous: false, name: 'alice' }, ...overrides };
}

/** A small in-memory incident: report it, then run commands, keeping the sealed log. */
export class IncidentHarness {
  readonly events: IncidentEventEnvelope[] = [];
  state: IncidentState;

  constructor(
    readonly plan: Plan,
    report: ReportCommand = buildReport(),
    at = '2026-03-02T09:00:00.000Z',
    readonly id = 'INC-2026-0001',
  ) {
    const sealed = seal(id, { version: 0, lastHash: GENESIS_HASH }, decideReport(plan, report), { actor: 'alice', occurredAt: at });
    this.events.push(...sealed);
    this.state = sealed.reduce<IncidentState | null>(evolve, null)!;
  }

  /** Decides and applies a command; returns the new events. Throws what decide throws. */
  run(command: IncidentCommand, actor = 'alice', at = this.state.updatedAt): IncidentEvent[] {
    const ctx = { actor, occurredAt: at };
    const decided = decide(this.plan, this.state, command, ctx);
    const sealed = seal(this.id, this.state, decided, ctx);
    this.events.push(...sealed);
    this.state = sealed.reduce(evolve, this.state);
    return decided;
  }
}

/** The FirebreakError a command refuses with; fails the test when it is not refused. */
export function refusal(run: () => unknown): FirebreakError {
  try {
    run();
  } catch (error) {
    if (error instanceof FirebreakError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
