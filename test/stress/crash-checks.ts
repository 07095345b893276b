/**
 * What must hold after a server was killed and started again: every request that was
 * acknowledged (2xx) left its mark; nothing half-exists (an incident without its public
 * report row or its alert, an alert without its incident, a delivery answer naming
 * alerts that are not there); every incident's hash chain verifies and its projection
 * matches its log; and every clock that fell due fired exactly once. Read straight from
 * the database (the server is up meanwhile) and through the verify API.
 */
import { openStore, type Store } from '../../src/store/store.js';
import type { SentRequest } from './crash-workload.js';

export interface RoundFindings {
  readonly acknowledged: number;
  readonly unanswered: number;
  /** Answered with a refusal (4xx, or 503 from overload protection); each left no trace. */
  readonly refused: number;
  /** Of those, shed by overload protection (503 FB_ERR_HTTP_OVERLOADED). */
  readonly shed: number;
  readonly incidentsVerified: number;
  readonly clocksFired: number;
  readonly problems: string[];
}

const EVENT_OF: Partial<Record<SentRequest['kind'], string>> = {
  note: 'note_added',
  sitrep: 'sitrep_posted',
  assign: 'role_assigned',
  handoff: 'handoff_initiated',
  confirm: 'handoff_confirmed',
};

interface EventRow {
  incident_id: string;
  seq: number;
  type: string;
  data: unknown;
  actor: string;
}

const json = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
/** The marker every crash request carries (`crash-<round>-<uuid prefix>`, crash-workload.ts). */
const MARKER = /crash-\d+-[0-9a-f]{8}-[0-9a-f]{4}/g;
const parsed = (value: unknown): Record<string, unknown> => (typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : (value as Record<string, unknown>));

/** Waits until no clock that is due now is still pending (the restarted scheduler fired it). */
export async function waitForDueClocks(store: Store, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const now = new Date().toISOString();
    const row = await store.db.selectFrom('scheduled_clocks').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').where('due_at', '<=', now).executeTakeFirstOrThrow();
    const pending = Number(row.n);
    if (pending === 0 || Date.now() - started > timeoutMs) return pending;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function checkAfterRestart(database: string, baseUrl: string, adminToken: string, ledger: readonly SentRequest[]): Promise<RoundFindings> {
  const problems: string[] = [];
  const store = await openStore(database);
  try {
    const stillDue = await waitForDueClocks(store);
    if (stillDue > 0) problems.push(`${stillDue} clock(s) due before now are still pending after the restart`);

    // Fired rows before events, fired rows again after: the scheduler keeps firing meanwhile.
    const rows = await store.db.selectFrom('scheduled_clocks').select(['incident_id', 'clock_key', 'state']).where('state', '=', 'fired').execute();
    const events = (await store.db.selectFrom('events').select(['incident_id', 'seq', 'type', 'data', 'actor']).orderBy('incident_id').orderBy('seq').execute()) as EventRow[];
    const byIncident = new Map<string, EventRow[]>();
    for (const e of events) byIncident.set(e.incident_id, [...(byIncident.get(e.incident_id) ?? []), e]);
    const incidents = new Map((await store.db.selectFrom('incidents').select(['id', 'title', 'version']).execute()).map((r) => [r.id, r]));
    const publicReports = new Set((await store.db.selectFrom('public_reports').select('incident_id').execute()).map((r) => r.incident_id));
    const alerts = await store.db.selectFrom('alerts').select(['fingerprint', 'incident_id']).execute();
    const alertFingerprints = new Set(alerts.map((a) => a.fingerprint));
    const alertIncidents = new Set(alerts.map((a) => a.incident_id));

    // 1. Every acknowledged request left its mark.
    let acknowledged = 0;
    let unanswered = 0;
    let refused = 0;
    let shed = 0;
    // Every marker anything stored carries: a refused request must have left none.
    const stored = new Set<string>();
    const collect = (text: string) => {
      for (const m of text.matchAll(MARKER)) stored.add(m[0]);
    };
    for (const e of events) collect(json(e.data));
    for (const r of incidents.values()) collect(r.title);
    for (const a of alerts) collect(a.fingerprint);
    for (const sent of ledger) {
      if (sent.status === null) {
        unanswered += 1;
        continue;
      }
      if (sent.status < 200 || sent.status >= 300) {
        refused += 1;
        // Shedding under overload is a correct answer; any other 5xx is a defect.
        if (sent.status === 503 && sent.code === 'FB_ERR_HTTP_OVERLOADED') shed += 1;
        else if (sent.status >= 500) problems.push(`${sent.kind} ${sent.marker} got ${sent.status}`);
        if (stored.has(sent.marker)) problems.push(`${sent.kind} ${sent.marker} was refused (${sent.status}) but left a trace`);
        continue;
      }
      acknowledged += 1;
      const where = `${sent.kind} ${sent.marker} (${sent.status})`;
      switch (sent.kind) {
        case 'report':
        case 'public-report': {
          const incident = sent.incidentId ? incidents.get(sent.incidentId) : undefined;
          if (!incident) problems.push(`${where}: incident ${sent.incidentId} is missing`);
          else if (sent.kind === 'report' && !incident.title.includes(sent.marker)) problems.push(`${where}: incident ${sent.incidentId} has another title`);
          if (sent.kind === 'public-report' && sent.incidentId && !publicReports.has(sent.incidentId)) problems.push(`${where}: no public_reports row`);
          break;
        }
        case 'ingest':
          for (const fp of sent.fingerprints ?? []) if (!alertFingerprints.has(fp)) problems.push(`${where}: alert ${fp} is missing`);
          if ((sent.fingerprints ?? []).length === 0) problems.push(`${where}: the answer named no alerts`);
          break;
        default: {
          const type = EVENT_OF[sent.kind];
          const log = byIncident.get(sent.incidentId ?? '') ?? [];
          const found = log.some((e) => e.type === type && (sent.kind === 'note' || sent.kind === 'sitrep' || sent.kind === 'handoff' ? json(e.data).includes(sent.marker) : true));
          if (!found) problems.push(`${where}: no ${type} event on ${sent.incidentId}`);
        }
      }
    }

    // 2. Nothing half-exists.
    for (const id of byIncident.keys()) if (!incidents.has(id)) problems.push(`events of ${id} exist without its incident row`);
    for (const [id, log] of byIncident) {
      const first = log[0]!;
      if (first.seq !== 1) problems.push(`${id}: its log starts at seq ${first.seq}`);
      if (first.actor === 'public-report' && !publicReports.has(id)) problems.push(`${id}: reported through the public form but has no public_reports row`);
      if (first.actor.startsWith('ingest:') && !alertIncidents.has(id)) problems.push(`${id}: raised by an ingest source but no alert points at it`);
    }
    for (const id of incidents.keys()) if (!byIncident.has(id)) problems.push(`incident row ${id} has no events`);
    for (const id of publicReports) if (!incidents.has(id)) problems.push(`public report of ${id} points at no incident`);
    for (const a of alerts) if (a.incident_id && !incidents.has(a.incident_id)) problems.push(`alert ${a.fingerprint} points at missing incident ${a.incident_id}`);
    const deliveries = await store.db.selectFrom('ingest_deliveries').select(['delivery_id', 'response']).execute();
    for (const d of deliveries) {
      if (d.response === null) continue;
      for (const a of (parsed(d.response)['alerts'] as { fingerprint: string }[] | undefined) ?? []) {
        if (!alertFingerprints.has(a.fingerprint)) problems.push(`ingest delivery ${d.delivery_id} names alert ${a.fingerprint}, which is missing`);
      }
    }

    // 3. Every chain verifies and every projection matches its log.
    const verify = await fetch(`${baseUrl}/api/v1/verify`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (verify.status !== 200) problems.push(`GET /api/v1/verify answered ${verify.status}`);
    const verdicts = verify.status === 200 ? ((await verify.json()) as { items: { incidentId: string; ok: boolean; projectionMatches: boolean; brokenAt?: unknown }[] }).items : [];
    for (const v of verdicts) if (!v.ok || !v.projectionMatches) problems.push(`${v.incidentId} does not verify: ${JSON.stringify(v)}`);
    if (verdicts.length !== incidents.size) problems.push(`verify covered ${verdicts.length} incidents of ${incidents.size}`);

    // 4. Every clock that fell due fired exactly once.
    const fired = new Map<string, number>();
    for (const e of events) {
      if (e.type !== 'clock_fired') continue;
      const key = `${e.incident_id} ${String(parsed(e.data)['clock'])}`;
      fired.set(key, (fired.get(key) ?? 0) + 1);
    }
    for (const [key, n] of fired) if (n !== 1) problems.push(`clock ${key} fired ${n} times`);
    for (const r of rows) if (!fired.has(`${r.incident_id} ${r.clock_key}`)) problems.push(`clock ${r.incident_id} ${r.clock_key} is marked fired but no clock_fired event exists`);
    const rowsAfter = await store.db.selectFrom('scheduled_clocks').select(['incident_id', 'clock_key']).where('state', '=', 'fired').execute();
    const firedRows = new Set(rowsAfter.map((r) => `${r.incident_id} ${r.clock_key}`));
    for (const key of fired.keys()) if (!firedRows.has(key)) problems.push(`clock_fired event ${key} has no fired schedule row`);

    return { acknowledged, unanswered, refused, shed, incidentsVerified: verdicts.filter((v) => v.ok).length, clocksFired: fired.size, problems };
  } finally {
    await store.close();
  }
}

