/**
 * Regenerates test/fixtures/advisories/: plays each seed scenario (test/support/
 * advisory-scenarios.ts) on a fresh database with a manual clock and writes every export.
 * Run with `npm run fixtures:advisories`; the export test fails when these drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, runScenario } from '../test/support/advisory-scenarios.js';
import { renderFixtureFiles } from '../test/support/advisory-fixture-files.js';
import { createTestApp } from '../test/support/test-app.js';

const root = fileURLToPath(new URL('../test/fixtures/advisories/', import.meta.url));
for (const scenario of SCENARIOS) {
  const app = await createTestApp();
  try {
    const run = await runScenario(app, scenario);
    const dir = `${root}${scenario.name}`;
    mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(await renderFixtureFiles(run.advisories, run.advisoryId))) {
      writeFileSync(`${dir}/${run.advisoryId}.${file}`, text);
      process.stdout.write(`wrote ${scenario.name}/${run.advisoryId}.${file}\n`);
    }
  } finally {
    await app.close();
  }
}
