/**
 * Instructions per request, counted by Valgrind's callgrind, for the bare route and for
 * single-alert ingest under the same load, after a warm-up. On this machine the timed
 * bench (`bench/ingest.ts`) swings by up to a factor of two from one minute to the next
 * (bench/README); an instruction count repeats within a few per cent, so it tells whether
 * a change made the ingest path cheaper. It is a complement, not a replacement: it leaves
 * out the kernel (socket writes, fsync) and runs the server about 20 times slower, so
 * every commit group is full.
 *
 *   npm run bench:instructions                                   # bare and ingest
 *   BENCH_WARMUP=8000 BENCH_REQUESTS=4000 npm run bench:instructions
 *   BENCH_TARGETS=ingest,varied npm run bench:instructions
 *
 * BENCH_KEEP_DUMPS=1 keeps the callgrind dumps and prints where, for callgrind_annotate.
 *
 * Targets: `bare` (the bare Fastify route), `ingest` (the storm: one body repeated) and
 * `varied` (the same alert with a summary that differs on every request, so no two bodies
 * are alike and each is parsed afresh).
 *
 * The warm-up matters: with 2,000 requests V8 has not yet optimised the hot paths under
 * Valgrind, and the counts come out 15–40 % higher and less repeatable.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { positiveIntegerSetting } from './bench-settings.js';
import { STORM_ALERT, variedStormAlert } from './storm-alert.js';

const WARMUP = positiveIntegerSetting('BENCH_WARMUP', 8000);
const REQUESTS = positiveIntegerSetting('BENCH_REQUESTS', 4000);
/** Keep the callgrind dumps (for callgrind_annotate) instead of deleting them. */
const KEEP_DUMPS = process.env['BENCH_KEEP_DUMPS'] === '1';
const TARGET_LABELS: Readonly<Record<string, string>> = {
  bare: 'bare Fastify route (202, no work)',
  ingest: 'SQLite, batch of 1 (repeats of one fingerprint)',
  varied: 'SQLite, batch of 1 (repeats of one fingerprint, no two bodies alike)',
};
const TARGETS = (process.env['BENCH_TARGETS'] ?? 'bare,ingest,varied').split(',');
const unknown = TARGETS.filter((t) => !(t in TARGET_LABELS));
if (unknown.length > 0) {
  process.stderr.write(`BENCH_TARGETS takes ${Object.keys(TARGET_LABELS).join(', ')}, not ${unknown.join(', ')}\n`);
  process.exit(2);
}
for (const tool of ['valgrind', 'callgrind_control']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`${tool} is missing: install Valgrind (apt-get install -y valgrind)\n`);
    process.exit(2);
  }
}

const alert = JSON.stringify(STORM_ALERT);

/**
 * The same target as the timed bench, bundled to one ES module: loading TypeScript through
 * tsx under Valgrind takes minutes. Kept under node_modules so its packages resolve.
 */
async function bundleTarget(): Promise<string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = join(root, 'node_modules', '.cache', 'firebreak-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'ingest-target.mjs');
  await build({ entryPoints: [join(root, 'bench', 'ingest-target.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}

/** Total instructions in the callgrind dumps made by `callgrind_control --dump=<label>` (not the one at exit). */
function instructionsIn(dir: string, label: string): number {
  const trigger = `desc: Trigger: dump ${label}\n`;
  let total = 0;
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.includes(trigger)) continue;
    const summary = /^(?:summary|totals): (\d+)/m.exec(text);
    if (summary) total += Number(summary[1]);
  }
  return total;
}

async function count(target: string, mode: string): Promise<{ requests: number; failed: number; perRequest: number }> {
  const dumps = mkdtempSync(join(tmpdir(), `firebreak-callgrind-${mode}-`));
  const serverMode = mode === 'bare' ? 'bare' : 'ingest';
  const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${dumps}/callgrind.%p`, process.execPath, target, serverMode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const ready = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the ${mode} target exited with ${code} under Valgrind:\n${errors}`)));
  });
  const { port, token } = JSON.parse(ready) as { port: number; token: string };
  let sent = 0;
  const fire = (amount: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/api/v1/ingest/bench`,
      method: 'POST',
      connections: 50,
      amount,
      timeout: 120,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(mode === 'varied' ? { requests: [{ setupRequest: (request: autocannon.Request) => ({ ...request, body: JSON.stringify(variedStormAlert('c', sent++)) }) }] } : { body: alert }),
    });
  process.stderr.write(`${mode}: warming up with ${WARMUP.toLocaleString('en-US')} requests…\n`);
  await fire(WARMUP);
  execFileSync('callgrind_control', ['--zero', String(child.pid)], { stdio: 'ignore' });
  process.stderr.write(`${mode}: counting ${REQUESTS.toLocaleString('en-US')} requests…\n`);
  const result = await fire(REQUESTS);
  execFileSync('callgrind_control', ['--dump=measured', String(child.pid)], { stdio: 'ignore' });
  await new Promise((resolve) => {
    child.once('close', resolve);
    child.kill('SIGTERM');
  });
  const instructions = instructionsIn(dumps, 'measured');
  if (KEEP_DUMPS) process.stderr.write(`${mode}: callgrind dumps kept in ${dumps} (callgrind_annotate <file> shows where the instructions go)\n`);
  else rmSync(dumps, { recursive: true, force: true });
  return { requests: result.requests.total, failed: result.non2xx + result.errors, perRequest: instructions / result.requests.total };
}

const target = await bundleTarget();
const rows: { mode: string; requests: number; failed: number; perRequest: number }[] = [];
for (const mode of TARGETS) rows.push({ mode, ...(await count(target, mode)) });

const bare = rows.find((r) => r.mode === 'bare');
console.log(`\nInstructions per request (callgrind, all threads, user space), ${WARMUP.toLocaleString('en-US')} warm-up + ${REQUESTS.toLocaleString('en-US')} counted requests at 50 connections\n`);
console.log('| target | requests | failed | instructions per request | vs bare route |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  const ratio = bare ? `${(r.perRequest / bare.perRequest).toFixed(2)} ×` : '–';
  console.log(`| ${TARGET_LABELS[r.mode]} | ${r.requests.toLocaleString('en-US')} | ${r.failed} | ${Math.round(r.perRequest).toLocaleString('en-US')} | ${ratio} |`);
}
