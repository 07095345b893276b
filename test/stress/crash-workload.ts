/**
 * The mutating traffic of a crash round and its client-side ledger. Flows run
 * concurrently against the server: an authenticated report followed by notes, a sitrep,
 * a role assignment and a handoff ceremony on it; public vulnerability reports (each from
 * its own address, as the form is limited per address); ingest batches of new alerts;
 * notes and sitreps on incidents of earlier rounds. Every request carries a unique marker
 * (in a title, text, briefing or fingerprint) and an Idempotency-Key, and the ledger keeps
 * what each one got back: a status, or no answer at all (the server died first).
 */
import { randomUUID } from 'node:crypto';
import type { Principals } from './crash-principals.js';

export type RequestKind = 'report' | 'note' | 'sitrep' | 'assign' | 'handoff' | 'confirm' | 'public-report' | 'ingest';

export interface SentRequest {
  readonly kind: RequestKind;
  readonly marker: string;
  /** The incident it acts on (for `report` and `public-report`: the one created, when answered). */
  incidentId?: string;
  /** HTTP status, or null when no answer came (connection refused or reset). */
  status: number | null;
  /** The problem code of a refusal (`FB_ERR_…`), when the answer carried one. */
  code?: string;
  /** For `ingest`: the fingerprints the 202 answer named. */
  fingerprints?: string[];
  /** For `handoff`/`confirm`/`assign`: the handles involved. */
  handles?: string[];
}

export interface WorkloadOptions {
  readonly baseUrl: string;
  readonly principals: Principals;
  /** Requests to send in this round. */
  readonly requests: number;
  /** Flows in flight at once. */
  readonly concurrency: number;
  /** Incidents of earlier rounds that notes may be added to. */
  readonly knownIncidents: readonly string[];
  readonly round: number;
  readonly random: () => number;
  /** Called after every answered or failed request, with the count so far. */
  readonly onSettled?: (done: number) => void;
}

const PLAN = 'nist-team-procedures';
const ACK_WINDOW_MS = 10 * 60_000;
/** Attempts of a request shed with 503 before its refusal is what the ledger keeps. */
const SHED_RETRIES = 4;

export async function runWorkload(options: WorkloadOptions): Promise<SentRequest[]> {
  const { baseUrl, principals, random } = options;
  const ledger: SentRequest[] = [];
  let budget = options.requests;
  let settled = 0;
  let dead = false;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const marker = () => `crash-${options.round}-${randomUUID().slice(0, 13)}`;

  /**
   * Sends one request and records its answer. Shed with 503 (overload protection), it is
   * sent again after Retry-After with the same Idempotency-Key, as a well-behaved client
   * would, a few times at most; the ledger keeps the last answer.
   */
  async function send(entry: SentRequest, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
    ledger.push(entry);
    const idempotencyKey = randomUUID();
    try {
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...headers },
          body: JSON.stringify(body),
        });
        entry.status = response.status;
        const text = await response.text();
        const answer = text ? (JSON.parse(text) as unknown) : null;
        entry.code = response.status >= 300 && answer && typeof answer === 'object' && 'code' in answer && typeof answer.code === 'string' ? answer.code : undefined;
        if (entry.code !== 'FB_ERR_HTTP_OVERLOADED' || attempt >= SHED_RETRIES || dead) return answer;
        const after = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, Math.min(after, 5) * 1000 * (0.5 + random())));
      }
    } catch {
      // The server is gone: no answer for this one, and the flow stops.
      entry.status = null;
      entry.code = undefined;
      dead = true;
      return null;
    } finally {
      settled += 1;
      options.onSettled?.(settled);
    }
  }

  const take = () => {
    if (dead || budget <= 0) return false;
    budget -= 1;
    return true;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A report, then work on it: notes, a sitrep, a role and its handoff. */
  async function reportFlow(): Promise<void> {
    if (!take()) return;
    const m = marker();
    // Reported as if noticed almost ten minutes ago, so its acknowledgement clock falls due
    // around now: before, during or after the kill.
    const occurredAt = new Date(Date.now() - ACK_WINDOW_MS + Math.floor((random() - 0.3) * 20_000)).toISOString();
    const report = { kind: 'report' as const, marker: m, status: null };
    const answer = (await send(report, 'POST', '/api/v1/incidents', { plan: PLAN, title: `Crash test ${m}`, occurredAt }, bearer(principals.admin))) as {
      incident?: { id: string };
    } | null;
    const id = answer?.incident?.id;
    if (report.status !== 201 || !id) return;
    (report as SentRequest).incidentId = id;
    for (const kind of ['note', 'sitrep', 'note'] as const) {
      if (!take()) return;
      const who = pick(principals.responders);
      const mk = marker();
      await send({ kind, marker: mk, incidentId: id, status: null }, 'POST', `/api/v1/incidents/${id}/${kind === 'note' ? 'notes' : 'sitreps'}`, { text: `${kind} ${mk}` }, bearer(who.token));
    }
    const [from, to] = [pick(principals.responders), pick(principals.responders)];
    if (from.handle === to.handle || !take()) return;
    const assign: SentRequest = { kind: 'assign', marker: marker(), incidentId: id, status: null, handles: [from.handle] };
    await send(assign, 'POST', `/api/v1/incidents/${id}/roles/responder/assign`, { to: from.handle }, bearer(principals.admin));
    if (assign.status !== 200 || !take()) return;
    const hm = marker();
    const handoff: SentRequest = { kind: 'handoff', marker: hm, incidentId: id, status: null, handles: [from.handle, to.handle] };
    await send(handoff, 'POST', `/api/v1/incidents/${id}/roles/responder/handoff`, { to: to.handle, briefing: `briefing ${hm}` }, bearer(from.token));
    if (handoff.status !== 200 || !take()) return;
    await send({ kind: 'confirm', marker: marker(), incidentId: id, status: null, handles: [to.handle] }, 'POST', `/api/v1/incidents/${id}/roles/responder/handoff/confirm`, {}, bearer(to.token));
  }

  async function publicReportFlow(): Promise<void> {
    if (!take()) return;
    const m = marker();
    const entry: SentRequest = { kind: 'public-report', marker: m, status: null };
    const address = `10.${Math.floor(random() * 250)}.${Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`;
    const answer = (await send(entry, 'POST', '/api/v1/public/reports', { product: 'crash-test', what: `Public report ${m}`, anonymous: true }, { 'x-forwarded-for': address })) as {
      reference?: string;
    } | null;
    if (entry.status === 201 && answer?.reference) entry.incidentId = answer.reference;
  }

  async function ingestFlow(): Promise<void> {
    if (!take()) return;
    const m = marker();
    const count = 1 + Math.floor(random() * 5);
    const alerts = Array.from({ length: count }, (_, i) => ({ title: `Alert ${m} #${i}`, fingerprint: `${m}-${i}`, severity: 'high' }));
    const entry: SentRequest = { kind: 'ingest', marker: m, status: null };
    const answer = (await send(entry, 'POST', `/api/v1/ingest/${principals.ingest.source}`, { alerts }, bearer(principals.ingest.secret))) as {
      alerts?: { fingerprint: string }[];
    } | null;
    if (entry.status === 202) entry.fingerprints = (answer?.alerts ?? []).map((a) => a.fingerprint);
  }

  async function earlierIncidentFlow(): Promise<void> {
    if (options.knownIncidents.length === 0) return reportFlow();
    if (!take()) return;
    const id = pick(options.knownIncidents);
    const kind = random() < 0.5 ? ('note' as const) : ('sitrep' as const);
    const m = marker();
    await send({ kind, marker: m, incidentId: id, status: null }, 'POST', `/api/v1/incidents/${id}/${kind === 'note' ? 'notes' : 'sitreps'}`, { text: `${kind} ${m}` }, bearer(pick(principals.responders).token));
  }

  async function worker(): Promise<void> {
    while (!dead && budget > 0) {
      const r = random();
      if (r < 0.45) await reportFlow();
      else if (r < 0.6) await publicReportFlow();
      else if (r < 0.8) await ingestFlow();
      else await earlierIncidentFlow();
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  return ledger;
}
