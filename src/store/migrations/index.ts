import { coreMigration } from './001-core.js';
import { authMigration } from './002-auth.js';
import { schedulerMigration } from './003-scheduler.js';
import { advisoriesMigration } from './004-advisories.js';
import { afterMigration } from './005-after.js';
import { intakeMigration } from './006-intake.js';
import { listIndexesMigration } from './007-list-indexes.js';
import { schedulesMigration } from './008-schedules.js';
import { pagingMigration } from './009-paging.js';
import { planMessagesMigration } from './010-plan-messages.js';
import { loginFailuresMigration } from './011-login-failures.js';
import { checkpointsMigration } from './013-checkpoints.js';
import type { MigrationStep } from './migration.js';

export { type Dialect, type MigrationStep, StepMigrationProvider } from './migration.js';

/** Every migration, in the order it runs. */
export const MIGRATIONS: readonly MigrationStep[] = [coreMigration, authMigration, schedulerMigration, advisoriesMigration, afterMigration, intakeMigration, listIndexesMigration, schedulesMigration, pagingMigration, planMessagesMigration, loginFailuresMigration, checkpointsMigration];
