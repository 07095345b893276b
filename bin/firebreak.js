#!/usr/bin/env node
// The installed `firebreak` command: runs the bundled CLI (built by `npm run build`,
// which `npm ci` runs through the `prepare` script).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/bundle/main.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('error: Firebreak is not built yet; run `npm run build` (npm ci does this for you)\n');
  process.exit(6);
}
await import(compiled.href);
