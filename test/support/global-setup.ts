/**
 * Vitest global setup: says which back end this leg of the suite runs on and, for the
 * PostgreSQL leg, finds its server once per run (`DATABASE_URL`, or a throw-away cluster
 * that is stopped when the run ends). Test files reach it through `inject('postgresUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/store/store.js';
import { createTemplateDatabase, postgresAvailability, startThrowawayCluster, testBackend } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server of this leg ('' on the SQLite leg). */
    postgresUrl: string;
    /** CREATE DATABASE clause copying the run's migrated template database. */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const backend = testBackend();
  if (backend === 'sqlite') {
    process.stdout.write('test backend: sqlite (a temporary database file per test app)\n');
    project.provide('postgresUrl', '');
    project.provide('postgresTemplate', '');
    return undefined;
  }
  const availability = postgresAvailability();
  if (!availability.ok) {
    // vitest.config.ts has already failed the run on CI, or emptied it locally.
    if (process.env['CI'] === 'true') throw new Error(`the PostgreSQL leg cannot run: ${availability.reason}`);
    project.provide('postgresUrl', '');
    project.provide('postgresTemplate', '');
    return undefined;
  }
  const template = async (serverUrl: string) => {
    const created = await createTemplateDatabase(serverUrl, async (url) => {
      const store = await openStore(url);
      await store.close();
    });
    project.provide('postgresTemplate', created.clause);
    return created;
  };
  if (availability.how === 'url') {
    const url = process.env['DATABASE_URL']!;
    const shown = new URL(url);
    if (shown.password) shown.password = '***';
    process.stdout.write(`test backend: postgres (DATABASE_URL ${shown.toString()}; a fresh database per test app)\n`);
    project.provide('postgresUrl', url);
    const created = await template(url);
    return () => created.drop();
  }
  const cluster = await startThrowawayCluster();
  process.stdout.write(`test backend: postgres (throw-away cluster, PostgreSQL ${cluster.version}, ${cluster.url}; a fresh database per test app)\n`);
  project.provide('postgresUrl', cluster.url);
  try {
    await template(cluster.url);
  } catch (error) {
    cluster.stop();
    throw error;
  }
  return () => cluster.stop();
}
