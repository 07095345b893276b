/**
 * `npm run bench`: runs every benchmark one after another (never two at once: they would
 * measure each other) and regenerates bench/REPORT.md from their JSON results.
 *
 *   npm run bench                      full runs (60 s load at 200 connections, 10 min soak, 1M events, 100k incidents)
 *   npm run bench -- --short           short modes of each (a few minutes in all)
 *   npm run bench -- --skip scaling    keep an earlier result of a benchmark (REPORT.md shows its own date)
 *
 * The benchmarks written before this runner (bench:store, bench:scheduler, bench:ingest)
 * print text; their output is kept verbatim in bench/results/<name>.json, with any
 * Markdown tables in it parsed into rows.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startRun } from './bench-results.js';
import { markdownTables } from './markdown-tables.js';

const { values } = parseArgs({ options: { short: { type: 'boolean', default: false }, skip: { type: 'string', default: '' } } });
const short = values.short;
const skip = new Set(values.skip.split(',').filter(Boolean));
const root = fileURLToPath(new URL('..', import.meta.url));

interface Step {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env?: Record<string, string>;
  /** Writes its own JSON result (else its output is captured into one). */
  readonly ownJson: boolean;
}

const tsx = (script: string, ...args: string[]) => ['npx', 'tsx', `bench/${script}`, ...args];
const steps: Step[] = [
  { name: 'load', ownJson: true, argv: tsx('load.ts', ...(short ? ['--duration', '15'] : [])) },
  { name: 'soak', ownJson: true, argv: tsx('soak.ts', ...(short ? ['--short'] : [])) },
  { name: 'scaling', ownJson: true, argv: tsx('scaling.ts', ...(short ? ['--events', '100,10000,100000', '--incidents', '10,1000,10000', '--reps', '10'] : [])) },
  { name: 'store', ownJson: false, argv: ['npm', 'run', '--silent', 'bench:store', '--', '--events', short ? '200' : '1000'] },
  { name: 'scheduler', ownJson: false, argv: ['npm', 'run', '--silent', 'bench:scheduler'], env: short ? { BENCH_CLOCKS: '10000', BENCH_INCIDENTS: '20' } : {} },
  { name: 'ingest', ownJson: false, argv: ['npm', 'run', '--silent', 'bench:ingest'], env: short ? { BENCH_SECONDS: '5', BENCH_ROUNDS: '1' } : {} },
  { name: 'checkpoint', ownJson: false, argv: ['npm', 'run', '--silent', 'bench:checkpoint', ...(short ? ['--', '--short'] : [])] },
];

function execute(step: Step): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.argv[0]!, step.argv.slice(1), { cwd: root, env: { ...process.env, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const failures: string[] = [];
for (const step of steps) {
  if (skip.has(step.name)) {
    process.stderr.write(`\n== ${step.name}: skipped, keeping bench/results/${step.name}.json\n`);
    continue;
  }
  const command = `${Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${v} `).join('')}${step.argv.join(' ')}`;
  process.stderr.write(`\n== ${step.name}: ${command}\n`);
  const run = startRun(step.name, command);
  const started = performance.now();
  const { code, stdout, stderr } = await execute(step);
  if (code !== 0) failures.push(`${step.name} (exit ${code})`);
  if (!step.ownJson || code !== 0) {
    run.save({ exitCode: code, seconds: Math.round((performance.now() - started) / 100) / 10, output: stdout, stderrTail: stderr.split('\n').slice(-40).join('\n'), tables: markdownTables(stdout) });
  }
}

const report = await execute({ name: 'report', ownJson: false, argv: tsx('report.ts') });
if (report.code !== 0) failures.push('report');
if (failures.length) {
  process.stderr.write(`\nfailed: ${failures.join(', ')}\n`);
  process.exit(1);
}
