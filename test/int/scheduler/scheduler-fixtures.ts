/**
 * Shared steps for the scheduler tests: report an incident under a plan, read the
 * `clock_fired` events, and give people contact points on a loopback webhook receiver.
 */
import type { FirebreakApp } from '../../../src/app/firebreak-app.js';
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
  await addContactPoint(app.store.db, { user, kind, target, ...(secret ? { secret } : {}) }, app.time.now());
}
