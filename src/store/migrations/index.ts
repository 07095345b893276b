import { coreMigration } from './001-core.js';
import { intakeMigration } from './006-intake.js';
import type { MigrationStep } from './migration.js';

export { type Dialect, type MigrationStep, StepMigrationProvider } from './migration.js';

/** Every migration, in the order it runs. */
export const MIGRATIONS: readonly MigrationStep[] = [coreMigration, intakeMigration];
