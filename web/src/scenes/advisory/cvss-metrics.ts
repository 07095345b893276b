/**
 * The CVSS base metrics the builder offers, with the names FIRST's specifications give
 * them (3.1 §2, 4.0 §2), and the two conversions the builder needs: picked values →
 * vector string, and a pasted vector → picked values. Only labels and order live here;
 * checking and scoring stay on the server (`POST /cvss/score`, ae-cvss-calculator), which
 * names the metric at fault when a vector is wrong.
 */
import type { CvssVersion } from '../../api/types.js';

export interface CvssMetric {
  readonly key: string;
  readonly name: string;
  readonly values: readonly { readonly value: string; readonly label: string }[];
}

const impact = (key: string, name: string): CvssMetric => ({
  key,
  name,
  values: [
    { value: 'H', label: 'High' },
    { value: 'L', label: 'Low' },
    { value: 'N', label: 'None' },
  ],
});

const ATTACK_VECTOR: CvssMetric = {
  key: 'AV',
  name: 'Attack Vector',
  values: [
    { value: 'N', label: 'Network' },
    { value: 'A', label: 'Adjacent' },
    { value: 'L', label: 'Local' },
    { value: 'P', label: 'Physical' },
  ],
};
const ATTACK_COMPLEXITY: CvssMetric = {
  key: 'AC',
  name: 'Attack Complexity',
  values: [
    { value: 'L', label: 'Low' },
    { value: 'H', label: 'High' },
  ],
};
const PRIVILEGES: CvssMetric = {
  key: 'PR',
  name: 'Privileges Required',
  values: [
    { value: 'N', label: 'None' },
    { value: 'L', label: 'Low' },
    { value: 'H', label: 'High' },
  ],
};

export const CVSS_BASE_METRICS: Record<CvssVersion, readonly CvssMetric[]> = {
  '3.1': [
    ATTACK_VECTOR,
    ATTACK_COMPLEXITY,
    PRIVILEGES,
    {
      key: 'UI',
      name: 'User Interaction',
      values: [
        { value: 'N', label: 'None' },
        { value: 'R', label: 'Required' },
      ],
    },
    {
      key: 'S',
      name: 'Scope',
      values: [
        { value: 'U', label: 'Unchanged' },
        { value: 'C', label: 'Changed' },
      ],
    },
    impact('C', 'Confidentiality'),
    impact('I', 'Integrity'),
    impact('A', 'Availability'),
  ],
  '4.0': [
    ATTACK_VECTOR,
    ATTACK_COMPLEXITY,
    {
      key: 'AT',
      name: 'Attack Requirements',
      values: [
        { value: 'N', label: 'None' },
        { value: 'P', label: 'Present' },
      ],
    },
    PRIVILEGES,
    {
      key: 'UI',
      name: 'User Interaction',
      values: [
        { value: 'N', label: 'None' },
        { value: 'P', label: 'Passive' },
        { value: 'A', label: 'Active' },
      ],
    },
    impact('VC', 'Vulnerable System Confidentiality'),
    impact('VI', 'Vulnerable System Integrity'),
    impact('VA', 'Vulnerable System Availability'),
    impact('SC', 'Subsequent System Confidentiality'),
    impact('SI', 'Subsequent System Integrity'),
    impact('SA', 'Subsequent System Availability'),
  ],
};

export const CVSS_PREFIX: Record<CvssVersion, string> = { '3.1': 'CVSS:3.1/', '4.0': 'CVSS:4.0/' };

/** The metrics of a vector in the order given, plus anything that is not `KEY:VALUE`. */
export interface ParsedVector {
  readonly metrics: ReadonlyMap<string, string>;
  /** Parts the pickers cannot show (the server's answer will name them). */
  readonly unreadable: readonly string[];
}

/** Reads a pasted vector leniently: the pickers show what they can, the server judges. */
export function parseVector(version: CvssVersion, vector: string): ParsedVector {
  const text = vector.trim();
  const body = text.startsWith(CVSS_PREFIX[version]) ? text.slice(CVSS_PREFIX[version].length) : text.replace(/^CVSS:[^/]*\//, '');
  const metrics = new Map<string, string>();
  const unreadable: string[] = [];
  for (const part of body.split('/').filter(Boolean)) {
    const match = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (match?.[1] && match[2] && !metrics.has(match[1])) metrics.set(match[1], match[2]);
    else unreadable.push(part);
  }
  return { metrics, unreadable };
}

/**
 * The vector for the picked values: base metrics in the specification's order, then any
 * other metrics the pasted vector carried (temporal, environmental, supplemental), kept
 * as they were. Unpicked base metrics are left out, so the server says which are missing.
 */
export function buildVector(version: CvssVersion, picked: ReadonlyMap<string, string>): string {
  const base = CVSS_BASE_METRICS[version];
  const baseKeys = new Set(base.map((m) => m.key));
  const parts = base.filter((m) => picked.has(m.key)).map((m) => `${m.key}:${picked.get(m.key)}`);
  for (const [key, value] of picked) if (!baseKeys.has(key)) parts.push(`${key}:${value}`);
  return parts.length === 0 ? '' : `${CVSS_PREFIX[version]}${parts.join('/')}`;
}

export const SEVERITY_COLORS: Record<string, string> = { none: 'gray', low: 'teal', medium: 'yellow', high: 'orange', critical: 'red' };
