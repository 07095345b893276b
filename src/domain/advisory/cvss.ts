/**
 * CVSS 3.1 and 4.0 vectors: checked metric by metric, then scored by `ae-cvss-calculator`
 * (no scoring is written here). The calculator accepts sloppy vectors (missing base
 * metrics become "X", a repeated metric silently wins, base SC:S passes), so the vector's
 * structure is checked first against the metric definitions the calculator itself
 * registers, and every problem names the metric at fault.
 */
import cvssCalculator from 'ae-cvss-calculator';
import { FirebreakError } from '../errors.js';

// The package is a UMD bundle: Node's ESM loader sees only its default export.
const { Cvss3P1, Cvss4P0 } = cvssCalculator;

export type CvssVersion = '3.1' | '4.0';

/** FIRST's qualitative rating of a score (CVSS 3.1 §5, CVSS 4.0 §6). */
export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export interface CvssScore {
  readonly version: CvssVersion;
  /** The vector with the metrics given, in the specification's order (no defaults filled in). */
  readonly vector: string;
  /** CVSS 3.1: the base score. CVSS 4.0: the score of the vector (CVSS-B, -BT, -BE or -BTE). */
  readonly baseScore: number;
  /** CVSS 3.1 with temporal/environmental metrics: the overall score; otherwise the base score. */
  readonly overallScore: number;
  readonly severity: CvssSeverity;
}

const PREFIX: Record<CvssVersion, string> = { '3.1': 'CVSS:3.1/', '4.0': 'CVSS:4.0/' };

/** Base metric values the specification allows where the calculator is more lenient. */
const STRICT_BASE_VALUES: Partial<Record<CvssVersion, Record<string, readonly string[]>>> = {
  '4.0': { SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'] },
};

interface MetricDefinition {
  readonly group: string;
  readonly values: readonly string[];
}

function createVector(version: CvssVersion, vector?: string) {
  return version === '3.1' ? new Cvss3P1(vector) : new Cvss4P0(vector);
}

const definitionCache = new Map<CvssVersion, Map<string, MetricDefinition>>();

/** Metric short name → group and allowed values, as the calculator registers them. */
export function cvssMetrics(version: CvssVersion): Map<string, MetricDefinition> {
  const cached = definitionCache.get(version);
  if (cached) return cached;
  const metrics = new Map<string, MetricDefinition>();
  for (const [category, components] of createVector(version).getRegisteredComponents()) {
    for (const component of components) {
      const strict = category.name === 'base' ? STRICT_BASE_VALUES[version]?.[component.shortName] : undefined;
      metrics.set(component.shortName, {
        group: category.name,
        values: strict ?? component.values.map((v) => v.shortName),
      });
    }
  }
  definitionCache.set(version, metrics);
  return metrics;
}

export function severityOfScore(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

function invalid(field: string, message: string): FirebreakError {
  return new FirebreakError('FB_ERR_ADVISORY_CVSS_INVALID', `${field}: ${message}`, [{ path: field, message }]);
}

/**
 * The metric order each specification writes vectors in (CVSS 3.1 §6; CVSS 4.0 §7: base,
 * threat, environmental, supplemental). FIRST's JSON schemas and OSV's CVSS_V4 pattern
 * accept only this order, so a vector given in another is rewritten into it.
 */
const SPEC_ORDER: Record<CvssVersion, readonly string[]> = {
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A', 'E', 'RL', 'RC', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA', 'E', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA', 'S', 'AU', 'R', 'V', 'RE', 'U'],
};

/** Which version a vector claims to be, from its prefix. */
export function cvssVersionOf(vector: string): CvssVersion | undefined {
  if (vector.startsWith(PREFIX['3.1'])) return '3.1';
  if (vector.startsWith(PREFIX['4.0'])) return '4.0';
  return undefined;
}

/**
 * Parses, checks and scores a vector. `expected` pins the version (the 3.1 field must hold
 * a 3.1 vector); `field` names the input in errors.
 */
export function scoreCvss(raw: string, field = 'cvss', expected?: CvssVersion): CvssScore {
  const vector = raw.trim();
  const version = cvssVersionOf(vector);
  if (!version) throw invalid(field, `"${vector}" must start with ${expected ? PREFIX[expected] : 'CVSS:3.1/ or CVSS:4.0/'}`);
  if (expected && version !== expected) throw invalid(field, `expected a CVSS ${expected} vector (${PREFIX[expected]}…), got CVSS ${version}`);
  const metrics = cvssMetrics(version);
  const seen = new Set<string>();
  const parts = vector.slice(PREFIX[version].length).split('/');
  for (const part of parts) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!match) throw invalid(field, `"${part}" is not a metric:value pair (e.g. AV:N)`);
    const [, metric, value] = match as unknown as [string, string, string];
    const definition = metrics.get(metric);
    if (!definition) throw invalid(field, `unknown metric ${metric} in a CVSS ${version} vector`);
    if (seen.has(metric)) throw invalid(field, `metric ${metric} appears twice`);
    seen.add(metric);
    const allowed = definition.group === 'base' ? definition.values.filter((v) => v !== 'X') : definition.values;
    if (!allowed.includes(value)) throw invalid(field, `metric ${metric} has value ${value}; allowed: ${allowed.join(', ')}`);
  }
  const missing = [...metrics].filter(([name, d]) => d.group === 'base' && !seen.has(name)).map(([name]) => name);
  if (missing.length > 0) throw invalid(field, `base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);

  const given = new Map(parts.map((part) => part.split(':') as [string, string]));
  const normal = `${PREFIX[version]}${SPEC_ORDER[version].filter((m) => given.has(m)).map((m) => `${m}:${given.get(m)}`).join('/')}`;
  const scores = createVector(version, normal).calculateScores();
  const baseScore = version === '3.1' ? (scores.base ?? scores.overall) : scores.overall;
  return { version, vector: normal, baseScore, overallScore: scores.overall, severity: severityOfScore(baseScore) };
}

/** The metrics of a vector `scoreCvss` accepted, in the specification's order: `{ AV: 'N', AC: 'L', … }`. */
export function vectorMetrics(score: Pick<CvssScore, 'version' | 'vector'>): Record<string, string> {
  const pairs = score.vector.slice(PREFIX[score.version].length).split('/');
  return Object.fromEntries(pairs.map((pair) => pair.split(':') as [string, string]));
}
