/**
 * What the editor sends: the fields the user changed, as the `{changes}` of
 * `PATCH /advisories/:id` (a cleared optional field is `null`, an emptied list is `[]`),
 * and where the server's "missing for publish" and field errors belong in the form.
 */
import type { AdvisoryChanges, AdvisoryContent, Ecosystem } from '../../api/types.js';

export const ECOSYSTEMS = ['npm', 'PyPI', 'Maven', 'Go', 'crates.io', 'NuGet', 'GitHub Actions', 'generic'] as const satisfies readonly Ecosystem[];
/** Fails to compile when the server gains an ecosystem the editor does not offer. */
export const ECOSYSTEMS_ARE_COMPLETE: Exclude<Ecosystem, (typeof ECOSYSTEMS)[number]> extends never ? true : never = true;

export const REFERENCE_TYPES = ['ADVISORY', 'ARTICLE', 'FIX', 'PACKAGE', 'REPORT', 'WEB', 'EVIDENCE', 'INTRODUCED', 'GIT', 'DETECTION', 'DISCUSSION'] as const satisfies readonly AdvisoryContent['references'][number]['type'][];

const OPTIONAL_TEXT = ['summary', 'impact', 'cvssV3', 'cvssV4', 'cve', 'mitigation', 'resolution', 'fixedAt', 'releasedAt'] as const;

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** The edited content with blank text removed and half-typed list rows dropped. */
export function normalise(edited: AdvisoryContent): AdvisoryContent {
  const next: Record<string, unknown> = { ...edited, title: edited.title.trim() };
  for (const key of OPTIONAL_TEXT) {
    const value = blank(edited[key]);
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  next['components'] = edited.components.map((c) => c.trim()).filter(Boolean);
  next['cwes'] = edited.cwes.filter((c) => c.id.trim() !== '').map((c) => (blank(c.name) ? { id: c.id.trim(), name: blank(c.name) } : { id: c.id.trim() }));
  next['packages'] = edited.packages
    .filter((p) => p.name.trim() !== '' || p.introduced.trim() !== '' || blank(p.fixed) || blank(p.lastAffected))
    .map((p) => {
      const row: Record<string, string> = { ecosystem: p.ecosystem, name: p.name.trim(), introduced: p.introduced.trim() };
      const fixed = blank(p.fixed);
      const last = blank(p.lastAffected);
      if (fixed) row['fixed'] = fixed;
      if (last) row['lastAffected'] = last;
      return row;
    });
  next['references'] = edited.references.filter((r) => r.url.trim() !== '').map((r) => ({ url: r.url.trim(), type: r.type }));
  if (edited.credit) {
    const name = blank(edited.credit.name);
    next['credit'] = name ? { consent: edited.credit.consent, name } : { consent: edited.credit.consent };
  }
  return next as AdvisoryContent;
}

/** The PATCH body: each field whose value differs from what the server holds. */
export function contentChanges(saved: AdvisoryContent, edited: AdvisoryContent): AdvisoryChanges {
  const next = normalise(edited) as Record<string, unknown>;
  const before = saved as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(next)])) {
    if (JSON.stringify(before[key] ?? null) === JSON.stringify(next[key] ?? null)) continue;
    changes[key] = next[key] ?? null;
  }
  return changes as AdvisoryChanges;
}

/** `saved` with `changes` applied (`null` removes a field): the form after a rebase. */
export function applyChanges(saved: AdvisoryContent, changes: AdvisoryChanges): AdvisoryContent {
  const next: Record<string, unknown> = { ...saved };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as AdvisoryContent;
}

/**
 * Someone saved while the user was editing: keep the user's changes on top of the new
 * content (so saving never reverts the other person's edits to fields the user did not
 * touch) and report the fields both changed, where the user's value is about to win.
 */
export function rebase(base: AdvisoryContent, edited: AdvisoryContent, latest: AdvisoryContent): { content: AdvisoryContent; conflicts: string[] } {
  const mine = contentChanges(base, edited);
  const theirs = contentChanges(base, latest);
  const conflicts = Object.keys(mine).filter((key) => key in theirs && JSON.stringify((mine as Record<string, unknown>)[key]) !== JSON.stringify((theirs as Record<string, unknown>)[key]));
  return { content: applyChanges(latest, mine), conflicts };
}

/** Problems whose field path is `field` or lies under it (`packages` covers `packages.0.fixed`). */
export function problemsAt(problems: ReadonlyMap<string, string>, field: string): string | undefined {
  const found: string[] = [];
  for (const [path, message] of problems) {
    if (path === field || path.startsWith(`${field}.`) || path.startsWith(`${field} `)) found.push(message);
  }
  return found.length > 0 ? found.join('; ') : undefined;
}
