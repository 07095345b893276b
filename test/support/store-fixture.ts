/**
 * Fills a store quickly with many valid incidents for volume tests and benchmarks: the
 * events are decided, hash-chained and projected exactly as the incident service does it,
 * but written in large transactions instead of one per command.
 */
import { sealEvents } from '../../src/domain/chain/event-sealer.js';
import { decide, decideReport } from '../../src/domain/incident/commands.js';
import type { IncidentEvent, IncidentEventEnvelope } from '../../src/domain/incident/events.js';
import { evolve, GENESIS_HASH, type IncidentState } from '../../src/domain/incident/state.js';
import type { Plan } from '../../src/domain/plan/plan-schema.js';
import { appendEvents, saveIncidentState } from '../../src/store/incident-store.js';
import type { Store } from '../../src/store/store.js';

function seal(incidentId: string, state: { version: number; lastHash: string }, events: readonly IncidentEvent[], actor: string, at: string): IncidentEventEnvelope[] {
  return sealEvents('incidentId', incidentId, state, events, { actor, occurredAt: at, recordedAt: at }) as IncidentEventEnvelope[];
}

/** Adds `incidents` incidents of exactly `eventsPerIncident` events each (notes after the report). */
export async function fillStore(store: Store, plan: Plan, options: { incidents: number; eventsPerIncident: number; year?: number; perTransaction?: number }): Promise<void> {
  const year = options.year ?? 2026;
  const perTransaction = options.perTransaction ?? 50;
  const start = Date.UTC(year, 0, 1);
  for (let first = 0; first < options.incidents; first += perTransaction) {
    const batch: { state: IncidentState; log: IncidentEventEnvelope[] }[] = [];
    for (let n = first; n < Math.min(options.incidents, first + perTransaction); n += 1) {
      const id = `INC-${year}-${String(n + 1).padStart(4, '0')}`;
      const at = new Date(start + n * 60_000).toISOString();
      let log = seal(id, { version: 0, lastHash: GENESIS_HASH }, decideReport(plan, { type: 'report', title: `Volume incident ${n + 1} — ✓`, reporter: { anonymous: true } }), 'loader', at);
      let state = log.reduce<IncidentState | null>(evolve, null)!;
      while (log.length < options.eventsPerIncident) {
        const events = decide(plan, state, { type: 'add_note', text: `note ${log.length + 1} on ${id}: ünïcødé 🔥 ${'x'.repeat(log.length % 40)}` }, { actor: 'loader', occurredAt: at });
        const sealed = seal(id, state, events, 'loader', at);
        state = sealed.reduce(evolve, state);
        log = [...log, ...sealed];
      }
      batch.push({ state, log });
    }
    await store.transaction(async (trx) => {
      for (const { state, log } of batch) {
        await appendEvents(trx, log);
        await saveIncidentState(trx, state, true);
      }
      const value = first + batch.length;
      await trx
        .insertInto('counters')
        .values({ name: `incident:${year}`, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
        .execute();
    });
  }
}
