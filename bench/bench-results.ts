/**
 * What every benchmark in this folder records about its run: the machine (CPU, cores, RAM,
 * OS, Node, load average at start), the date and the command, written with its figures as
 * JSON under `bench/results/` so `bench/report.ts` regenerates REPORT.md from data only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export interface ResultFile<T> {
  readonly benchmark: string;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Machine;
  /** Load average when the benchmark finished (the machine is shared). */
  readonly loadAverageAtEnd: readonly number[];
  readonly results: T;
}

/** Starts the clock for a benchmark; `save` writes `bench/results/<benchmark>.json`. */
export function startRun(benchmark: string, command: string) {
  const startedAt = new Date().toISOString();
  const atStart = machine();
  return {
    save<T>(results: T): string {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file: ResultFile<T> = { benchmark, command, startedAt, finishedAt: new Date().toISOString(), machine: atStart, loadAverageAtEnd: machine().loadAverage, results };
      const path = join(RESULTS_DIR, `${benchmark}.json`);
      writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
      return path;
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** The process's CPU over `ms` idle milliseconds, and how many passes `passes` counted meanwhile. */
export async function idleCpu(passes: () => number, ms: number): Promise<{ cpuMs: number; passes: number }> {
  const cpuBefore = process.cpuUsage();
  const passesBefore = passes();
  await sleep(ms);
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000, passes: passes() - passesBefore };
}
