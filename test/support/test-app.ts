/**
 * Builds a real Firebreak application for a test: a fresh database (a temporary SQLite
 * file on the SQLite leg of the suite, a freshly created PostgreSQL database on the
 * PostgreSQL leg — see `FIREBREAK_TEST_BACKEND` and `global-setup.ts`), the built-in
 * plans, and a manual clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type AppOptions, createApp, type FirebreakApp } from '../../src/app/firebreak-app.js';
import { ManualTime } from '../../src/app/time-source.js';
import { OutboundGuard } from '../../src/integrations/outbound/index.js';
import { LOOPBACK_OUTBOUND_ALLOW } from './loopback-outbound.js';
import { createTestDatabase, type TestBackend, testBackend } from './postgres.js';

export interface TestApp extends FirebreakApp {
  readonly time: ManualTime;
  /** The database location, for tests that open it a second time (CLI, second process). */
  readonly database: string;
  readonly backend: TestBackend;
  /** The app's data directory (evidence files, the checkpoint key). */
  readonly dataDir: string;
}

export const T0 = '2026-03-02T09:00:00.000Z';

export interface TestDatabase {
  readonly backend: TestBackend;
  /** SQLite file path or `postgres://` URL. */
  readonly location: string;
  /** Deletes the database (close every app on it first). */
  drop(): Promise<void>;
}

/** An empty database on this leg's back end (or on the one asked for). */
export async function createEmptyDatabase(backend: TestBackend = testBackend()): Promise<TestDatabase> {
  if (backend === 'postgres') {
    const server = inject('postgresUrl');
    if (!server) throw new Error('no PostgreSQL server in this run (FIREBREAK_TEST_BACKEND is not postgres)');
    const database = await createTestDatabase(server, inject('postgresTemplate'));
    return { backend, location: database.url, drop: database.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-test-'));
  return {
    backend,
    location: join(dir, 'firebreak.db'),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createTestApp(
  options: { start?: string; planDirs?: string[]; delivery?: AppOptions['delivery']; scheduler?: AppOptions['scheduler'] } = {},
): Promise<TestApp> {
  const database = await createEmptyDatabase();
  const time = new ManualTime(options.start ?? T0);
  // Files (evidence) go to a directory of this app's own, whatever the back end.
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-test-data-'));
  let app: FirebreakApp;
  try {
    app = await createApp({
      database: database.location,
      time,
      planDirs: options.planDirs ?? [],
      dataDir,
      // Test receivers listen on loopback (see loopback-outbound.ts).
      delivery: { outbound: new OutboundGuard({ allow: LOOPBACK_OUTBOUND_ALLOW }), ...options.delivery },
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    });
  } catch (error) {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...app,
    time,
    database: database.location,
    backend: database.backend,
    dataDir,
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function minutes(n: number): number {
  return n * 60_000;
}
