/**
 * Migrations are written once for both back ends: each step receives the dialect and
 * picks column types from it. `MIGRATIONS` lists them in order; never edit a landed step,
 * add a new one.
 */
import type { Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface MigrationStep {
  readonly name: string;
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export class StepMigrationProvider implements MigrationProvider {
  constructor(
    private readonly steps: readonly MigrationStep[],
    private readonly dialect: Dialect,
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const step of this.steps) out[step.name] = { up: (db) => step.up(db, this.dialect) };
    return out;
  }
}
