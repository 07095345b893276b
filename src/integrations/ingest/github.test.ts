/**
 * GitHub security webhooks as GitHub sends them (issue 28): `moderate` is `medium` (so
 * routing rules on medium match), a CVE given only in `identifiers[]` is kept, and a
 * secret-scanning alert, which GitHub gives no severity, gets one. Payloads are the
 * fixtures of test/fixtures/ingest/github with those fields changed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDelivery } from './parse-delivery.js';

const fixture = (file: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/github/${file}`, import.meta.url), 'utf8'));
const parse = (event: string, body: unknown) => parseDelivery({ kind: 'github', raw: Buffer.from(JSON.stringify(body)), headers: { 'x-github-event': event, 'x-github-delivery': 'd-1' }, query: {} }).alerts[0]!;

describe('GitHub security webhooks', () => {
  it('reads moderate as medium, and a CVE given only in identifiers[]', () => {
    const body = fixture('dependabot_alert.created.json');
    body.alert.security_vulnerability.severity = 'moderate';
    body.alert.security_advisory.severity = 'moderate';
    body.alert.security_advisory.cve_id = null;
    body.alert.security_advisory.identifiers = [
      { type: 'GHSA', value: body.alert.security_advisory.ghsa_id },
      { type: 'CVE', value: 'CVE-2026-41234' },
    ];
    const alert = parse('dependabot_alert', body);
    expect(alert.severityLabel).toBe('medium');
    expect(alert.labels['cve']).toBe('CVE-2026-41234');
    expect(alert.summary).toContain('CVE-2026-41234');
  });

  it('gives a leaked secret a severity: high, critical while GitHub reports it still valid', () => {
    const body = fixture('secret_scanning_alert.created.json');
    body.alert.validity = 'unknown';
    expect(parse('secret_scanning_alert', body).severityLabel).toBe('high');
    body.alert.validity = 'active';
    expect(parse('secret_scanning_alert', body).severityLabel).toBe('critical');
  });
});
