/**
 * The advisory shaped for GitHub's repository security advisory API
 * (POST /repos/{owner}/{repo}/security-advisories): GitHub's ecosystem names, version
 * ranges in its `>= a, < b` notation, and either a CVSS vector or a severity (never both,
 * the API refuses that). Credits need a GitHub login, so a credited name that is not a
 * valid login is left to the description's credit line.
 */
import type { Ecosystem } from '../../domain/advisory/advisory-content.js';
import { vulnerableRange } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryDocument } from '../../domain/advisory/advisory-document.js';
import { osvDetails } from './osv-export.js';

const GITHUB_ECOSYSTEM: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pip',
  Maven: 'maven',
  Go: 'go',
  'crates.io': 'rust',
  NuGet: 'nuget',
  'GitHub Actions': 'actions',
  generic: 'other',
};

const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function toGhsa(doc: AdvisoryDocument): Record<string, unknown> {
  const c = doc.content;
  const vector = doc.cvss.v3?.vector ?? doc.cvss.v4?.vector ?? null;
  const creditLine = doc.credit ? `\n\n### Credit\n${doc.credit}` : '';
  return {
    summary: c.title,
    description: `${osvDetails(doc)}${creditLine}`,
    ...(vector ? { cvss_vector_string: vector } : { severity: doc.severity === 'none' ? 'low' : doc.severity }),
    cve_id: c.cve?.startsWith('CVE-') ? c.cve : null,
    cwe_ids: c.cwes.map((w) => w.id),
    vulnerabilities: c.packages.map((pkg) => ({
      package: { ecosystem: GITHUB_ECOSYSTEM[pkg.ecosystem], name: pkg.name },
      vulnerable_version_range: vulnerableRange(pkg).replace('all versions', '>= 0'),
      patched_versions: pkg.fixed ?? null,
      vulnerable_functions: [],
    })),
    credits: doc.credit && GITHUB_LOGIN.test(doc.credit) ? [{ login: doc.credit, type: 'reporter' }] : [],
  };
}
