/**
 * Shared steps for the scheduler tests: report an incident under a plan, read the
 * `clock_fired` events, and give people contact points on a loopback webhook receiver.
 */
import type { FirebreakApp } from '../../../src/app/firebreak-app.js';
import type { Store } from '../../../src/store/store.js';
import type { EventOf, IncidentEventEnvelope } from '../../../src/domain/incident/events.js';
import { addContactPoint } from '../../../src/integrations/delivery/contact-points.js';

export async function reportIncident(app: FirebreakApp, planId: string, title = 'Suspicious logins on the build server'): Promise<string> {
  const { state } = await app.incidents.report(planId, { type: 'report', title, reporter: { anonymous: false, name: 'rita' } }, { actor: 'rita' });
  return state.id;
}

export type FiredEvent = IncidentEventEnvelope & { type: 'clock_fired'; data: EventOf<'clock_fired'>['data'] };

export async function firedEvents(app: FirebreakApp, incidentId: string): Promise<FiredEvent[]> {
  const events = await app.incidents.timeline(incidentId);
  return events.filter((e): e is FiredEvent => e.type === 'clock_fired');
}

export async function giveContact(app: FirebreakApp, user: string, kind: string, target: string, secret?: string): Promise<void> {
  await addContactPoint(app.store.db, { user, kind, target, ...(secret ? { secret } : {}) }, app.time.now(), app.deliveries.outbound);
}

/** Writes `count` pending load clocks (`checklist:load-N`) spread over `incidentIds`, all due at `due`. */
export async function insertLoadClocks(store: Store, incidentIds: readonly string[], count: number, due: string): Promise<void> {
  const rows = Array.from({ length: count }, (_, n) => ({
    incident_id: incidentIds[n % incidentIds.length]!,
    clock_key: `checklist:load-${n}`,
    kind: 'checklist',
    due_at: due,
    state: 'pending' as const,
    claimed_by: null,
    claimed_until: null,
    fired_at: null,
    late: 0,
    details: JSON.stringify({ label: `Load clock ${n}`, role: null, window: '1m' }),
    updated_at: due,
  }));
  await store.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('scheduled_clocks').values(rows.slice(i, i + 500)).execute();
  });
}
