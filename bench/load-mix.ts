/**
 * The request mix of the load and soak benchmarks — what a team's incident room does in a
 * busy hour — as an autocannon request generator: 70 % reads (dashboard list, incident
 * page, timeline page) and 30 % writes (notes, sitreps, public reports, alert ingest),
 * chosen at random per request, with status counts and latency per kind.
 *
 * A 503 `FB_ERR_HTTP_OVERLOADED` (load shedding, see src/http/overload.ts) is a correct
 * answer under overload, so it is counted as `shed`, apart from errors and other non-2xx;
 * goodput is the 2xx answers per second, with their own latency.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { percentile } from './bench-results.js';
import type { BenchServer } from './bench-server.js';

export interface MixKind {
  readonly name: string;
  readonly weight: number;
  readonly write: boolean;
  /** Whose credentials the request carries: the bench admin's API token, the ingest source's, or none. */
  readonly auth?: 'ingest' | 'none';
  build(incidentId: string, n: number, ingestSource: string): autocannon.Request;
}

const json = { 'content-type': 'application/json' };

export const MIX: readonly MixKind[] = [
  { name: 'dashboard (GET /api/v1/incidents?kind=incident&limit=200)', weight: 25, write: false, build: () => ({ method: 'GET', path: '/api/v1/incidents?kind=incident&limit=200' }) },
  { name: 'incident page (GET /api/v1/incidents/:id)', weight: 25, write: false, build: (id) => ({ method: 'GET', path: `/api/v1/incidents/${id}` }) },
  { name: 'timeline (GET /api/v1/incidents/:id/timeline?limit=500)', weight: 20, write: false, build: (id) => ({ method: 'GET', path: `/api/v1/incidents/${id}/timeline?limit=500` }) },
  {
    name: 'note (POST /api/v1/incidents/:id/notes)',
    weight: 12,
    write: true,
    build: (id, n) => ({ method: 'POST', path: `/api/v1/incidents/${id}/notes`, headers: json, body: JSON.stringify({ text: `Load note ${n}: checked signer-${n % 5}, nothing new.` }) }),
  },
  {
    name: 'sitrep (POST /api/v1/incidents/:id/sitreps)',
    weight: 5,
    write: true,
    build: (id, n) => ({ method: 'POST', path: `/api/v1/incidents/${id}/sitreps`, headers: json, body: JSON.stringify({ text: `## Sitrep ${n}\n\nContainment holding; next update in 30 minutes.` }) }),
  },
  {
    name: 'public report (POST /report, form)',
    weight: 5,
    write: true,
    auth: 'none',
    build: (_id, n) => ({
      method: 'POST',
      path: '/report',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ what: `The login page leaks a stack trace when the username is very long (case ${n}).`, product: 'Firebreak web', versions: '0.1', contact: `researcher-${n}@example.org` }).toString(),
    }),
  },
  {
    name: 'ingest (POST /api/v1/ingest/:source, 1 alert)',
    weight: 8,
    write: true,
    auth: 'ingest',
    build: (_id, n, source) => ({ method: 'POST', path: `/api/v1/ingest/${source}`, headers: json, body: JSON.stringify({ title: 'Signer answered 403 to an unknown client', rule: 'signer-forbidden', severity: 'high', host: `signer-${n % 20}` }) }),
  },
];

export interface KindFigures {
  readonly name: string;
  readonly write: boolean;
  readonly requests: number;
  readonly non2xx: number;
  /** 503 FB_ERR_HTTP_OVERLOADED answers (included in non2xx and statuses). */
  readonly shed: number;
  /** p99 of the 2xx answers only. */
  readonly okP99Ms: number;
  readonly statuses: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface MixFigures {
  readonly seconds: number;
  readonly connections: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  readonly writeShare: number;
  /** 503 FB_ERR_HTTP_OVERLOADED answers: shed load, a correct answer (included in non2xx). */
  readonly shed: number;
  /** 2xx answers: how many, per second over the run, and their latency. */
  readonly ok: { readonly requests: number; readonly perSecond: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly kinds: readonly KindFigures[];
}

interface Context {
  kind?: number;
  sentAt?: number;
}

export async function runMix(server: BenchServer, incidentIds: readonly string[], options: { seconds: number; connections: number; overallRate?: number }): Promise<MixFigures> {
  const total = MIX.reduce((sum, k) => sum + k.weight, 0);
  const latencies = MIX.map(() => [] as number[]);
  const okLatencies = MIX.map(() => [] as number[]);
  const statuses = MIX.map(() => ({}) as Record<string, number>);
  const shed = MIX.map(() => 0);
  let n = 0;
  const auth = { authorization: `Bearer ${server.token}` };
  const ingestAuth = { authorization: `Bearer ${server.ingestSecret}` };
  const pick = (): number => {
    let r = Math.random() * total;
    for (let i = 0; i < MIX.length; i += 1) {
      r -= MIX[i]!.weight;
      if (r < 0) return i;
    }
    return 0;
  };
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request: autocannon.Request, context: Context) => {
          const kind = pick();
          n += 1;
          context.kind = kind;
          context.sentAt = performance.now();
          const mix = MIX[kind]!;
          const built = mix.build(incidentIds[n % incidentIds.length]!, n, server.ingestSource);
          return {
            ...request,
            ...built,
            headers: { ...(built.headers ?? {}), ...(mix.auth === 'ingest' ? ingestAuth : mix.auth === 'none' ? {} : auth) },
            body: built.body ?? '',
          };
        },
        onResponse: (status: number, body: string, context: Context) => {
          if (context.kind === undefined) return;
          if (context.sentAt !== undefined) {
            const ms = performance.now() - context.sentAt;
            latencies[context.kind]!.push(ms);
            if (status >= 200 && status < 300) okLatencies[context.kind]!.push(ms);
          }
          if (status === 503 && body.includes('FB_ERR_HTTP_OVERLOADED')) shed[context.kind]! += 1;
          const bucket = statuses[context.kind]!;
          bucket[String(status)] = (bucket[String(status)] ?? 0) + 1;
        },
      },
    ],
  });
  const kinds = MIX.map((k, i) => {
    const sorted = latencies[i]!.sort((a, b) => a - b);
    const counts = statuses[i]!;
    const requests = Object.values(counts).reduce((a, b) => a + b, 0);
    const non2xx = Object.entries(counts).filter(([s]) => !s.startsWith('2')).reduce((a, [, c]) => a + c, 0);
    const ok = okLatencies[i]!.sort((a, b) => a - b);
    return { name: k.name, write: k.write, requests, non2xx, shed: shed[i]!, statuses: counts, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), okP99Ms: round(percentile(ok, 99)) };
  });
  const answered = kinds.reduce((a, k) => a + k.requests, 0);
  const allOk = okLatencies.flat().sort((a, b) => a - b);
  return {
    seconds: options.seconds,
    connections: options.connections,
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    meanMs: round(result.latency.mean),
    maxMs: result.latency.max,
    writeShare: answered ? round(kinds.filter((k) => k.write).reduce((a, k) => a + k.requests, 0) / answered) : 0,
    shed: shed.reduce((a, b) => a + b, 0),
    ok: { requests: allOk.length, perSecond: round(allOk.length / options.seconds), p50Ms: round(percentile(allOk, 50)), p99Ms: round(percentile(allOk, 99)) },
    kinds,
  };
}

export async function runBare(server: BenchServer, options: { seconds: number; connections: number }) {
  const result = await autocannon({ url: `${server.url}/api/v1/incidents`, connections: options.connections, duration: options.seconds, timeout: 30 });
  return {
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average),
    errors: result.errors,
    non2xx: result.non2xx,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
