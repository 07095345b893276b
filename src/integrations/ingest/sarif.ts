/**
 * SARIF 2.1.0 logs from scanners (Gitleaks, Semgrep, CodeQL, …): one alert per result
 * that asks for attention (kind fail, open or review; passes and not-applicable results
 * are not findings). Rules are found in the driver and in the tool's extensions (where
 * CodeQL puts its query packs); a location may name its file through `run.artifacts`.
 * The severity word is the rule's `security-severity` score band when present (as GitHub
 * code scanning reads it), else the result's or rule's `level`, else SARIF's default
 * `warning`. Identity is the tool, rule, file and the tool's own fingerprints. Snippets
 * (which for secret scanners hold the secret) are never kept.
 */
import { z } from 'zod';
import type { NormalisedAlert, ParsedDelivery } from '../../domain/intake/alert.js';
import { fingerprintOf } from '../../domain/intake/fingerprint.js';
import { type IngestRequest, lower, parseWith } from './ingest-input.js';

const Message = z.object({ text: z.string().optional(), markdown: z.string().optional(), id: z.string().optional() });
const Level = z.enum(['none', 'note', 'warning', 'error']);
const Properties = z.record(z.string(), z.unknown());

const Rule = z.object({
  id: z.string(),
  name: z.string().optional(),
  shortDescription: Message.optional(),
  fullDescription: Message.optional(),
  defaultConfiguration: z.object({ level: Level.optional() }).optional(),
  helpUri: z.string().optional(),
  properties: Properties.optional(),
});

const ArtifactLocation = z.object({ uri: z.string().optional(), index: z.number().int().min(0).optional() });

const Location = z.object({
  physicalLocation: z
    .object({
      artifactLocation: ArtifactLocation.optional(),
      region: z.object({ startLine: z.number().int().optional() }).optional(),
    })
    .optional(),
});

const Result = z
  .object({
    ruleId: z.string().optional(),
    ruleIndex: z.number().int().optional(),
    rule: z.object({ id: z.string().optional(), index: z.number().int().optional(), toolComponent: z.object({ index: z.number().int().min(0).optional() }).optional() }).optional(),
    /** SARIF §3.27.9: only `fail` (the default), `open` and `review` ask for attention. */
    kind: z.enum(['notApplicable', 'pass', 'fail', 'review', 'open', 'informational']).optional(),
    level: Level.optional(),
    message: Message,
    locations: z.array(Location).optional(),
    partialFingerprints: z.record(z.string(), z.string()).optional(),
    fingerprints: z.record(z.string(), z.string()).optional(),
    baselineState: z.string().optional(),
    properties: Properties.optional(),
  })
  .refine((r) => r.ruleId !== undefined || r.rule?.id !== undefined || r.ruleIndex !== undefined || r.rule?.index !== undefined, {
    message: 'needs ruleId (or rule.id / ruleIndex) to say which rule fired',
  });

/** GitHub code scanning takes at most 25,000 results a run; so does Firebreak. */
export const SARIF_MAX_RESULTS_PER_RUN = 25_000;

const ToolComponent = z.object({ name: z.string().optional(), rules: z.array(Rule).nullable().optional() });

const Run = z.object({
  tool: z.object({
    driver: ToolComponent.extend({ name: z.string().min(1), version: z.string().optional(), semanticVersion: z.string().optional() }),
    // Plug-ins and query packs carry their own rules (CodeQL CLI puts its queries here).
    extensions: z.array(ToolComponent).nullable().optional(),
  }),
  results: z.array(Result).max(SARIF_MAX_RESULTS_PER_RUN, `a run may hold at most ${SARIF_MAX_RESULTS_PER_RUN} results (as GitHub code scanning accepts); split the log`).nullable().optional(),
  artifacts: z.array(z.object({ location: ArtifactLocation.optional() })).nullable().optional(),
  versionControlProvenance: z.array(z.object({ repositoryUri: z.string(), revisionId: z.string().optional(), branch: z.string().optional() })).optional(),
});

export const SarifLogSchema = z.object({
  version: z.literal('2.1.0', { error: 'must be "2.1.0" (only SARIF 2.1.0 is accepted)' }),
  $schema: z.string().optional(),
  runs: z.array(Run),
});

/** GitHub's bands for a CVSS-like `security-severity` score. */
export function severityBand(score: number): string {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** `https://github.com/org/repo.git` → `org/repo`; anything else as given. */
function repositoryName(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /github\.com[/:]([^/]+\/[^/]+?)(\.git)?\/?$/.exec(uri);
  return m ? m[1] : uri;
}


export function parseSarif(request: IngestRequest): ParsedDelivery {
  const log = parseWith(SarifLogSchema, request.body, 'SARIF 2.1.0 log');
  const alerts: NormalisedAlert[] = [];
  for (const run of log.runs) {
    const tool = run.tool.driver.name;
    const toolKey = tool.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
    const source = `sarif:${toolKey}`;
    const driverRules = run.tool.driver.rules ?? [];
    const everyRule = [...driverRules, ...(run.tool.extensions ?? []).flatMap((e) => e.rules ?? [])];
    const repository = request.query['repository'] || repositoryName(run.versionControlProvenance?.[0]?.repositoryUri);
    for (const result of run.results ?? []) {
      if (result.kind !== undefined && result.kind !== 'fail' && result.kind !== 'open' && result.kind !== 'review') continue;
      const index = result.ruleIndex ?? result.rule?.index;
      // rule.toolComponent.index names the extension whose rules `index` counts in (§3.52.7).
      const component = result.rule?.toolComponent?.index;
      const indexed = component !== undefined ? run.tool.extensions?.[component]?.rules ?? [] : driverRules;
      const ruleId = result.ruleId ?? result.rule?.id ?? (index !== undefined ? indexed[index]?.id : undefined) ?? 'unknown-rule';
      const rule = (index !== undefined ? indexed[index] : undefined) ?? everyRule.find((r) => r.id === ruleId);
      const physical = result.locations?.[0]?.physicalLocation;
      const artifact = physical?.artifactLocation;
      const uri = artifact?.uri ?? (artifact?.index !== undefined ? run.artifacts?.[artifact.index]?.location?.uri : undefined);
      const path = uri?.replace(/^file:\/\//, '');
      const line = physical?.region?.startLine;
      const score = Number(rule?.properties?.['security-severity'] ?? result.properties?.['security-severity']);
      const severityLabel = Number.isFinite(score) && score > 0 ? severityBand(score) : (result.level ?? rule?.defaultConfiguration?.level ?? 'warning');
      const resource = { ...(repository ? { repository } : {}), ...(path ? { path } : {}) };
      const tags = rule?.properties?.['tags'];
      const extra = { ...(result.partialFingerprints ?? {}), ...(result.fingerprints ?? {}) };
      const text = result.message.text ?? result.message.markdown ?? rule?.shortDescription?.text ?? ruleId;
      alerts.push({
        source,
        rule: ruleId,
        fingerprint: fingerprintOf({ source, rule: ruleId, resource, extra: Object.keys(extra).length > 0 ? extra : line !== undefined ? { line: String(line) } : undefined }),
        title: `${tool}: ${rule?.name ?? ruleId}${path ? ` in ${path}${line !== undefined ? `:${line}` : ''}` : ''}`,
        summary: text,
        severityLabel: lower(severityLabel),
        resource,
        labels: { tool, rule: ruleId, ...(Array.isArray(tags) ? { tags: tags.filter((t) => typeof t === 'string').join(',') } : {}) },
        url: rule?.helpUri ?? null,
        state: result.baselineState === 'absent' ? 'resolved' : 'firing',
        raw: result,
      });
    }
  }
  return alerts.length > 0 ? { alerts } : { alerts, ignored: 'the SARIF log has no results that need attention (none, or only passes and not-applicable ones)' };
}
