/**
 * End-to-end tests: the built server and web app in headless Chromium. One file at a
 * time (the machines are small, and each file starts its own server and browser).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    allowOnly: false,
    pool: 'forks',
    fileParallelism: false,
  },
});
