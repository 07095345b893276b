/**
 * Firebreak's own alert format for anything else (scripts, CI jobs, other monitors): one
 * alert object, an array of them, or `{ "alerts": [...] }`. The zod schema below is the
 * documentation: the ingest route publishes it in OpenAPI.
 */
import { z } from 'zod';
import type { NormalisedAlert, ParsedDelivery } from '../../domain/intake/alert.js';
import { explicitFingerprint, fingerprintOf } from '../../domain/intake/fingerprint.js';
import { type IngestRequest, lower, parseWith } from './ingest-input.js';

const Short = z.string().trim().min(1).max(200);

export const GenericAlertSchema = z
  .object({
    title: z.string().trim().min(1).max(500).describe('What happened, in one line'),
    summary: z.string().max(20_000).optional().describe('More detail (Markdown)'),
    rule: Short.optional().describe('The check or rule that fired; with the resource, it identifies the alert'),
    id: Short.optional().describe("The sender's own stable id for this alert; when given, it identifies the alert"),
    fingerprint: Short.optional().describe('An explicit de-duplication key; overrides id and rule'),
    deliveryId: Short.optional().describe('Id of this delivery; a retry with the same id is not counted again'),
    severity: z.string().trim().min(1).max(50).optional().describe('The sender’s severity word (critical, high, warning, …)'),
    status: z.enum(['firing', 'resolved']).default('firing').describe('"resolved" when the condition has cleared'),
    repository: Short.optional().describe('owner/name of the affected repository'),
    path: z.string().trim().min(1).max(1000).optional().describe('Affected file path'),
    host: Short.optional().describe('Affected host or service'),
    labels: z.record(z.string().max(100), z.string().max(1000)).optional().describe('Free-form labels (used by routing rules and shown to responders)'),
    url: z.url().max(2000).optional().describe('Link back to the alert at its source'),
  })
  .strict();

export const GenericBatchSchema = z.array(GenericAlertSchema).min(1).max(1000);

export const GenericIngestBodySchema = z
  .union([GenericAlertSchema, GenericBatchSchema, z.object({ alerts: GenericBatchSchema }).strict()])
  .describe('One alert, an array of alerts, or { "alerts": [...] } (at most 1,000 per request)');

export type GenericAlert = z.infer<typeof GenericAlertSchema>;

function normalise(alert: GenericAlert): NormalisedAlert {
  const source = 'generic';
  const resource = { ...(alert.repository ? { repository: alert.repository } : {}), ...(alert.path ? { path: alert.path } : {}), ...(alert.host ? { host: alert.host } : {}) };
  const rule = alert.rule ?? alert.title;
  return {
    source,
    ...(alert.id ? { sourceId: alert.id } : {}),
    ...(alert.deliveryId ? { deliveryId: alert.deliveryId } : {}),
    rule,
    fingerprint: alert.fingerprint ? explicitFingerprint(source, alert.fingerprint) : fingerprintOf({ source, sourceId: alert.id, rule, resource }),
    title: alert.title,
    summary: alert.summary ?? '',
    severityLabel: lower(alert.severity),
    resource,
    labels: alert.labels ?? {},
    url: alert.url ?? null,
    state: alert.status,
    raw: alert,
  };
}

export function parseGeneric(request: IngestRequest): ParsedDelivery {
  const body = request.body;
  // Pick the shape first, so errors name the field of the shape the sender meant.
  let alerts: GenericAlert[];
  if (Array.isArray(body)) alerts = parseWith(GenericBatchSchema, body, 'generic alert batch');
  else if (body !== null && typeof body === 'object' && 'alerts' in body) alerts = parseWith(z.object({ alerts: GenericBatchSchema }).strict(), body, 'generic alert batch').alerts;
  else alerts = [parseWith(GenericAlertSchema, body, 'generic alert')];
  return { alerts: alerts.map(normalise) };
}
