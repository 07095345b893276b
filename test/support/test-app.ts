/**
 * Builds a real Firebreak application for a test: a fresh database (a temporary SQLite
 * file by default; the PostgreSQL leg of the suite swaps this for a fresh PostgreSQL
 * database), the built-in plans, and a manual clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppOptions, createApp, type FirebreakApp } from '../../src/app/firebreak-app.js';
import { ManualTime } from '../../src/app/time-source.js';

export interface TestApp extends FirebreakApp {
  readonly time: ManualTime;
  /** The database location, for tests that open it a second time (CLI, second process). */
  readonly database: string;
}

export const T0 = '2026-03-02T09:00:00.000Z';

export async function createTestApp(
  options: { start?: string; planDirs?: string[]; delivery?: AppOptions['delivery']; scheduler?: AppOptions['scheduler'] } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-test-'));
  const database = join(dir, 'firebreak.db');
  const time = new ManualTime(options.start ?? T0);
  const app = await createApp({
    database,
    time,
    planDirs: options.planDirs ?? [],
    ...(options.delivery ? { delivery: options.delivery } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  return {
    ...app,
    time,
    database,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function minutes(n: number): number {
  return n * 60_000;
}
