/**
 * Prints the web app's initial JavaScript (the entry script plus the chunks index.html
 * preloads) raw and gzipped, after `vite build`, and fails when the gzipped total is
 * over the budget. Lazily loaded pages are listed separately; they do not count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 350 * 1024;
const dist = new URL('../web/dist/', import.meta.url).pathname;

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set<string>();
for (const match of html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)) initial.add(match[1]!);
for (const match of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+\.js)"/g)) initial.add(match[1]!);

const assets = readdirSync(join(dist, 'assets')).filter((name) => name.endsWith('.js'));
let initialRaw = 0;
let initialGzip = 0;
let lazyGzip = 0;
const rows: string[] = [];
for (const name of assets) {
  const path = join(dist, 'assets', name);
  const gzip = gzipSync(readFileSync(path), { level: 9 }).length;
  const isInitial = initial.has(`assets/${name}`);
  if (isInitial) {
    initialRaw += statSync(path).size;
    initialGzip += gzip;
  } else {
    lazyGzip += gzip;
  }
  rows.push(`  ${isInitial ? 'initial' : 'lazy   '}  ${kb(gzip).padStart(10)} gz  ${name}`);
}
process.stdout.write(`${rows.sort().join('\n')}\n`);
process.stdout.write(
  `web bundle: initial JavaScript ${kb(initialGzip)} gzipped (${kb(initialRaw)} raw), budget ${kb(BUDGET_BYTES)}; lazily loaded pages ${kb(lazyGzip)} gzipped\n`,
);
if (initial.size === 0) {
  process.stderr.write('error: found no entry script in web/dist/index.html\n');
  process.exit(1);
}
if (initialGzip > BUDGET_BYTES) {
  process.stderr.write(`error: initial JavaScript is over budget by ${kb(initialGzip - BUDGET_BYTES)}\n`);
  process.exit(1);
}
