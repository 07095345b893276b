/**
 * What an advisory says: the zod schema of its editable content (shared by the CLI, the
 * HTTP API and the web editor), the checks zod cannot express (CVSS vectors scored by the
 * calculator, version ranges compared with `semver` in the ecosystems that use it, credit
 * only with consent) and the list of fields publishing requires.
 */
import semver from 'semver';
import { z } from 'zod';
import { FirebreakError, type FieldProblem } from '../errors.js';
import type { ReporterInfo } from '../incident/events.js';
import { type CvssScore, scoreCvss } from './cvss.js';

export const ECOSYSTEMS = ['npm', 'PyPI', 'Maven', 'Go', 'crates.io', 'NuGet', 'GitHub Actions', 'generic'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** Ecosystems whose versions are SemVer, so ranges are checked and exported as SEMVER. */
export const SEMVER_ECOSYSTEMS: ReadonlySet<Ecosystem> = new Set(['npm', 'Go', 'crates.io']);

export const CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;
export const CWE_PATTERN = /^CWE-\d+$/;

const Text = z.string().trim().min(1, 'must not be empty');
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date (YYYY-MM-DD) or ISO 8601 date-time');

export const CweSchema = z.object({
  id: z.string().trim().regex(CWE_PATTERN, 'must look like CWE-79'),
  /** The CWE catalogue's name; CSAF requires it, and its validator checks it matches. */
  name: Text.optional(),
});

export const AffectedPackageSchema = z.object({
  ecosystem: z.enum(ECOSYSTEMS),
  name: Text,
  /** First affected version; "0" means every version before `fixed`. */
  introduced: Text,
  fixed: Text.optional(),
  /** Last affected version, when no fix exists yet. */
  lastAffected: Text.optional(),
});

export const ReferenceSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  type: z.enum(['ADVISORY', 'ARTICLE', 'FIX', 'PACKAGE', 'REPORT', 'WEB', 'EVIDENCE', 'INTRODUCED', 'GIT', 'DETECTION', 'DISCUSSION']).default('WEB'),
});

export const CreditSchema = z.object({
  /** The reporter agreed to be named. Without it nobody is credited. */
  consent: z.boolean(),
  /** Name to credit; defaults to the reporter's name. */
  name: Text.optional(),
});

/** `CVE-YYYY-NNNN…`, or `reserved` (requested, not yet assigned) or `none` (not requesting one). */
export const CveSchema = z.string().trim().refine((v) => v === 'reserved' || v === 'none' || CVE_PATTERN.test(v), 'must be CVE-YYYY-NNNN, "reserved" or "none"');

export const AdvisoryContentSchema = z.object({
  title: Text,
  summary: Text.optional(),
  impact: Text.optional(),
  components: z.array(Text).default([]),
  cwes: z.array(CweSchema).default([]),
  cvssV3: Text.optional(),
  cvssV4: Text.optional(),
  cve: CveSchema.optional(),
  packages: z.array(AffectedPackageSchema).default([]),
  mitigation: Text.optional(),
  resolution: Text.optional(),
  credit: CreditSchema.optional(),
  references: z.array(ReferenceSchema).default([]),
  /** Overrides for the timeline when the incident log does not show them. */
  fixedAt: IsoDate.optional(),
  releasedAt: IsoDate.optional(),
});

export type AdvisoryContent = z.infer<typeof AdvisoryContentSchema>;
export type AffectedPackage = z.infer<typeof AffectedPackageSchema>;
export type AdvisoryCwe = z.infer<typeof CweSchema>;
export type AdvisoryReference = z.infer<typeof ReferenceSchema>;

/** An edit: each key sets a field; `null` clears an optional one. */
export const AdvisoryChangesSchema = z
  .object({
    title: Text,
    summary: Text.nullable(),
    impact: Text.nullable(),
    components: z.array(Text),
    cwes: z.array(CweSchema),
    cvssV3: Text.nullable(),
    cvssV4: Text.nullable(),
    cve: CveSchema.nullable(),
    packages: z.array(AffectedPackageSchema),
    mitigation: Text.nullable(),
    resolution: Text.nullable(),
    credit: CreditSchema.nullable(),
    references: z.array(ReferenceSchema),
    fixedAt: IsoDate.nullable(),
    releasedAt: IsoDate.nullable(),
  })
  .partial()
  .strict();

export type AdvisoryChanges = z.infer<typeof AdvisoryChangesSchema>;

function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(advisory)', message: issue.message }));
}

function invalid(problems: readonly FieldProblem[]): FirebreakError {
  return new FirebreakError('FB_ERR_INPUT_INVALID', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

/** Version check for one package range; SemVer ecosystems get real comparisons. */
function packageProblems(pkg: AffectedPackage, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (pkg.fixed !== undefined && pkg.lastAffected !== undefined) {
    problems.push({ path: `${at}.lastAffected`, message: 'give either fixed or lastAffected, not both' });
  }
  if (pkg.ecosystem === 'Maven' && !/^[^:\s]+:[^:\s]+$/.test(pkg.name)) {
    problems.push({ path: `${at}.name`, message: 'a Maven package is groupId:artifactId' });
  }
  if (pkg.ecosystem === 'GitHub Actions' && !/^[^/\s]+\/[^\s]+$/.test(pkg.name)) {
    problems.push({ path: `${at}.name`, message: 'a GitHub Action is owner/repo' });
  }
  if (!SEMVER_ECOSYSTEMS.has(pkg.ecosystem)) return problems;
  const parse = (field: 'introduced' | 'fixed' | 'lastAffected'): string | undefined => {
    const value = pkg[field];
    if (value === undefined || (field === 'introduced' && value === '0')) return undefined;
    const valid = semver.valid(value);
    if (!valid) problems.push({ path: `${at}.${field}`, message: `"${value}" is not a SemVer version (${pkg.ecosystem} uses SemVer, e.g. 1.4.2)` });
    return valid ?? undefined;
  };
  const introduced = parse('introduced');
  const fixed = parse('fixed');
  const last = parse('lastAffected');
  if (introduced && fixed && !semver.gt(fixed, introduced)) {
    problems.push({ path: `${at}.fixed`, message: `fixed version ${pkg.fixed} must be later than introduced ${pkg.introduced}` });
  }
  if (introduced && last && semver.lt(last, introduced)) {
    problems.push({ path: `${at}.lastAffected`, message: `last affected version ${pkg.lastAffected} is earlier than introduced ${pkg.introduced}` });
  }
  return problems;
}

export interface AdvisoryCvss {
  readonly v3: CvssScore | null;
  readonly v4: CvssScore | null;
}

/** Scores both vectors (each error names the field and the metric). */
export function scoreContent(content: Pick<AdvisoryContent, 'cvssV3' | 'cvssV4'>): AdvisoryCvss {
  return {
    v3: content.cvssV3 ? scoreCvss(content.cvssV3, 'cvssV3', '3.1') : null,
    v4: content.cvssV4 ? scoreCvss(content.cvssV4, 'cvssV4', '4.0') : null,
  };
}

/** The score that decides the severity: CVSS 4.0 when given, else 3.1. */
export function primaryCvss(cvss: AdvisoryCvss): CvssScore | null {
  return cvss.v4 ?? cvss.v3;
}

/**
 * Parses and checks a whole content object (zod, then versions, CVSS and credit).
 * Throws FB_ERR_INPUT_INVALID listing every problem, or FB_ERR_ADVISORY_CVSS_INVALID.
 */
export function checkContent(input: unknown, reporter: ReporterInfo): AdvisoryContent {
  const parsed = AdvisoryContentSchema.safeParse(input);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  const content = parsed.data;
  const problems = content.packages.flatMap((pkg, i) => packageProblems(pkg, `packages.${i}`));
  if (content.credit?.consent && reporter.anonymous) {
    problems.push({ path: 'credit', message: 'the reporter is anonymous and is never credited by name' });
  }
  if (problems.length > 0) throw invalid(problems);
  scoreContent(content);
  return content;
}

/** Parses an edit (unknown keys refused) and returns the content it produces. */
export function applyChanges(current: AdvisoryContent, input: unknown, reporter: ReporterInfo): { changes: AdvisoryChanges; content: AdvisoryContent } {
  const parsed = AdvisoryChangesSchema.safeParse(input);
  if (!parsed.success) throw invalid(zodProblems(parsed.error));
  const changes = parsed.data;
  if (Object.keys(changes).length === 0) throw new FirebreakError('FB_ERR_INPUT_INVALID', 'the edit changes nothing', [{ path: '(advisory)', message: 'no fields given' }]);
  return { changes, content: checkContent(mergeChanges(current, changes), reporter) };
}

/** Content after an edit; `null` removes a field. Pure, used by `evolve` too. */
export function mergeChanges(current: AdvisoryContent, changes: AdvisoryChanges): AdvisoryContent {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as AdvisoryContent;
}

/** One thing publishing still needs: the field and what is wrong with it. */
export interface PublishProblem {
  readonly field: string;
  readonly problem: string;
  /** How the field reads in a one-line list ("cvss (cvssV3 or cvssV4)"). */
  readonly label: string;
}

const REQUIRED = 'required to publish';

/** What publishing requires and the content lacks, in a stable order; empty when complete. */
export function publishProblems(content: AdvisoryContent): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const need = (field: string, problem = REQUIRED, label = field) => problems.push({ field, problem, label });
  if (!content.summary) need('summary');
  if (!content.impact) need('impact');
  if (!content.cvssV3 && !content.cvssV4) need('cvss', 'a CVSS vector is required to publish: give cvssV3 or cvssV4', 'cvss (cvssV3 or cvssV4)');
  if (content.cwes.length === 0) need('cwes');
  if (!content.cve) need('cve');
  else if (content.cve === 'reserved') need('cve', 'is "reserved": fill in the assigned id, or "none"', 'cve (reserved: fill in the assigned id, or "none")');
  if (content.packages.length === 0) need('packages');
  content.packages.forEach((pkg, i) => {
    if (pkg.fixed === undefined && pkg.lastAffected === undefined) need(`packages.${i}.fixed`, 'a fixed (or lastAffected) version is required to publish', `packages.${i}.fixed (or lastAffected)`);
  });
  if (!content.resolution) need('resolution');
  return problems;
}

/** `publishProblems` as one short label each, for messages and the CLI. */
export function missingForPublish(content: AdvisoryContent): string[] {
  return publishProblems(content).map((p) => p.label);
}

/** The name to credit, or null: only with consent, never an anonymous reporter. */
export function creditedName(content: AdvisoryContent, reporter: ReporterInfo): string | null {
  if (!content.credit?.consent || reporter.anonymous) return null;
  return content.credit.name ?? reporter.name;
}

/** `>= introduced, < fixed` in the notation GitHub and people read. */
export function vulnerableRange(pkg: AffectedPackage): string {
  const lower = pkg.introduced === '0' ? null : `>= ${pkg.introduced}`;
  const upper = pkg.fixed ? `< ${pkg.fixed}` : pkg.lastAffected ? `<= ${pkg.lastAffected}` : null;
  return [lower, upper].filter(Boolean).join(', ') || 'all versions';
}
