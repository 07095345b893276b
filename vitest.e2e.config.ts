/**
 * End-to-end tests: the built server and web app in headless Chromium. One file at a
 * time (the machines are small, and each file starts its own server and browser).
 */
import { defineConfig } from 'vitest/config';
import { LOOPBACK_OUTBOUND_ALLOW } from './test/support/loopback-outbound.js';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    allowOnly: false,
    // Test receivers listen on loopback; the outbound guard allows only that (test/support/loopback-outbound.ts).
    env: { FIREBREAK_OUTBOUND_ALLOW: LOOPBACK_OUTBOUND_ALLOW },
    pool: 'forks',
    fileParallelism: false,
  },
});
