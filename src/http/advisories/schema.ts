/**
 * Request and response shapes of the signed-in advisory API (and the CVSS calculator and
 * VEX register beside it). The advisory content and its edits reuse the domain's own zod
 * schemas, so the server, the CLI and the web editor validate one shape.
 */
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../app/advisory-service.js';
import { AdvisoryChangesSchema, AdvisoryContentSchema } from '../../domain/advisory/advisory-content.js';
import { ADVISORY_EVENT_TYPES } from '../../domain/advisory/events.js';
import { VEX_STATUSES, VexStatementInputSchema } from '../../domain/vex/vex-statement.js';
import { commandHeaders } from '../incidents/schema.js';

export const ADVISORY_STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'updated'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const advisoryParams = z.object({ advisoryId: z.string().min(1).max(64).describe('Advisory id, e.g. ESA-2026-001') });
export const incidentParams = z.object({ id: z.string().min(1).max(64).describe('Incident id, e.g. INC-2026-0001') });
export { commandHeaders };

export const listQuery = z.object({
  incident: z.string().max(64).optional().describe('Only the advisories of this incident.'),
  status: z.enum(ADVISORY_STATUSES).optional().describe('Only advisories in this status (as of now: an embargo that ended counts as published).'),
});

export const contentBody = AdvisoryContentSchema.describe('The advisory content; at least a title.');
export const editBody = z.object({ changes: AdvisoryChangesSchema.describe('Each key sets a field; null clears an optional one.') }).strict();
export const noteBody = z.object({ note: z.string().max(5000).optional() }).strict().default({});
export const reasonBody = z.object({ reason: text(5000) }).strict();
export const scheduleBody = z
  .object({
    releaseAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-04-01T12:00:00Z' }).describe('When the embargo ends.'),
    summary: z.string().max(2000).optional().describe('What this revision changes.'),
  })
  .strict();
export const publishBody = z.object({ summary: z.string().max(2000).optional().describe('What this revision changes.') }).strict().default({});

export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).describe('md: Markdown from the plan template; osv; csaf (CSAF 2.0 advisory); csaf-vex; ghsa (GitHub advisory JSON).'),
  which: z.enum(['published', 'working']).optional().describe('published (default when one exists): the latest released revision; working: a preview of the working copy.'),
});

export const cvssBody = z.object({ vector: text(300).describe('A CVSS 3.1 or 4.0 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') }).strict();

export const vexQuery = z.object({
  vulnerability: z.string().max(100).optional(),
  history: z.enum(['true', 'false']).optional().describe('true: every statement ever recorded, oldest first.'),
});
export const vexBody = VexStatementInputSchema;
export const vexExportQuery = z.object({ format: z.enum(['csaf', 'openvex']) });

// ---- responses ---------------------------------------------------------------------------

const cvssScore = z.object({ vector: z.string(), version: z.enum(['3.1', '4.0']), baseScore: z.number(), severity: z.string() });

export const advisorySummarySchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    status: z.enum(ADVISORY_STATUSES),
    title: z.string(),
    severity: z.string().nullable(),
    cvss: z.array(cvssScore),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'AdvisorySummary' });

export type AdvisorySummaryBody = z.input<typeof advisorySummarySchema>;

export const advisoryListSchema = z.object({ advisories: z.array(advisorySummarySchema) });

export const advisoryViewSchema = z
  .looseObject({
    id: z.string(),
    incidentId: z.string(),
    status: z.enum(ADVISORY_STATUSES),
    version: z.number().int(),
    content: z.looseObject({ title: z.string() }),
    severity: z.string().nullable(),
    author: z.string(),
    authors: z.array(z.string()).describe('Everyone who wrote the working copy since it last went public; none of them may approve it.'),
    submittedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
    approvals: z.array(z.object({ by: z.string(), at: z.string(), note: z.string().optional() })),
    revisions: z.array(z.object({ number: z.number().int(), publishedAt: z.string(), summary: z.string(), embargoed: z.boolean(), publishedBy: z.string(), approvedBy: z.string().nullable() })),
    missingForPublish: z.array(z.object({ field: z.string(), problem: z.string() })),
    openGates: z.array(z.string()).describe('Checklist items of the incident that gate publishing and are still open.'),
    cvss: z.array(cvssScore),
    timeline: z.array(z.object({ label: z.string(), at: z.string(), date: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AdvisoryView' });

export type AdvisoryViewBody = z.input<typeof advisoryViewSchema>;

export const revisionsSchema = z.object({
  revisions: z.array(
    z.object({
      number: z.number().int(),
      publishedAt: z.string(),
      summary: z.string(),
      embargoed: z.boolean(),
      document: z.looseObject({ id: z.string(), revision: z.number().int(), content: z.looseObject({}) }).describe('The revision as its exports see it (src/domain/advisory/advisory-document.ts).'),
    }),
  ),
});

export const advisoryEventSchema = z
  .object({
    advisoryId: z.string(),
    seq: z.number().int(),
    type: z.enum(ADVISORY_EVENT_TYPES),
    data: z.unknown(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    actor: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AdvisoryEvent' });
export const eventsSchema = z.object({ events: z.array(advisoryEventSchema) });

export const cvssResultSchema = z.object({
  version: z.enum(['3.1', '4.0']),
  vector: z.string(),
  baseScore: z.number(),
  overallScore: z.number(),
  severity: z.enum(['none', 'low', 'medium', 'high', 'critical']),
  metrics: z.record(z.string(), z.string()).describe('Each metric of the vector and its value, in the order given.'),
});

export const vexStatementSchema = z
  .object({
    product: z.string(),
    version: z.string(),
    vulnerability: z.string(),
    status: z.enum(VEX_STATUSES),
    justification: z.string().optional(),
    impactStatement: z.string().optional(),
    actionStatement: z.string().optional(),
    recordedAt: z.string(),
    actor: z.string(),
  })
  .meta({ id: 'VexStatement' });
export const vexListSchema = z.object({ statements: z.array(vexStatementSchema) });

export const verdictSchema = z.object({
  advisoryId: z.string(),
  ok: z.boolean(),
  events: z.number().int(),
  projectionMatches: z.boolean(),
  head: z.string().optional(),
  brokenAt: z.object({ seq: z.number().int(), reason: z.string() }).optional(),
});
