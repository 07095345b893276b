/**
 * Every export of the three seed advisories passes its official validator (OSV schema,
 * csaf-validator-lib schema + mandatory tests), and matches the committed fixture under
 * test/fixtures/advisories/ (regenerate with `npm run fixtures:advisories`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, runScenario, type ScenarioRun } from '../support/advisory-scenarios.js';
import { validateCsaf, validateOsv } from '../support/export-validators.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ADVISORY_FIXTURE_FILES, renderFixtureFiles } from '../support/advisory-fixture-files.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/advisories/', import.meta.url));

describe.each(SCENARIOS)('advisory exports for $name', (scenario) => {
  let app: TestApp;
  let run: ScenarioRun;
  let files: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp();
    run = await runScenario(app, scenario);
    files = await renderFixtureFiles(run.advisories, run.advisoryId);
  });
  afterAll(async () => app.close());

  it('OSV passes the OSV JSON schema', () => {
    const verdict = validateOsv(JSON.parse(files['osv.json']!));
    console.log(`${scenario.name} ${run.advisoryId} osv.json → ${verdict.summary}`);
    expect(verdict.errors).toEqual([]);
  });

  it.each(['csaf.json', 'csaf-vex.json'])('%s passes csaf-validator-lib (strict schema and every mandatory test)', async (file) => {
    const verdict = await validateCsaf(JSON.parse(files[file]!));
    console.log(`${scenario.name} ${run.advisoryId} ${file} → ${verdict.summary}`);
    expect(verdict.errors).toEqual([]);
  });

  it('the VEX register exports as CSAF VEX that passes the validator, and as OpenVEX', async () => {
    const csaf = JSON.parse(await run.advisories.exportVex('csaf'));
    if (scenario.vex?.length) {
      const verdict = await validateCsaf(csaf);
      console.log(`${scenario.name} VEX register csaf → ${verdict.summary}`);
      expect(verdict.errors).toEqual([]);
      const openvex = JSON.parse(await run.advisories.exportVex('openvex')) as { statements: { status: string; justification?: string; action_statement?: string }[] };
      expect(openvex.statements.map((s) => s.status).sort()).toEqual(['affected', 'fixed', 'not_affected', 'not_affected', 'under_investigation']);
      expect(openvex.statements.filter((s) => s.status === 'not_affected').every((s) => s.justification)).toBe(true);
      expect(openvex.statements.find((s) => s.status === 'affected')?.action_statement).toBe('Upgrade to rune 1.4.1.');
    } else {
      expect(csaf.vulnerabilities).toEqual([]);
    }
  });

  it('the GitHub advisory JSON has the repository-advisory API fields', () => {
    const ghsa = JSON.parse(files['ghsa.json']!) as Record<string, unknown>;
    expect(Object.keys(ghsa).sort()).toEqual(['credits', 'cve_id', 'cvss_vector_string', 'cwe_ids', 'description', 'summary', 'vulnerabilities']);
    expect(ghsa['cve_id']).toBe(scenario.content['cve']);
    expect(ghsa['cvss_vector_string']).toBe(scenario.content['cvssV3']);
  });

  it('Markdown comes from the plan template with the advisory facts', () => {
    const md = files['md']!;
    expect(md).toContain(String(scenario.content['title']));
    expect(md).toContain(String(scenario.content['cve']));
    // The community-disclosure plan's advisory template has no timeline section.
    if (scenario.planId !== 'community-disclosure') expect(md).toMatch(/\d{4}-\d{2}-\d{2}: Reported/);
  });

  it('matches the committed fixtures (run `npm run fixtures:advisories` after an intended change)', () => {
    for (const file of ADVISORY_FIXTURE_FILES) {
      const committed = readFileSync(`${FIXTURES}${scenario.name}/${run.advisoryId}.${file}`, 'utf8');
      expect(files[file], `${scenario.name}/${run.advisoryId}.${file}`).toBe(committed);
    }
  });
});

describe('credit and the public record', () => {
  it('an anonymous reporter is never named, a consenting one is', async () => {
    const app = await createTestApp();
    try {
      const anonymous = await runScenario(app, SCENARIOS[2]!);
      const osv = JSON.parse(await anonymous.advisories.export(anonymous.advisoryId, 'osv')) as Record<string, unknown>;
      expect(osv['credits']).toBeUndefined();
      const named = await runScenario(app, SCENARIOS[0]!);
      const osvNamed = JSON.parse(await named.advisories.export(named.advisoryId, 'osv')) as { credits: unknown };
      expect(osvNamed.credits).toEqual([{ name: 'Mara Lindqvist', type: 'FINDER' }]);
    } finally {
      await app.close();
    }
  });
});
