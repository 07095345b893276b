/**
 * Prometheus Alertmanager's webhook (`webhook_config`, payload version 4): a group of
 * alerts, each with labels, annotations, start time and Alertmanager's own fingerprint,
 * which identifies the alert's label set and so is the de-duplication key.
 *
 * Alertmanager re-sends a group's notification unchanged: on a failed webhook call, on
 * every repeat_interval, and whenever another alert joins the group. So each alert gets a
 * delivery id naming its episode (fingerprint, startsAt, status, endsAt): a re-sent alert
 * is recognised and not counted again, while a new firing of the same alert (a later
 * startsAt) still counts.
 */
import { z } from 'zod';
import type { NormalisedAlert, ParsedDelivery } from '../../domain/intake/alert.js';
import { fingerprintOf } from '../../domain/intake/fingerprint.js';
import { type IngestRequest, lower, parseWith } from './ingest-input.js';

const Labels = z.record(z.string(), z.string());

export const AlertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels.refine((l) => typeof l['alertname'] === 'string' && l['alertname'] !== '', 'must include a non-empty "alertname" label'),
  annotations: Labels.optional(),
  startsAt: z.string().min(1),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

export const AlertmanagerPayloadSchema = z.object({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version 4)' }),
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  // No cap on the count: Alertmanager's max_alerts is unlimited by default and it does not
  // retry a 4xx, so a refused group is lost. The body limit bounds the size instead.
  alerts: z.array(AlertmanagerAlertSchema),
  groupKey: z.string().optional(),
  groupLabels: Labels.optional(),
  commonLabels: Labels.optional(),
  commonAnnotations: Labels.optional(),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().optional(),
});

export function parseAlertmanager(request: IngestRequest): ParsedDelivery {
  const payload = parseWith(AlertmanagerPayloadSchema, request.body, 'Alertmanager webhook payload');
  const alerts = payload.alerts.map((alert): NormalisedAlert => {
    const labels = alert.labels;
    const annotations = alert.annotations ?? {};
    const rule = labels['alertname']!;
    const host = labels['instance'] ?? labels['host'] ?? labels['pod'] ?? labels['node'];
    const resource = { ...(host ? { host } : {}) };
    const sourceId = alert.fingerprint || undefined;
    const fingerprint = fingerprintOf({ source: 'alertmanager', sourceId, rule, resource, extra: sourceId ? undefined : labels });
    const episode = alert.status === 'firing' ? alert.startsAt : `${alert.startsAt}/${alert.endsAt ?? ''}`;
    return {
      source: 'alertmanager',
      ...(sourceId ? { sourceId } : {}),
      deliveryId: `alertmanager:${fingerprint}:${alert.status}:${episode}`.slice(0, 400),
      rule,
      fingerprint,
      title: annotations['summary'] ?? `${rule}${host ? ` on ${host}` : ''}`,
      summary: annotations['description'] ?? annotations['message'] ?? '',
      severityLabel: lower(labels['severity']),
      resource,
      labels,
      url: alert.generatorURL || null,
      state: alert.status,
      raw: alert,
    };
  });
  return alerts.length > 0 ? { alerts } : { alerts, ignored: 'the notification carries no alerts' };
}
