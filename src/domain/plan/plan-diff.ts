/**
 * What changed between two versions of a plan, as a list of paths: each section is
 * compared by its canonical JSON, and only differing sections are walked further. Lists
 * of things with ids (severities, roles, phases, checklist items…) are matched by id, so
 * a path reads `phases[containment].checklist[confirm-vulnerability].due.P1` rather than
 * by position, and reordering alone is reported once as `order`.
 */
import { canonicalJson } from '../chain/canonical-json.js';

export interface PlanChange {
  readonly path: string;
  readonly change: 'added' | 'removed' | 'changed' | 'order';
  readonly before?: unknown;
  readonly after?: unknown;
}

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasIds(list: readonly Json[]): list is Record<string, Json>[] {
  return list.every((item) => isRecord(item) && typeof item['id'] === 'string');
}

function same(a: Json, b: Json): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function walk(path: string, a: Json, b: Json, out: PlanChange[]): void {
  if (same(a, b)) return;
  if (a === undefined) {
    out.push({ path, change: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, change: 'removed', before: a });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && hasIds(a) && hasIds(b)) {
    const before = new Map(a.map((item) => [item['id'] as string, item]));
    const after = new Map(b.map((item) => [item['id'] as string, item]));
    for (const [id, item] of before) walk(`${path}[${id}]`, item, after.get(id), out);
    for (const [id, item] of after) if (!before.has(id)) out.push({ path: `${path}[${id}]`, change: 'added', after: item });
    const common = (list: Record<string, Json>[], other: Map<string, Json>) => list.map((i) => i['id'] as string).filter((id) => other.has(id));
    if (common(a, after).join('\u0000') !== common(b, before).join('\u0000')) out.push({ path, change: 'order', before: a.map((i) => i['id']), after: b.map((i) => i['id']) });
    return;
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) walk(path ? `${path}.${key}` : key, a[key], b[key], out);
    return;
  }
  out.push({ path, change: 'changed', before: a, after: b });
}

/** The changes from plan `a` to plan `b` (both as stored, i.e. parsed and validated). */
export function diffPlans(a: unknown, b: unknown): PlanChange[] {
  const out: PlanChange[] = [];
  walk('', a, b, out);
  return out;
}
