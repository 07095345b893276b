/**
 * GitHub security webhooks: `dependabot_alert`, `code_scanning_alert`,
 * `secret_scanning_alert`, `repository_advisory` and `security_advisory`. The event name
 * comes from `X-GitHub-Event`, the delivery id from `X-GitHub-Delivery` (a retry carries
 * the same id); the signature is checked before this parser runs (`signature.ts`).
 * Other events (including the `ping` GitHub sends when a hook is created) are accepted
 * and ignored, so GitHub does not report the hook as failing.
 */
import { z } from 'zod';
import { fieldError } from '../../domain/errors.js';
import type { NormalisedAlert, ParsedDelivery } from '../../domain/intake/alert.js';
import { fingerprintOf } from '../../domain/intake/fingerprint.js';
import { type IngestRequest, lower, parseWith } from './ingest-input.js';

export const GITHUB_EVENTS = ['dependabot_alert', 'code_scanning_alert', 'secret_scanning_alert', 'repository_advisory', 'security_advisory'] as const;
export type GitHubEvent = (typeof GITHUB_EVENTS)[number];

const Repository = z.object({ full_name: z.string().min(1), html_url: z.string().optional() });
const Package = z.object({ ecosystem: z.string(), name: z.string() });
const Advisory = z.object({
  ghsa_id: z.string().min(1),
  cve_id: z.string().nullish(),
  summary: z.string(),
  description: z.string().nullish(),
  severity: z.string().nullish(),
  html_url: z.string().nullish(),
  identifiers: z.array(z.object({ type: z.string(), value: z.string() })).nullish(),
  vulnerabilities: z
    .array(z.object({ package: Package.nullish(), vulnerable_version_range: z.string().nullish() }))
    .nullish(),
});

type GitHubAdvisory = z.infer<typeof Advisory>;

/** The CVE id: `cve_id`, else the CVE among `identifiers` (some payloads carry it only there). */
function cveOf(advisory: GitHubAdvisory): string | undefined {
  return advisory.cve_id ?? advisory.identifiers?.find((i) => i.type.toUpperCase() === 'CVE')?.value ?? undefined;
}

/** GitHub writes `moderate` where CVSS and routing rules say `medium`. */
function severityWord(word: string | null | undefined): string | null {
  const normal = lower(word);
  return normal === 'moderate' ? 'medium' : normal;
}

/**
 * GitHub gives secret-scanning alerts no severity. A leaked credential is serious
 * whatever it is; one GitHub reports as still valid (`validity: active`) is critical.
 */
function secretSeverity(validity: string | null | undefined): string {
  return validity === 'active' ? 'critical' : 'high';
}

const DependabotSchema = z.object({
  action: z.string(),
  alert: z.object({
    number: z.number().int(),
    state: z.string(),
    dependency: z.object({ package: Package, manifest_path: z.string().nullish() }),
    security_advisory: Advisory,
    security_vulnerability: z.object({ severity: z.string().nullish(), vulnerable_version_range: z.string().nullish() }).nullish(),
    html_url: z.string().nullish(),
  }),
  repository: Repository,
});

const Location = z.object({ path: z.string().nullish(), start_line: z.number().nullish() }).nullish();
const CodeScanningSchema = z.object({
  action: z.string(),
  alert: z.object({
    number: z.number().int(),
    html_url: z.string().nullish(),
    state: z.string().nullish(),
    rule: z.object({
      id: z.string().nullish(),
      name: z.string().nullish(),
      severity: z.string().nullish(),
      security_severity_level: z.string().nullish(),
      description: z.string().nullish(),
    }),
    tool: z.object({ name: z.string().nullish() }).nullish(),
    most_recent_instance: z.object({ location: Location, message: z.object({ text: z.string().nullish() }).nullish() }).nullish(),
    instances: z.array(z.object({ location: Location })).nullish(),
  }),
  repository: Repository,
});

const SecretScanningSchema = z.object({
  action: z.string(),
  alert: z.object({
    number: z.number().int(),
    secret_type: z.string().min(1),
    secret_type_display_name: z.string().nullish(),
    html_url: z.string().nullish(),
    validity: z.string().nullish(),
  }),
  repository: Repository,
});

const RepositoryAdvisorySchema = z.object({ action: z.string(), repository_advisory: Advisory, repository: Repository });
const SecurityAdvisorySchema = z.object({ action: z.string(), security_advisory: Advisory });

const RESOLVING_ACTIONS = new Set(['fixed', 'dismissed', 'auto_dismissed', 'closed_by_user', 'resolved', 'withdrawn']);

function stateOf(action: string): 'firing' | 'resolved' {
  return RESOLVING_ACTIONS.has(action) ? 'resolved' : 'firing';
}

function alertOf(event: GitHubEvent, body: unknown, deliveryId: string | undefined): NormalisedAlert {
  const source = `github:${event}`;
  const base = (fields: Omit<NormalisedAlert, 'source' | 'fingerprint' | 'raw' | 'deliveryId'>): NormalisedAlert => ({
    source,
    ...fields,
    ...(deliveryId ? { deliveryId } : {}),
    fingerprint: fingerprintOf({ source, sourceId: fields.sourceId, rule: fields.rule, resource: fields.resource }),
    raw: body,
  });
  switch (event) {
    case 'dependabot_alert': {
      const p = parseWith(DependabotSchema, body, 'dependabot_alert payload');
      const pkg = p.alert.dependency.package;
      const advisory = p.alert.security_advisory;
      return base({
        sourceId: `${p.repository.full_name}/dependabot/${p.alert.number}`,
        rule: advisory.ghsa_id,
        title: `${pkg.name} (${pkg.ecosystem}): ${advisory.summary}`,
        summary: [cveOf(advisory), p.alert.security_vulnerability?.vulnerable_version_range ? `vulnerable ${p.alert.security_vulnerability.vulnerable_version_range}` : null, advisory.description]
          .filter(Boolean)
          .join('\n\n'),
        severityLabel: severityWord(p.alert.security_vulnerability?.severity ?? advisory.severity),
        resource: { repository: p.repository.full_name, ...(p.alert.dependency.manifest_path ? { path: p.alert.dependency.manifest_path } : {}), package: `${pkg.ecosystem}:${pkg.name}` },
        labels: { action: p.action, ghsa: advisory.ghsa_id, ...(cveOf(advisory) ? { cve: cveOf(advisory)! } : {}) },
        url: p.alert.html_url ?? null,
        state: stateOf(p.action),
      });
    }
    case 'code_scanning_alert': {
      const p = parseWith(CodeScanningSchema, body, 'code_scanning_alert payload');
      const location = p.alert.most_recent_instance?.location ?? p.alert.instances?.[0]?.location;
      const rule = p.alert.rule.id ?? p.alert.rule.name ?? 'code-scanning';
      return base({
        sourceId: `${p.repository.full_name}/code-scanning/${p.alert.number}`,
        rule,
        title: `${p.alert.rule.description || rule}${location?.path ? ` in ${location.path}` : ''}`,
        summary: p.alert.most_recent_instance?.message?.text ?? '',
        severityLabel: severityWord(p.alert.rule.security_severity_level ?? p.alert.rule.severity),
        resource: { repository: p.repository.full_name, ...(location?.path ? { path: location.path } : {}) },
        labels: { action: p.action, ...(p.alert.tool?.name ? { tool: p.alert.tool.name } : {}) },
        url: p.alert.html_url ?? null,
        state: stateOf(p.action),
      });
    }
    case 'secret_scanning_alert': {
      const p = parseWith(SecretScanningSchema, body, 'secret_scanning_alert payload');
      const name = p.alert.secret_type_display_name ?? p.alert.secret_type;
      return base({
        sourceId: `${p.repository.full_name}/secret-scanning/${p.alert.number}`,
        rule: p.alert.secret_type,
        title: `Secret exposed in ${p.repository.full_name}: ${name}`,
        summary: p.alert.validity ? `Validity reported by GitHub: ${p.alert.validity}` : '',
        severityLabel: secretSeverity(p.alert.validity),
        resource: { repository: p.repository.full_name },
        labels: { action: p.action, secret_type: p.alert.secret_type },
        url: p.alert.html_url ?? null,
        state: stateOf(p.action),
      });
    }
    case 'repository_advisory':
    case 'security_advisory': {
      const isRepo = event === 'repository_advisory';
      const p = isRepo ? parseWith(RepositoryAdvisorySchema, body, 'repository_advisory payload') : parseWith(SecurityAdvisorySchema, body, 'security_advisory payload');
      const advisory = 'repository_advisory' in p ? p.repository_advisory : p.security_advisory;
      const repository = 'repository' in p ? p.repository.full_name : undefined;
      const packages = (advisory.vulnerabilities ?? []).map((v) => v.package).filter((x) => x !== null && x !== undefined);
      return base({
        sourceId: `${repository ? `${repository}/` : ''}advisory/${advisory.ghsa_id}`,
        rule: advisory.ghsa_id,
        title: `${advisory.ghsa_id}: ${advisory.summary}`,
        summary: [cveOf(advisory), advisory.description].filter(Boolean).join('\n\n'),
        severityLabel: severityWord(advisory.severity),
        resource: { ...(repository ? { repository } : {}), ...(packages[0] ? { package: `${packages[0].ecosystem}:${packages[0].name}` } : {}) },
        labels: { action: p.action, ghsa: advisory.ghsa_id, ...(cveOf(advisory) ? { cve: cveOf(advisory)! } : {}) },
        url: advisory.html_url ?? null,
        state: stateOf(p.action),
      });
    }
    default: {
      const unknown: never = event;
      throw new Error(`unhandled GitHub event ${String(unknown)}`);
    }
  }
}

export function parseGitHub(request: IngestRequest): ParsedDelivery {
  const event = request.headers['x-github-event'];
  if (!event) throw fieldError('FB_ERR_INGEST_MALFORMED', 'X-GitHub-Event', 'header is required (the GitHub event name)');
  const deliveryId = request.headers['x-github-delivery'] || undefined;
  if (!(GITHUB_EVENTS as readonly string[]).includes(event)) {
    return { alerts: [], ...(deliveryId ? { deliveryId } : {}), ignored: event === 'ping' ? 'ping received; the hook works' : `event "${event}" is not one Firebreak ingests` };
  }
  const alert = alertOf(event as GitHubEvent, request.body, deliveryId);
  return { alerts: [alert], ...(deliveryId ? { deliveryId } : {}) };
}
