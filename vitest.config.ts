import { defineConfig } from 'vitest/config';
import { postgresAvailability, testBackend } from './test/support/postgres.js';

// The suite runs once per back end (`npm run test:sqlite`, `npm run test:postgres`). The
// PostgreSQL leg needs DATABASE_URL or initdb; without either it is skipped locally, with
// a message, and fails on CI (CI=true), so CI can never pass without it.
const backend = testBackend();
const availability = postgresAvailability();
let skipLeg = false;
if (backend === 'postgres' && !availability.ok) {
  if (process.env['CI'] === 'true') throw new Error(`CI requires the PostgreSQL leg, but ${availability.reason}`);
  process.stdout.write(`PostgreSQL leg SKIPPED: ${availability.reason}\n`);
  skipLeg = true;
}

export default defineConfig({
  test: {
    include: skipLeg ? [] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: skipLeg,
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    allowOnly: false,
    pool: 'forks',
  },
});
