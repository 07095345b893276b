/**
 * Three advisories played through real incidents, one per seed plan that ends in a
 * published advisory: 000 (iso27001-library, ESA ids, release checklist gate), 001
 * (iec62443-platform, CVSS and a VEX register) and 003 (community-disclosure, anonymous
 * reporter, CVE obtained before release). Used by the export tests and by
 * `npm run fixtures:advisories`, which writes every export under test/fixtures/advisories/.
 */
import { AdvisoryService } from '../../src/app/advisory-service.js';
import type { CsafPublisher } from '../../src/integrations/exports/csaf-export.js';
import type { IncidentCommand } from '../../src/domain/incident/commands.js';
import type { ReporterInfo } from '../../src/domain/incident/events.js';
import type { TestApp } from './test-app.js';

export interface AdvisoryScenario {
  /** Directory name under test/fixtures/advisories/. */
  readonly name: string;
  readonly planId: string;
  readonly publisher: CsafPublisher;
  readonly reporter: ReporterInfo;
  readonly incidentTitle: string;
  readonly severity: string;
  /** Checklist items done before publishing (every item that gates it, and a few more). */
  readonly items: readonly string[];
  readonly content: Record<string, unknown>;
  readonly vex?: readonly Record<string, unknown>[];
}

export const SCENARIOS: readonly AdvisoryScenario[] = [
  {
    name: '000-iso27001-library',
    planId: 'iso27001-library',
    publisher: { name: 'Ecliptix', namespace: 'https://ecliptix.com', contactDetails: 'security@ecliptix.com' },
    reporter: { anonymous: false, name: 'Mara Lindqvist' },
    incidentTitle: 'Login response time reveals whether an account exists',
    severity: 'P2',
    items: ['confirm-vulnerability', 'fix-implementation', 'fix-merged', 'version-incremented', 'platforms-built', 'artifacts-signed', 'advisory-prepared', 'comms-plan-ready', 'tag-build-release', 'publish-registries'],
    content: {
      title: 'Timing side channel in OPAQUE login reveals registered accounts',
      summary: 'The server-side login flow answered faster for unknown users than for registered ones, because it skipped the envelope decryption for accounts that do not exist.',
      impact: 'A network attacker can tell which user names are registered by timing login attempts. Passwords and session keys are not exposed.',
      components: ['OpaqueServer.StartLogin', 'credential response envelope'],
      cwes: [{ id: 'CWE-208', name: 'Observable Timing Discrepancy' }],
      cvssV3: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N',
      cvssV4: 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N',
      cve: 'CVE-2026-31337',
      packages: [{ ecosystem: 'NuGet', name: 'Ecliptix.Security.OPAQUE', introduced: '1.0.0', fixed: '1.4.2' }],
      mitigation: 'Rate-limit login attempts per client and add a random delay to failed logins.',
      resolution: 'Upgrade to version 1.4.2 or later, which always performs a dummy envelope decryption for unknown users.',
      credit: { consent: true },
      references: [{ url: 'https://github.com/ecliptix/Ecliptix.Security.OPAQUE/releases/tag/v1.4.2', type: 'FIX' }],
    },
  },
  {
    name: '001-iec62443-platform',
    planId: 'iec62443-platform',
    publisher: { name: 'RUNE', namespace: 'https://github.com/lpasquali/rune' },
    reporter: { anonymous: false, name: 'lpasquali' },
    incidentTitle: 'Path traversal in model artifact download',
    severity: 'P1',
    items: ['remove-root-cause', 'apply-fix', 'verify-ci', 'update-vex', 'ghsa-before-disclosure', 'redeploy-signed'],
    content: {
      title: 'Path traversal in RUNE model artifact download',
      summary: 'The artifact downloader joined server-supplied file names to the cache directory without cleaning them, so a malicious model registry could write outside the cache.',
      impact: 'An attacker controlling a model registry can overwrite files writable by the RUNE process, up to code execution on the next start.',
      components: ['internal/artifacts/download.go', 'rune CLI pull command'],
      cwes: [{ id: 'CWE-22', name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')" }],
      cvssV3: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H',
      cvssV4: 'CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
      cve: 'CVE-2026-40404',
      packages: [
        { ecosystem: 'Go', name: 'github.com/lpasquali/rune', introduced: '1.2.0', fixed: '1.4.1' },
        { ecosystem: 'GitHub Actions', name: 'lpasquali/rune-action', introduced: '0', fixed: '2.0.3' },
      ],
      mitigation: 'Pull models only from registries you control, and run RUNE as a user that can write nothing but its cache.',
      resolution: 'Upgrade the rune module and CLI to 1.4.1 and the rune-action to 2.0.3.',
      credit: { consent: true, name: 'lpasquali' },
      references: [{ url: 'https://github.com/lpasquali/rune/security/advisories', type: 'ADVISORY' }],
    },
    vex: [
      { product: 'rune', version: '1.3.0', vulnerability: 'CVE-2026-40404', status: 'affected', actionStatement: 'Upgrade to rune 1.4.1.' },
      { product: 'rune', version: '1.4.1', vulnerability: 'CVE-2026-40404', status: 'fixed' },
      { product: 'rune-operator', version: '0.9.0', vulnerability: 'CVE-2026-40404', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impactStatement: 'The operator never downloads model artifacts.' },
      { product: 'rune-ui', version: '0.5.0', vulnerability: 'CVE-2026-40404', status: 'under_investigation' },
      { product: 'rune', version: '1.4.1', vulnerability: 'CVE-2025-22869', status: 'not_affected', justification: 'vulnerable_code_not_present', impactStatement: 'RUNE does not use the SSH server of golang.org/x/crypto.' },
    ],
  },
  {
    name: '003-community-disclosure',
    planId: 'community-disclosure',
    publisher: { name: 'Identity Python', namespace: 'https://idpy.org', contactDetails: 'incident-response@idpy.org' },
    reporter: { anonymous: true },
    incidentTitle: 'SAML response signature check can be bypassed',
    severity: 'high',
    items: ['validate', 'implement-fix', 'patch-release', 'consult-incident-manager', 'obtain-cve', 'publish-patch'],
    content: {
      title: 'XML signature wrapping bypasses SAML response verification in pysaml2',
      summary: 'pysaml2 verified the signature of one assertion but read the attributes of another when a response carried several, so a wrapped, unsigned assertion was accepted.',
      impact: 'An attacker holding any validly signed response can log in as another user at a service provider that uses pysaml2.',
      components: ['saml2.sigver', 'saml2.response.AuthnResponse'],
      cwes: [{ id: 'CWE-347', name: 'Improper Verification of Cryptographic Signature' }],
      cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N',
      cve: 'CVE-2026-27001',
      packages: [{ ecosystem: 'PyPI', name: 'pysaml2', introduced: '0', fixed: '7.5.1' }],
      resolution: 'Upgrade pysaml2 to 7.5.1 or later.',
      references: [{ url: 'https://github.com/IdentityPython/pysaml2/security/advisories', type: 'ADVISORY' }],
    },
  },
];

export interface ScenarioRun {
  readonly advisoryId: string;
  readonly incidentId: string;
  readonly advisories: AdvisoryService;
}

/** Plays a scenario on a fresh test app: report, triage, checklist, draft, review, publish. */
export async function runScenario(app: TestApp, scenario: AdvisoryScenario): Promise<ScenarioRun> {
  const advisories = new AdvisoryService(app.store, app.plans, app.incidents, app.time, scenario.publisher);
  const hour = 3_600_000;
  const reported = await app.incidents.report(scenario.planId, { type: 'report', title: scenario.incidentTitle, reporter: scenario.reporter }, { actor: 'intake' });
  const incidentId = reported.state.id;
  const run = (command: IncidentCommand, actor = 'lead') => app.incidents.execute(incidentId, command, { actor });
  app.time.advance(2 * hour);
  await run({ type: 'triage', decision: 'confirm', severity: scenario.severity });
  for (const item of scenario.items) {
    app.time.advance(6 * hour);
    await run({ type: 'complete_item', item });
  }
  app.time.advance(hour);
  const { state } = await advisories.draft(incidentId, scenario.content, { actor: 'author' });
  for (const statement of scenario.vex ?? []) await advisories.recordVex(statement, { actor: 'author' });
  await advisories.execute(state.id, { type: 'submit' }, { actor: 'author' });
  await advisories.execute(state.id, { type: 'approve' }, { actor: 'reviewer' });
  app.time.advance(hour);
  await advisories.execute(state.id, { type: 'publish' }, { actor: 'author' });
  return { advisoryId: state.id, incidentId, advisories };
}
