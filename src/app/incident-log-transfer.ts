/**
 * `firebreak export --format jsonl` and `firebreak import`: every incident's log, one
 * event per line, with the plan versions the incidents pin and the id counters. This is
 * the record itself (projections are rebuilt from it), readable by other tools, and the
 * way to carry incidents into another store. Import re-verifies every hash chain and
 * replays every log before it writes anything, and writes all or nothing.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import { z } from 'zod';
import { verifyChain } from '../domain/chain/hash-chain.js';
import { FirebreakError } from '../domain/errors.js';
import { INCIDENT_EVENT_TYPES, type IncidentEventEnvelope } from '../domain/incident/events.js';
import { type IncidentState, replay } from '../domain/incident/state.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import { PlanSchema } from '../domain/plan/plan-schema.js';
import { appendEvents, listIncidentIds, loadEvents, saveIncidentState } from '../store/incident-store.js';
import { findStoredPlan, insertPlan, listStoredPlans } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
import { planHash } from './plan-catalog.js';

export const EXPORT_FORMAT = 'firebreak-export';
export const EXPORT_VERSION = 1;

const HeaderLine = z.object({ kind: z.literal('header'), format: z.literal(EXPORT_FORMAT), version: z.literal(EXPORT_VERSION), exportedAt: z.string(), source: z.enum(['sqlite', 'postgres']) });
const PlanLine = z.object({ kind: z.literal('plan'), contentHash: z.string(), source: z.string().nullable(), loadedAt: z.string(), plan: z.record(z.string(), z.unknown()) });
const CounterLine = z.object({ kind: z.literal('counter'), name: z.string().min(1), value: z.number().int().nonnegative() });
const EventLine = z.object({
  kind: z.literal('event'),
  event: z.object({
    incidentId: z.string().min(1),
    seq: z.number().int().positive(),
    type: z.enum(INCIDENT_EVENT_TYPES),
    data: z.record(z.string(), z.unknown()),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    prevHash: z.string().regex(/^[0-9a-f]{64}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
const Line = z.discriminatedUnion('kind', [HeaderLine, PlanLine, CounterLine, EventLine]);

export interface ExportSummary {
  readonly incidents: number;
  readonly events: number;
  readonly plans: number;
}

/** Writes the export to `write` line by line (each call is one line with its newline). */
export async function exportIncidentLogs(store: Store, write: (line: string) => void | Promise<void>, now: Date): Promise<ExportSummary> {
  await write(`${JSON.stringify({ kind: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), source: store.dialect })}\n`);
  const plans = await listStoredPlans(store.db);
  for (const p of plans) await write(`${JSON.stringify({ kind: 'plan', contentHash: p.contentHash, source: p.source, loadedAt: p.loadedAt, plan: p.plan })}\n`);
  const counters = await store.db.selectFrom('counters').select(['name', 'value']).orderBy('name').execute();
  for (const c of counters) await write(`${JSON.stringify({ kind: 'counter', name: c.name, value: Number(c.value) })}\n`);
  let events = 0;
  const ids = await listIncidentIds(store.db);
  for (const id of ids) {
    for (const event of await loadEvents(store.db, id)) {
      await write(`${JSON.stringify({ kind: 'event', event })}\n`);
      events += 1;
    }
  }
  return { incidents: ids.length, events, plans: plans.length };
}

export interface ImportSummary {
  readonly incidents: number;
  readonly events: number;
  readonly plansAdded: number;
}

function openLines(file: string): Readable {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new FirebreakError('FB_ERR_INPUT_INVALID', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [{ path: 'file', message: 'cannot be read' }]);
  }
  const head = Buffer.alloc(2);
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  const raw = createReadStream(file);
  return head[0] === 0x1f && head[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
}

/** Reads, checks and imports an export file; nothing is written unless all of it is sound. */
export async function importIncidentLogs(store: Store, file: string): Promise<ImportSummary> {
  const bad = (line: number, why: string) => new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${file} line ${line}: ${why}`, [{ path: `line ${line}`, message: why }]);
  const plans: { plan: Plan; contentHash: string; source: string | null; loadedAt: string }[] = [];
  const counters = new Map<string, number>();
  const logs = new Map<string, IncidentEventEnvelope[]>();
  let lineNo = 0;
  let sawHeader = false;
  for await (const text of createInterface({ input: openLines(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNo += 1;
    if (text.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw bad(lineNo, 'not JSON');
    }
    const parsed = Line.safeParse(json);
    if (!parsed.success) throw bad(lineNo, parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '));
    const line = parsed.data;
    if (!sawHeader && line.kind !== 'header') throw bad(lineNo, `expected the ${EXPORT_FORMAT} header first`);
    switch (line.kind) {
      case 'header':
        if (sawHeader) throw bad(lineNo, 'a second header');
        sawHeader = true;
        break;
      case 'plan': {
        const plan = PlanSchema.safeParse(line.plan);
        if (!plan.success) throw bad(lineNo, `plan is invalid: ${plan.error.issues[0]?.message ?? ''}`);
        if (planHash(plan.data) !== line.contentHash) throw bad(lineNo, `plan ${plan.data.id} ${plan.data.version} does not match its content hash (it was altered)`);
        plans.push({ plan: plan.data, contentHash: line.contentHash, source: line.source, loadedAt: line.loadedAt });
        break;
      }
      case 'counter':
        counters.set(line.name, Math.max(counters.get(line.name) ?? 0, line.value));
        break;
      case 'event': {
        const log = logs.get(line.event.incidentId) ?? [];
        log.push(line.event as IncidentEventEnvelope);
        logs.set(line.event.incidentId, log);
        break;
      }
      default: {
        const unknown: never = line;
        throw bad(lineNo, `unknown line ${String(unknown)}`);
      }
    }
  }
  if (!sawHeader) throw bad(1, 'the file is empty');

  // Check everything before writing anything.
  const states: { state: IncidentState; log: IncidentEventEnvelope[] }[] = [];
  for (const [id, log] of logs) {
    log.sort((a, b) => a.seq - b.seq);
    const verdict = verifyChain(id, log);
    if (!verdict.ok) {
      throw new FirebreakError('FB_ERR_CHAIN_BROKEN', `${id}: the hash chain breaks at event #${verdict.seq}: ${verdict.reason}; nothing was imported`, [{ path: `${id}#${verdict.seq}`, message: verdict.reason }]);
    }
    let state: IncidentState | null;
    try {
      state = replay(log);
    } catch (error) {
      throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${id}: the log cannot be replayed: ${(error as Error).message}; nothing was imported`);
    }
    if (!state) continue;
    states.push({ state, log });
  }
  const fileHas = new Set(plans.map((p) => `${p.plan.id}@${p.plan.version}`));
  for (const { state } of states) {
    if (!fileHas.has(`${state.planId}@${state.planVersion}`) && !(await findStoredPlan(store.db, state.planId, state.planVersion))) {
      throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${state.id} runs under plan ${state.planId} ${state.planVersion}, which is neither in the file nor in this store; nothing was imported`);
    }
  }

  let plansAdded = 0;
  await store.transaction(async (trx) => {
    for (const p of plans) {
      const existing = await findStoredPlan(trx, p.plan.id, p.plan.version);
      if (existing && existing.contentHash !== p.contentHash) {
        throw new FirebreakError('FB_ERR_TRANSFER_SCHEMA_MISMATCH', `plan ${p.plan.id} ${p.plan.version} exists here with different content; nothing was imported`);
      }
      if (!existing) {
        await insertPlan(trx, p.plan, { content: p.contentHash, file: null }, p.source, p.loadedAt);
        plansAdded += 1;
      }
    }
    const ids = states.map((s) => s.state.id);
    for (let i = 0; i < ids.length; i += 500) {
      const taken = await trx.selectFrom('incidents').select('id').where('id', 'in', ids.slice(i, i + 500)).execute();
      if (taken.length) {
        throw new FirebreakError('FB_ERR_TRANSFER_INCIDENT_EXISTS', `${taken.map((t) => t.id).join(', ')} already exist in ${store.location}; nothing was imported`);
      }
    }
    for (const { state, log } of states) {
      await appendEvents(trx, log);
      await saveIncidentState(trx, state, true);
    }
    for (const [name, value] of counters) {
      await trx
        .insertInto('counters')
        .values({ name, value })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`CASE WHEN counters.value > excluded.value THEN counters.value ELSE excluded.value END` }))
        .execute();
    }
  });
  return { incidents: states.length, events: states.reduce((n, s) => n + s.log.length, 0), plansAdded };
}
