/**
 * A field-level comparison of two JSON documents (two revisions of an advisory): each is
 * flattened to `path → value` (`content.packages.0.fixed`) and every path is listed with
 * its value on either side. No text-diff algorithm: advisories are structured, and which
 * fields changed is what a reviewer of a revision wants to see.
 */

/** Leaf values by dotted path; empty arrays and objects are leaves too. */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix || '(document)', typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

export interface FieldDiff {
  readonly path: string;
  /** The value in the first document; undefined when the field is absent there. */
  readonly before: string | undefined;
  readonly after: string | undefined;
}

/** Every path of either document, in natural order (`packages.2` before `packages.10`). */
export function diffDocuments(before: unknown, after: unknown): FieldDiff[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x.localeCompare(y, undefined, { numeric: true }));
  return paths.map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}
