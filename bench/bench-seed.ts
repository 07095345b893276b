/**
 * Fast, realistic seeding for the benchmarks: incidents built with the domain's own
 * `decide`/`evolve` and sealed into the hash chain (test/support/incident-builders.ts),
 * then written through the store's `appendEvents`/`saveIncidentState` in large
 * transactions instead of one durable commit per event. The rows are exactly what the
 * service would have written (chains verify, projections match a replay); only the
 * side projections registered by other services (e.g. the search index) are not fed.
 */
import type { FirebreakApp } from '../src/app/firebreak-app.js';
import { decide, type IncidentCommand } from '../src/domain/incident/commands.js';
import type { IncidentEventEnvelope } from '../src/domain/incident/events.js';
import { evolve, type IncidentState } from '../src/domain/incident/state.js';
import type { Plan } from '../src/domain/plan/plan-schema.js';
import { appendEvents, saveIncidentState } from '../src/store/incident-store.js';
import { buildReport, IncidentHarness, seal } from '../test/support/incident-builders.js';

export const SEED_PLAN = 'nist-800-61r3';
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const YEAR = new Date().getUTCFullYear();
const ROWS_PER_INSERT = 1_000;

export interface SeededIncident {
  readonly id: string;
  readonly events: number;
}

async function write(app: FirebreakApp, batch: { events: IncidentEventEnvelope[]; states: { state: IncidentState; isNew: boolean }[] }): Promise<void> {
  await app.store.transaction(async (trx) => {
    for (let i = 0; i < batch.events.length; i += ROWS_PER_INSERT) await appendEvents(trx, batch.events.slice(i, i + ROWS_PER_INSERT));
    for (const { state, isNew } of batch.states) await saveIncidentState(trx, state, isNew);
  });
}

async function setCounter(app: FirebreakApp, value: number): Promise<void> {
  await app.store.transaction(async (trx) => {
    await trx
      .insertInto('counters')
      .values({ name: `incident:${YEAR}`, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  });
}

/** The life of a typical incident: triaged, acknowledged, a commander, notes and sitreps. */
function typicalCommands(i: number, notes: number): IncidentCommand[] {
  if (i % 5 === 4) return Array.from({ length: Math.min(notes, 3) }, (_, n) => ({ type: 'add_note', text: `Alert context ${n}: repeated failures from 203.0.113.${n % 250}` }) as const);
  const commands: IncidentCommand[] = [
    { type: 'triage', decision: 'confirm', severity: SEVERITIES[i % SEVERITIES.length]! },
    { type: 'acknowledge' },
    { type: 'assign_role', role: 'ic', to: `responder-${i % 7}` },
  ];
  for (let n = 0; n < notes; n += 1) {
    commands.push(
      n % 10 === 9
        ? { type: 'post_sitrep', text: `## Situation ${n / 10}\n\nContainment in progress on **signer-${i % 3}**; next update in 30 minutes.` }
        : { type: 'add_note', text: `Checked host signer-${n % 5}: no further logins from 198.51.100.${n % 250} since ${n} minutes. See ticket SEC-${1000 + n}.` },
    );
  }
  return commands;
}

/**
 * Writes `count` incidents (ids INC-<year>-0001 …, reported a minute apart) of about
 * `notesEach + 4` events each, and moves the id counter past them.
 */
export async function seedIncidents(app: FirebreakApp, count: number, notesEach = 8, firstNumber = 1): Promise<SeededIncident[]> {
  const plan: Plan = await app.plans.get(SEED_PLAN);
  const base = Date.parse(`${YEAR}-01-05T08:00:00.000Z`);
  const seeded: SeededIncident[] = [];
  let batch = { events: [] as IncidentEventEnvelope[], states: [] as { state: IncidentState; isNew: boolean }[] };
  for (let i = 0; i < count; i += 1) {
    const number = firstNumber + i;
    const id = `INC-${YEAR}-${String(number).padStart(4, '0')}`;
    const at = new Date(base + number * 60_000).toISOString();
    const harness = new IncidentHarness(plan, buildReport({ title: `Suspicious logins on signer-${i % 3} (${i})`, summary: 'Repeated 403s from an unknown client.' }), at, id);
    for (const command of typicalCommands(i, notesEach)) harness.run(command, 'alice', at);
    batch.events.push(...harness.events);
    batch.states.push({ state: harness.state, isNew: true });
    seeded.push({ id, events: harness.events.length });
    if (batch.events.length >= 20_000) {
      await write(app, batch);
      batch = { events: [], states: [] };
    }
  }
  if (batch.states.length) await write(app, batch);
  await setCounter(app, firstNumber + count - 1);
  return seeded;
}

/** Grows one seeded incident to `total` events with notes, in transactions of `chunk` events. */
export async function growIncident(app: FirebreakApp, id: string, total: number, chunk = 50_000): Promise<void> {
  const plan = await app.plans.get(SEED_PLAN);
  let state = await app.incidents.get(id);
  const ctx = { actor: 'alice', occurredAt: state.updatedAt };
  while (state.version < total) {
    const events: IncidentEventEnvelope[] = [];
    for (let n = state.version; n < Math.min(total, state.version + chunk); n += 1) {
      const command: IncidentCommand = { type: 'add_note', text: `Log line ${n}: blocked 198.51.100.${n % 250} at the edge (rule fw-${n % 40}).` };
      const after = events.length ? { version: events[events.length - 1]!.seq, lastHash: events[events.length - 1]!.hash } : state;
      events.push(...seal(id, after, decide(plan, state, command, ctx), ctx));
    }
    state = events.reduce(evolve, state);
    await write(app, { events, states: [{ state, isNew: false }] });
  }
}
