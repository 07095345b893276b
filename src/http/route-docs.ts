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
} as const;
