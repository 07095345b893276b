/**
 * What a person supplies when adding evidence, validated once (zod) for the CLI, the API
 * and the web app: a description, where it came from, optionally who collected it. Text
 * evidence is a log excerpt or a link (http/https only).
 */
import { z } from 'zod';

const Text = z.string().trim().min(1, 'must not be empty');

export const EvidenceMetaSchema = z.object({
  description: Text.max(2000),
  source: Text.max(500).describe('Where it came from: a host, a system, a log, a person'),
  collector: Text.max(200).optional().describe('Who gathered it (defaults to whoever records it)'),
  filename: z.string().trim().max(255).optional(),
  mediaType: z.string().trim().max(127).optional(),
});

export type EvidenceMeta = z.infer<typeof EvidenceMetaSchema>;

export const TextEvidenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: Text.max(1_000_000) }),
  z.object({
    kind: z.literal('link'),
    text: z
      .string()
      .trim()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL'),
  }),
]);

export type TextEvidence = z.infer<typeof TextEvidenceSchema>;
