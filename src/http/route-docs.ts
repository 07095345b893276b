/**
 * Pieces every route schema shares: the problem responses and the tags that group the
 * OpenAPI document.
 */
import { problemSchema } from './problem.js';

/** Every route may answer a problem; listing it documents the shape once per route. */
export const problemResponses = { '4xx': problemSchema } as const;

export const TAGS = {
  auth: 'auth',
  users: 'users',
  tokens: 'tokens',
  plans: 'plans',
  incidents: 'incidents',
  commands: 'incident commands',
  stream: 'live updates',
  health: 'health',
  evidence: 'evidence',
  review: 'post-incident review',
  actions: 'action items',
  metrics: 'metrics',
  search: 'search',
  drills: 'drills',
  upkeep: 'plan upkeep',
  advisories: 'advisories',
  vex: 'VEX register',
  delivery: 'contacts and deliveries',
  messages: 'plan messages',
  dashboard: 'dashboard',
  schedules: 'on-call schedules',
  policies: 'escalation policies',
  record: 'signed record',
} as const;

/** A read model returned under a loose (documented, open-ended) schema: typed as such. */
export function loose<T extends object>(value: T): T & Record<string, unknown> {
  return value as T & Record<string, unknown>;
}
