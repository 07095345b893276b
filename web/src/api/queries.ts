/**
 * TanStack Query hooks for everything the app reads. Query keys live in `queryKeys` so
 * the live stream and the mutations invalidate exactly what a change touches.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, queryString, request, requestText, setCsrfToken } from './client.js';
import type {
  AdvisoryRevisionEntry,
  AdvisorySummary,
  AdvisoryView,
  CvssResult,
  ExportFormat,
  IncidentFilters,
  IncidentView,
  MetricsPeriod,
  MetricsReport,
  Page,
  Plan,
  PlanSummary,
  Session,
  TimelinePage,
  User,
} from './types.js';

export const queryKeys = {
  session: ['session'] as const,
  plans: ['plans'] as const,
  plan: (id: string) => ['plans', id] as const,
  incidents: (filters?: IncidentFilters) => (filters ? (['incidents', filters] as const) : (['incidents'] as const)),
  incident: (id: string) => ['incident', id] as const,
  timeline: (id: string) => ['incident', id, 'timeline'] as const,
  sitrepDraft: (id: string) => ['incident', id, 'sitrep-draft'] as const,
  users: ['users'] as const,
  metrics: (period: MetricsPeriod) => ['metrics', period] as const,
  advisories: (incidentId?: string) => (incidentId ? (['advisories', { incidentId }] as const) : (['advisories'] as const)),
  advisory: (id: string) => ['advisory', id] as const,
  advisoryExport: (id: string, format: ExportFormat, version: number, which: 'published' | 'working') => ['advisory', id, 'export', format, version, which] as const,
  advisoryRevisions: (id: string) => ['advisory', id, 'revisions'] as const,
  cvssScore: (vector: string) => ['cvss', vector] as const,
  dashboard: ['dashboard'] as const,
};

export function fetchSession(): Promise<Session> {
  return request<Session>('/auth/session').then((session) => {
    setCsrfToken(session.csrfToken);
    return session;
  });
}

export function useSession() {
  return useQuery({ queryKey: queryKeys.session, queryFn: fetchSession, staleTime: 60_000, retry: 1 });
}

export function usePlans() {
  return useQuery({
    queryKey: queryKeys.plans,
    queryFn: () => request<Page<PlanSummary>>('/plans').then((page) => page.items),
    staleTime: 5 * 60_000,
  });
}

export function usePlan(id: string | null) {
  return useQuery({
    queryKey: queryKeys.plan(id ?? ''),
    queryFn: () => request<Plan>(`/plans/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

export function useIncidents(filters: IncidentFilters) {
  return useQuery({
    queryKey: queryKeys.incidents(filters),
    queryFn: ({ signal }) =>
      request<Page<IncidentView>>(
        `/incidents${queryString({ kind: filters.kind, status: filters.status, q: filters.q?.trim(), limit: 200 })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: queryKeys.incident(id),
    queryFn: ({ signal }) => request<IncidentView>(`/incidents/${encodeURIComponent(id)}`, { signal }),
  });
}

/** The whole log (paged by `after`), oldest first as the API sends it. */
export function useTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.timeline(id),
    queryFn: async ({ signal }) => {
      const items: TimelinePage['items'][number][] = [];
      let after: number | null = 0;
      for (let page = 0; page < 50 && after !== null; page++) {
        const result: TimelinePage = await request<TimelinePage>(
          `/incidents/${encodeURIComponent(id)}/timeline${queryString({ after: after || undefined, limit: 500 })}`,
          { signal },
        );
        items.push(...result.items);
        after = result.nextAfter !== null && result.items.length > 0 ? result.nextAfter : null;
      }
      return items;
    },
  });
}

export function fetchSitrepDraft(id: string): Promise<{ text: string }> {
  return request<{ text: string }>(`/incidents/${encodeURIComponent(id)}/sitreps/draft`);
}

/** The people one can assign a role to. Only admins may list users; others type a handle. */
export function useUsers(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: () => request<Page<User>>('/users').then((page) => page.items),
    enabled,
    staleTime: 5 * 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 403) && count < 2,
  });
}

/** `/api/v1/metrics?from&to`, as a path (the CSV export link reuses it with `format=csv`). */
export function metricsPath(period: MetricsPeriod, format: 'json' | 'csv' = 'json'): string {
  return `/metrics${queryString({ from: period.from, to: period.to, format: format === 'csv' ? 'csv' : undefined })}`;
}

/** Response metrics for a period (drills left out by the server). */
export function useMetrics(period: MetricsPeriod, enabled = true) {
  return useQuery({
    enabled,
    queryKey: queryKeys.metrics(period),
    queryFn: ({ signal }) => request<MetricsReport>(metricsPath(period), { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
// ---- Advisories ----------------------------------------------------------------------

export const advisoryPath = (id: string, rest = '') => `/advisories/${encodeURIComponent(id)}${rest}`;

export function useIncidentAdvisories(incidentId: string) {
  return useQuery({
    queryKey: queryKeys.advisories(incidentId),
    queryFn: ({ signal }) => request<{ advisories: readonly AdvisorySummary[] }>(`/advisories${queryString({ incident: incidentId })}`, { signal }).then((r) => r.advisories),
  });
}

export function useAdvisory(id: string) {
  return useQuery({
    queryKey: queryKeys.advisory(id),
    queryFn: ({ signal }) => request<AdvisoryView>(advisoryPath(id), { signal }),
  });
}

/** An export as text; keyed by the advisory's version so an edit refreshes it. */
export function useAdvisoryExport(id: string, format: ExportFormat, version: number, which: 'published' | 'working') {
  return useQuery({
    queryKey: queryKeys.advisoryExport(id, format, version, which),
    queryFn: ({ signal }) => requestText(advisoryPath(id, `/export${queryString({ format, which })}`), { signal }),
    staleTime: 60_000,
  });
}

export function useAdvisoryRevisions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.advisoryRevisions(id),
    queryFn: ({ signal }) => request<{ revisions: readonly AdvisoryRevisionEntry[] }>(advisoryPath(id, '/revisions'), { signal }).then((r) => r.revisions),
    enabled,
  });
}

/** The server scores a vector (the one calculator); a bad vector is a 400 naming the metric. */
export function useCvssScore(vector: string) {
  return useQuery({
    queryKey: queryKeys.cvssScore(vector),
    queryFn: ({ signal }) => request<CvssResult>('/cvss/score', { method: 'POST', body: { vector }, signal }),
    enabled: vector.trim() !== '',
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export interface DashboardFigures {
  readonly deliveries: { readonly deadLetters: number; readonly byStatus: Record<string, number> };
  /** Plans whose escalation would page nobody right now, with what to configure. */
  readonly unreachablePlans?: readonly { readonly planId: string; readonly planName: string; readonly severities: readonly string[]; readonly problems: readonly string[] }[];
}

/**
 * The dashboard's server-side figures (messages that ran out of retries). Refetched on
 * every live message and every 30 s, since a message dead-letters without an incident event.
 */
export function useDashboardFigures() {
  return useQuery({
    queryKey: queryKeys.dashboard,
    queryFn: () => request<DashboardFigures>('/dashboard'),
    refetchInterval: 30_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 403) && count < 2,
  });
}
