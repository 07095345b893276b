import { defineConfig } from 'vitest/config';

// End-to-end tests drive real Chromium (/usr/bin/chromium) against a real server on
// loopback; run them with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    allowOnly: false,
    pool: 'forks',
    fileParallelism: false,
  },
});
