import { coreMigration } from './001-core.js';
import { authMigration } from './002-auth.js';
import type { MigrationStep } from './migration.js';

export { type Dialect, type MigrationStep, StepMigrationProvider } from './migration.js';

/** Every migration, in the order it runs. */
export const MIGRATIONS: readonly MigrationStep[] = [coreMigration, authMigration];
