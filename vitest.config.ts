import { defineConfig } from 'vitest/config';
import { LOOPBACK_OUTBOUND_ALLOW } from './test/support/loopback-outbound.js';
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

const POSTGRES_LEG = ['test/int/**/*.test.ts', 'test/stress/**/*.test.ts', 'test/plans/**/*.test.ts', 'src/http/**/*.test.ts', 'src/app/**/*.test.ts'];

export default defineConfig({
  test: {
    // The PostgreSQL leg runs the tests that can touch a store. Pure modules (the domain,
    // parsers, plan fixtures, web logic, bench report parts) have no back end to vary, so
    // running them twice would only lengthen CI.
    include: skipLeg ? [] : backend === 'postgres' ? POSTGRES_LEG : ['src/**/*.test.ts', 'test/**/*.test.ts'],
    passWithNoTests: skipLeg,
    // The local CLI opens a SQLite file on both legs, so these CLI files would repeat the
    // SQLite leg exactly on the PostgreSQL leg.
    exclude: ['test/e2e/**', 'node_modules/**', 'dist/**', ...(backend === 'postgres' ? ['test/int/cli/plan-commands.test.ts', 'test/int/after/after-cli.test.ts'] : [])],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    allowOnly: false,
    // Test receivers listen on loopback; the outbound guard allows only that (test/support/loopback-outbound.ts).
    env: { FIREBREAK_OUTBOUND_ALLOW: LOOPBACK_OUTBOUND_ALLOW },
    pool: 'forks',
  },
});
