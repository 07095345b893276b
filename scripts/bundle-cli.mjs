// Bundles the CLI (dist/bundle/main.js). Node spends most of a CLI start resolving and
// reading hundreds of small module files (kysely, zod, date-fns); a bundle starts several
// times faster. Code splitting keeps what only `serve` or PostgreSQL need in chunks that
// load on demand; server-only and native packages stay external.
import { build } from 'esbuild';

const external = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'fastify',
  'fastify-plugin',
  '@fastify/*',
  'fastify-type-provider-zod',
  'pino',
  'pino-*',
  'thread-stream',
  'nodemailer',
  'openid-client',
  'playwright-core',
  'smtp-server',
  'cli-progress',
  '@secvisogram/*',
];

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
  // Bundled CommonJS dependencies may call require(); give ESM output one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
