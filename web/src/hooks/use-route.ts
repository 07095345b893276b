/**
 * A small router over the History API: the app has a handful of fixed paths, so a table
 * of patterns is all it needs. `navigate` pushes a path; links use `<RouterLink>`.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { readonly name: 'dashboard' }
  | { readonly name: 'report' }
  | { readonly name: 'incident'; readonly id: string }
  | { readonly name: 'triage'; readonly id: string }
  | { readonly name: 'advisory'; readonly incidentId: string; readonly id: string }
  | { readonly name: 'plans' }
  | { readonly name: 'plan'; readonly id: string }
  | { readonly name: 'metrics' }
  | { readonly name: 'account' }
  | { readonly name: 'schedules' }
  | { readonly name: 'not-found'; readonly path: string };

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  notify();
}

export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { name: 'dashboard' };
  if (first === 'report' && parts.length === 1) return { name: 'report' };
  if (first === 'incidents' && second && parts.length === 2) return { name: 'incident', id: second };
  if (first === 'incidents' && second && third === 'triage' && parts.length === 3) return { name: 'triage', id: second };
  // Under the incident: `/advisories/…` belongs to the server's public advisory pages.
  if (first === 'incidents' && second && third === 'advisories' && fourth && parts.length === 4) return { name: 'advisory', incidentId: second, id: fourth };
  if (first === 'plans' && parts.length === 1) return { name: 'plans' };
  if (first === 'plans' && second && parts.length === 2) return { name: 'plan', id: second };
  if (first === 'metrics' && parts.length === 1) return { name: 'metrics' };
  if (first === 'account' && parts.length === 1) return { name: 'account' };
  if (first === 'schedules' && parts.length === 1) return { name: 'schedules' };
  return { name: 'not-found', path: pathname };
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => window.location.pathname);
  return matchRoute(pathname);
}

export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

export function advisoryEditorPath(incidentId: string, advisoryId: string): string {
  return `${incidentPath(incidentId)}/advisories/${encodeURIComponent(advisoryId)}`;
}
