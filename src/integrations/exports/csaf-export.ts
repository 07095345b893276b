/**
 * CSAF 2.0 documents (OASIS Common Security Advisory Framework): the security-advisory
 * profile for one advisory, the VEX profile for one advisory (its own product status plus
 * the VEX register's statements about the same vulnerability), and a VEX document for the
 * whole register. Product ids are assigned here, in order, so the same input always gives
 * the same document. CSAF 2.0 carries CVSS v2/v3 scores only; a 4.0 vector goes in a note.
 */
import type { AffectedPackage, Ecosystem } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryDocument } from '../../domain/advisory/advisory-document.js';
import type { VexStatement } from '../../domain/vex/vex-statement.js';
import { isCveId } from '../../domain/vex/vex-statement.js';

export interface CsafPublisher {
  readonly name: string;
  /** A URL the publisher controls, e.g. https://example.org. */
  readonly namespace: string;
  readonly category?: 'vendor' | 'coordinator' | 'discoverer' | 'other' | 'translator' | 'user';
  readonly contactDetails?: string;
}

export const CSAF_GENERATOR = { engine: { name: 'Firebreak', version: '0.1.0' } };

/** Package-URL types, used as the `vers:` scheme of version ranges. */
const VERS_SCHEME: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  Maven: 'maven',
  Go: 'golang',
  'crates.io': 'cargo',
  NuGet: 'nuget',
  'GitHub Actions': 'github',
  generic: 'generic',
};

export function versRange(pkg: AffectedPackage): string {
  const constraints = [
    ...(pkg.introduced !== '0' ? [`>=${pkg.introduced}`] : []),
    ...(pkg.fixed ? [`<${pkg.fixed}`] : pkg.lastAffected ? [`<=${pkg.lastAffected}`] : []),
  ];
  return `vers:${VERS_SCHEME[pkg.ecosystem]}/${constraints.join('|') || '*'}`;
}

type Branch = { category: string; name: string; branches?: Branch[]; product?: { product_id: string; name: string } };

/** Builds the product tree as products are registered; ids are CSAFPID-1, -2, … */
class ProductTree {
  private readonly vendors = new Map<string, Map<string, Branch[]>>();
  private readonly ids = new Map<string, string>();

  constructor(private readonly vendor: string) {}

  add(productName: string, category: 'product_version' | 'product_version_range', version: string): string {
    const key = JSON.stringify([productName, category, version]);
    const existing = this.ids.get(key);
    if (existing) return existing;
    const id = `CSAFPID-${this.ids.size + 1}`;
    this.ids.set(key, id);
    const products = this.vendors.get(this.vendor) ?? new Map<string, Branch[]>();
    this.vendors.set(this.vendor, products);
    const leaves = products.get(productName) ?? [];
    products.set(productName, leaves);
    const label = category === 'product_version' ? `${productName} ${version}` : `${productName} ${version.replace(/^vers:[^/]+\//, '')}`;
    leaves.push({ category, name: version, product: { product_id: id, name: label } });
    return id;
  }

  toJson(): { branches: Branch[] } {
    return {
      branches: [...this.vendors].map(([vendor, products]) => ({
        category: 'vendor',
        name: vendor,
        branches: [...products].map(([name, leaves]) => ({ category: 'product_name', name, branches: leaves })),
      })),
    };
  }
}

const CVSS_SEVERITY = { none: 'NONE', low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' } as const;

function tracking(doc: Pick<AdvisoryDocument, 'id' | 'status' | 'revision' | 'revisions' | 'initialReleaseAt' | 'currentReleaseAt'>) {
  return {
    id: doc.id,
    status: doc.status,
    version: String(doc.revision),
    revision_history: doc.revisions.map((r) => ({ number: String(r.revision), date: r.date, summary: r.summary })),
    initial_release_date: doc.initialReleaseAt,
    current_release_date: doc.currentReleaseAt,
    generator: CSAF_GENERATOR,
  };
}

function publisherJson(publisher: CsafPublisher) {
  return {
    category: publisher.category ?? 'vendor',
    name: publisher.name,
    namespace: publisher.namespace,
    ...(publisher.contactDetails ? { contact_details: publisher.contactDetails } : {}),
  };
}

function vulnerabilityIds(id: string, system: string): { cve?: string; ids?: { system_name: string; text: string }[] } {
  return isCveId(id) ? { cve: id } : { ids: [{ system_name: system, text: id }] };
}

interface StatusSets {
  known_affected: string[];
  fixed: string[];
  known_not_affected: string[];
  under_investigation: string[];
}

/** Adds the register's statements to a vulnerability: status, flags, threats, remediations. */
function applyStatements(tree: ProductTree, statements: readonly VexStatement[], status: StatusSets) {
  const flags = new Map<string, string[]>();
  const threats: { category: 'impact'; details: string; product_ids: string[] }[] = [];
  const remediations: { category: string; details: string; product_ids: string[] }[] = [];
  for (const s of statements) {
    const id = tree.add(s.product, 'product_version', s.version);
    switch (s.status) {
      case 'not_affected': {
        status.known_not_affected.push(id);
        const label = s.justification ?? 'vulnerable_code_not_present';
        flags.set(label, [...(flags.get(label) ?? []), id]);
        threats.push({ category: 'impact', details: s.impactStatement ?? `Not affected: ${label.replaceAll('_', ' ')}.`, product_ids: [id] });
        break;
      }
      case 'affected':
        status.known_affected.push(id);
        remediations.push({ category: 'workaround', details: s.actionStatement ?? 'No action statement recorded.', product_ids: [id] });
        break;
      case 'fixed':
        status.fixed.push(id);
        break;
      case 'under_investigation':
        status.under_investigation.push(id);
        break;
    }
  }
  return { flags: [...flags].map(([label, product_ids]) => ({ label, product_ids })), threats, remediations };
}

function compactStatus(status: StatusSets): Partial<StatusSets> {
  return Object.fromEntries(Object.entries(status).filter(([, ids]) => ids.length > 0).map(([k, ids]) => [k, [...new Set(ids)]]));
}

function advisoryCsaf(doc: AdvisoryDocument, publisher: CsafPublisher, profile: 'csaf_security_advisory' | 'csaf_vex', statements: readonly VexStatement[]) {
  const c = doc.content;
  const tree = new ProductTree(publisher.name);
  const status: StatusSets = { known_affected: [], fixed: [], known_not_affected: [], under_investigation: [] };
  for (const pkg of c.packages) {
    status.known_affected.push(tree.add(pkg.name, 'product_version_range', versRange(pkg)));
    if (pkg.fixed) status.fixed.push(tree.add(pkg.name, 'product_version', pkg.fixed));
  }
  const affected = [...status.known_affected];
  const fromRegister = applyStatements(tree, statements, status);
  const cve = c.cve && isCveId(c.cve) ? c.cve : null;
  const cwe = c.cwes.find((w) => w.name);
  const notes = [
    { category: 'description', title: 'Description', text: c.summary ?? c.title },
    ...(c.impact ? [{ category: 'details', title: 'Impact', text: c.impact }] : []),
    ...(c.components.length ? [{ category: 'details', title: 'Affected components', text: c.components.join(', ') }] : []),
    ...(doc.cvss.v4 ? [{ category: 'other', title: 'CVSS 4.0', text: `${doc.cvss.v4.vector} (score ${doc.cvss.v4.baseScore}, ${doc.cvss.v4.severity})` }] : []),
  ];
  const remediations = [
    ...(c.resolution && affected.length ? [{ category: 'vendor_fix', details: c.resolution, product_ids: affected }] : []),
    ...(c.mitigation && affected.length ? [{ category: 'mitigation', details: c.mitigation, product_ids: affected }] : []),
    ...fromRegister.remediations,
  ];
  const scored = [...new Set([...affected, ...fromRegister.remediations.flatMap((r) => r.product_ids)])];
  const vulnerability = {
    ...(cve ? { cve } : {}),
    ids: [{ system_name: `${publisher.name} advisory`, text: doc.id }],
    ...(cwe ? { cwe: { id: cwe.id, name: cwe.name } } : {}),
    title: c.title,
    notes,
    product_status: compactStatus(status),
    ...(doc.cvss.v3 && scored.length
      ? {
          scores: [
            {
              products: scored,
              cvss_v3: { version: '3.1', vectorString: doc.cvss.v3.vector, baseScore: doc.cvss.v3.baseScore, baseSeverity: CVSS_SEVERITY[doc.cvss.v3.severity] },
            },
          ],
        }
      : {}),
    ...(remediations.length ? { remediations } : {}),
    ...(fromRegister.flags.length ? { flags: fromRegister.flags } : {}),
    ...(fromRegister.threats.length ? { threats: fromRegister.threats } : {}),
    ...(c.references.length ? { references: c.references.map((r) => ({ category: 'external', summary: r.type.toLowerCase(), url: r.url })) } : {}),
    ...(doc.credit ? { acknowledgments: [{ names: [doc.credit] }] } : {}),
  };
  return {
    document: {
      category: profile,
      csaf_version: '2.0',
      lang: 'en',
      title: c.title,
      publisher: publisherJson(publisher),
      distribution: { tlp: { label: 'WHITE' } },
      notes: [{ category: 'summary', title: 'Summary', text: c.summary ?? c.title }],
      tracking: tracking(doc),
    },
    product_tree: tree.toJson(),
    vulnerabilities: [vulnerability],
  };
}

/** CSAF 2.0 security advisory for one advisory. */
export function toCsafAdvisory(doc: AdvisoryDocument, publisher: CsafPublisher): Record<string, unknown> {
  return advisoryCsaf(doc, publisher, 'csaf_security_advisory', []);
}

/** CSAF 2.0 VEX for one advisory, with the register's statements about its vulnerability. */
export function toCsafVex(doc: AdvisoryDocument, publisher: CsafPublisher, statements: readonly VexStatement[] = []): Record<string, unknown> {
  const own = new Set([doc.id, ...(doc.content.cve && isCveId(doc.content.cve) ? [doc.content.cve] : [])]);
  return advisoryCsaf(doc, publisher, 'csaf_vex', statements.filter((s) => own.has(s.vulnerability)));
}

/** CSAF 2.0 VEX for the whole register: one vulnerability per CVE or advisory id. */
export function registerToCsafVex(
  statements: readonly VexStatement[],
  publisher: CsafPublisher,
  meta: { id: string; title: string; at: string },
): Record<string, unknown> {
  const tree = new ProductTree(publisher.name);
  const byVulnerability = new Map<string, VexStatement[]>();
  for (const s of statements) byVulnerability.set(s.vulnerability, [...(byVulnerability.get(s.vulnerability) ?? []), s]);
  const vulnerabilities = [...byVulnerability].map(([id, list]) => {
    const status: StatusSets = { known_affected: [], fixed: [], known_not_affected: [], under_investigation: [] };
    const extra = applyStatements(tree, list, status);
    return {
      ...vulnerabilityIds(id, `${publisher.name} advisory`),
      notes: [{ category: 'description', title: 'VEX register', text: `Status of ${id} in ${publisher.name} products, from the VEX register.` }],
      product_status: compactStatus(status),
      ...(extra.flags.length ? { flags: extra.flags } : {}),
      ...(extra.threats.length ? { threats: extra.threats } : {}),
      ...(extra.remediations.length ? { remediations: extra.remediations } : {}),
    };
  });
  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      lang: 'en',
      title: meta.title,
      publisher: publisherJson(publisher),
      distribution: { tlp: { label: 'WHITE' } },
      tracking: tracking({ id: meta.id, status: 'final', revision: 1, revisions: [{ revision: 1, date: meta.at, summary: 'Export of the VEX register' }], initialReleaseAt: meta.at, currentReleaseAt: meta.at }),
    },
    product_tree: tree.toJson(),
    vulnerabilities,
  };
}
