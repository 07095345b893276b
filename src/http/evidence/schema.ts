/** Request and response shapes of the evidence routes (zod: validation and OpenAPI from one source). */
import { z } from 'zod';
import { EvidenceMetaSchema } from '../../domain/evidence/evidence-input.js';

export const incidentParams = z.object({ id: z.string().min(1).max(64) });
export const evidenceParams = incidentParams.extend({ evidenceId: z.string().min(1).max(64) });

export const textEvidenceBody = EvidenceMetaSchema.omit({ filename: true, mediaType: true }).extend({
  kind: z.enum(['text', 'link']).describe('A log excerpt (text) or an http(s) link'),
  text: z.string().min(1).max(1_000_000),
});

/** Checked after authorization (description and source are required), so a caller without rights learns nothing more. */
export const fileQuery = EvidenceMetaSchema.omit({ mediaType: true }).partial().describe('Metadata of the uploaded file (description and source required); the body is the file itself (application/octet-stream)');

export const purposeBody = z.object({ purpose: z.string().trim().min(1).max(2000).optional() });
export const contentQuery = z.object({
  purpose: z.string().trim().min(1).max(2000).optional(),
  export: z.enum(['true', 'false']).optional().describe('true: the copy leaves the team; recorded as an export'),
});
export const transferBody = z.object({ to: z.string().trim().min(1).max(200), reason: z.string().trim().min(1).max(2000) });

export const evidenceItemSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    kind: z.enum(['file', 'text', 'link']),
    sha256: z.string(),
    size: z.number().int(),
    description: z.string(),
    source: z.string(),
    collector: z.string(),
    collectedAt: z.string(),
    recordedBy: z.string(),
    filename: z.string().nullable(),
    mediaType: z.string().nullable(),
    custodian: z.string(),
  })
  .meta({ id: 'EvidenceItem' });

export const evidenceListSchema = z.object({ items: z.array(evidenceItemSchema) });
export const evidenceViewSchema = z.object({ item: evidenceItemSchema, text: z.string().nullable() });
export const custodySchema = z.object({
  evidenceId: z.string(),
  incidentId: z.string(),
  custodian: z.string(),
  collectedAt: z.string(),
  entries: z.array(z.object({ seq: z.number().int(), at: z.string(), recordedAt: z.string(), actor: z.string(), action: z.string(), custodian: z.string(), detail: z.string(), eventHash: z.string() })),
});
