/**
 * Request and response shapes of the incident routes. These zod schemas validate input,
 * type the handlers and generate the OpenAPI document; nothing is written twice.
 */
import { z } from 'zod';
import { INCIDENT_EVENT_TYPES } from '../../domain/incident/events.js';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const occurredAt = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-03-01T14:05:00Z' }).optional().describe('When it happened, if earlier than now.');

export const STATUSES = ['investigating', 'active', 'resolved', 'closed', 'dismissed'] as const;

/** A comma-separated list in a query string, each value checked. */
function csvOf<T extends string>(allowed: readonly T[] | null, label: string) {
  return z
    .string()
    .max(1000)
    .transform((value, ctx) => {
      const items = value.split(',').map((v) => v.trim()).filter(Boolean);
      if (allowed) {
        const bad = items.find((v) => !allowed.includes(v as T));
        if (bad !== undefined) {
          ctx.addIssue({ code: 'custom', message: `"${bad}" is not a ${label} (${allowed.join(', ')})` });
          return z.NEVER;
        }
      }
      return items as T[];
    });
}

export const incidentParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, e.g. INC-2026-0001') });
export const roleParams = incidentParams.extend({ role: z.string().min(1).max(100) });
export const itemParams = incidentParams.extend({ item: z.string().min(1).max(100) });
export const clockParams = incidentParams.extend({ clock: z.string().min(1).max(100) });
export const memberParams = incidentParams.extend({ user: z.string().min(1).max(100) });

export const commandHeaders = z.looseObject({
  'if-match': z.string().max(40).optional().describe('The incident version you last saw, as its ETag: "7". A stale one gets 409.'),
  'idempotency-key': z.string().min(1).max(200).optional().describe('Makes a retry of this POST return the first response.'),
});
export const createHeaders = z.looseObject({ 'idempotency-key': commandHeaders.shape['idempotency-key'] });

export const listQuery = z.object({
  status: csvOf(STATUSES, 'status').optional().describe('Comma-separated statuses.'),
  severity: csvOf(null, 'severity').optional().describe('Comma-separated severity ids.'),
  kind: z.enum(['event', 'incident']).optional(),
  plan: z.string().max(100).optional(),
  q: z.string().max(200).optional().describe('Text found in the id, title or summary.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page.'),
});

export const createBody = z.object({
  plan: z.string().min(1).max(100).describe('Plan id; the incident runs under its current version.'),
  title: text(200),
  summary: z.string().max(20_000).optional(),
  reporter: z.string().trim().min(1).max(200).optional().describe('Who reported it; defaults to you.'),
  anonymous: z.boolean().optional(),
  restricted: z.boolean().optional().describe('Need-to-know: only members and admins see it.'),
  drill: z.boolean().optional(),
  occurredAt,
});

export const triageBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('confirm'), severity: z.string().min(1).max(100), category: z.string().min(1).max(100).optional(), occurredAt }),
  z.object({ decision: z.literal('dismiss'), reason: text(2000), occurredAt }),
]);
export const emptyBody = z.object({ occurredAt }).default({});
export const ackBody = z
  .object({ occurredAt, via: z.enum(['cli']).optional().describe('Set by the firebreak CLI, so the timeline says how the acknowledgement arrived') })
  .default({});
export const severityBody = z.object({ severity: z.string().min(1).max(100), reason: text(2000), occurredAt });
export const assignBody = z.object({ to: text(100), occurredAt });
export const handoffBody = z.object({ to: text(100), briefing: text(20_000), occurredAt });
export const reasonBody = z.object({ reason: text(2000), occurredAt });
export const phaseBody = z.object({ phase: z.string().min(1).max(100), force: z.object({ reason: text(2000) }).optional(), occurredAt });
export const completeBody = z.object({ note: z.string().max(5000).optional(), occurredAt }).default({});
export const textBody = z.object({ text: text(100_000).describe('Markdown.'), occurredAt });
export const flagBody = z.object({ flag: z.string().min(1).max(64), note: z.string().max(5000).optional(), occurredAt });
export const filedBody = z
  .object({
    reference: z.string().max(500).optional().describe("The authority's reference for the filing; no control characters."),
    note: z.string().max(5000).optional(),
    reportSha256: z.string().max(64).optional().describe('SHA-256 of the exported report that was filed.'),
    reason: z.string().max(5000).optional().describe('Why it is late, or which phase it is; required past the deadline.'),
    occurredAt,
  })
  .default({});
export const memberBody = z.object({ user: text(100).describe('The handle of the person to add.'), occurredAt });
export const restrictionBody = z.object({ restricted: z.boolean(), reason: text(2000), occurredAt });
export const resolveBody = z.object({ summary: z.string().max(20_000).optional(), occurredAt }).default({});

export const timelineQuery = z.object({
  after: z.coerce.number().int().min(0).max(2_147_483_647).optional().describe('Return events after this seq (seq is a 32-bit integer column).'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  type: csvOf(INCIDENT_EVENT_TYPES, 'event type').optional(),
  actor: z.string().max(100).optional(),
});

export const clocksQuery = z.object({ at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional() });

// ---- responses ---------------------------------------------------------------------------

export const clockSchema = z
  .looseObject({ id: z.string(), kind: z.string(), state: z.enum(['pending', 'met', 'overdue']), dueAt: z.string().nullable().optional() })
  .meta({ id: 'Clock' });

export const incidentViewSchema = z
  .looseObject({
    incident: z.looseObject({
      id: z.string(),
      version: z.number().int(),
      kind: z.enum(['event', 'incident']),
      status: z.enum(STATUSES),
      title: z.string(),
      restricted: z.boolean(),
      severity: z.string().nullable(),
      phase: z.string(),
    }),
    plan: z.object({ id: z.string(), version: z.string(), name: z.string() }),
    clocks: z.array(clockSchema),
  })
  .describe('The incident as people look at it (see src/app/incident-view.ts).')
  .meta({ id: 'IncidentView' });

export type IncidentViewBody = z.input<typeof incidentViewSchema>;

export const incidentListSchema = z.object({ items: z.array(incidentViewSchema), nextCursor: z.string().nullable(), total: z.number().int() });

export const timelineEventSchema = z
  .looseObject({ incidentId: z.string(), seq: z.number().int(), type: z.string(), data: z.unknown(), occurredAt: z.string(), recordedAt: z.string(), actor: z.string(), prevHash: z.string(), hash: z.string(), summary: z.string() })
  .meta({ id: 'TimelineEvent' });

export type TimelineEventBody = z.input<typeof timelineEventSchema>;
export type ClockBody = z.input<typeof clockSchema>;

export const timelineSchema = z.object({ items: z.array(timelineEventSchema), nextAfter: z.number().int().nullable() });
export const clocksSchema = z.object({ items: z.array(clockSchema) });
export const draftSchema = z.object({ text: z.string() });
export const verdictsSchema = z.object({
  items: z.array(
    z.object({
      incidentId: z.string(),
      ok: z.boolean(),
      events: z.number().int(),
      projectionMatches: z.boolean(),
      problems: z.array(z.string()).describe('Other integrity problems, e.g. evidence whose stored bytes no longer match their SHA-256.'),
      head: z.string().optional().describe('Hash of the last event, when the chain verifies.'),
      brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
    }),
  ),
});
