/**
 * OSV JSON (https://ossf.github.io/osv-schema/) for one published advisory: what scanners
 * such as osv-scanner read. Ids get the `x_` prefix the schema reserves for databases that
 * are not aggregated by osv.dev; the plain id stays in `database_specific`.
 * Generic (non-registry) packages have no OSV ecosystem and are listed there too.
 */
import semver from 'semver';
import { type AffectedPackage, SEMVER_ECOSYSTEMS } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryDocument } from '../../domain/advisory/advisory-document.js';

export const OSV_SCHEMA_VERSION = '1.7.5';

export function osvId(advisoryId: string): string {
  return `x_${advisoryId}`;
}

function version(pkg: AffectedPackage, value: string): string {
  if (value === '0' || !SEMVER_ECOSYSTEMS.has(pkg.ecosystem)) return value;
  return semver.valid(value) ?? value;
}

function osvRange(pkg: AffectedPackage) {
  const events: Record<string, string>[] = [{ introduced: version(pkg, pkg.introduced) }];
  if (pkg.fixed) events.push({ fixed: version(pkg, pkg.fixed) });
  else if (pkg.lastAffected) events.push({ last_affected: version(pkg, pkg.lastAffected) });
  return { type: SEMVER_ECOSYSTEMS.has(pkg.ecosystem) ? 'SEMVER' : 'ECOSYSTEM', events };
}

export function osvDetails(doc: AdvisoryDocument): string {
  const c = doc.content;
  const sections: [string, string | undefined][] = [
    ['', c.summary],
    ['Impact', c.impact],
    ['Affected components', c.components.length ? c.components.join(', ') : undefined],
    ['Mitigation', c.mitigation],
    ['Resolution', c.resolution],
  ];
  return sections
    .filter((s): s is [string, string] => Boolean(s[1]))
    .map(([title, text]) => (title ? `### ${title}\n${text}` : text))
    .join('\n\n');
}

export function toOsv(doc: AdvisoryDocument): Record<string, unknown> {
  const c = doc.content;
  const severity = [
    ...(doc.cvss.v3 ? [{ type: 'CVSS_V3', score: doc.cvss.v3.vector }] : []),
    ...(doc.cvss.v4 ? [{ type: 'CVSS_V4', score: doc.cvss.v4.vector }] : []),
  ];
  const registered = c.packages.filter((p) => p.ecosystem !== 'generic');
  const generic = c.packages.filter((p) => p.ecosystem === 'generic');
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(doc.id),
    modified: doc.currentReleaseAt,
    published: doc.initialReleaseAt,
    aliases: c.cve && c.cve !== 'none' && c.cve !== 'reserved' ? [c.cve] : [],
    summary: c.title,
    details: osvDetails(doc),
    ...(severity.length ? { severity } : {}),
    affected: registered.map((pkg) => ({ package: { ecosystem: pkg.ecosystem, name: pkg.name }, ranges: [osvRange(pkg)] })),
    references: c.references.map((r) => ({ type: r.type, url: r.url })),
    ...(doc.credit ? { credits: [{ name: doc.credit, type: 'FINDER' }] } : {}),
    database_specific: {
      advisory_id: doc.id,
      revision: doc.revision,
      severity: doc.severity,
      cwe_ids: c.cwes.map((w) => w.id),
      ...(generic.length ? { generic_affected: generic.map((p) => ({ name: p.name, introduced: p.introduced, fixed: p.fixed ?? null, last_affected: p.lastAffected ?? null })) } : {}),
    },
  };
}
