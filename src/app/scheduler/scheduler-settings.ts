/**
 * Scheduler settings a server operator may set through the environment. With several
 * server processes on one database, a process learns of rows another process scheduled
 * only on its next pass, so the longest sleep between passes bounds how late such a row
 * can fire when its own process is gone.
 */
import { fieldError } from '../../domain/errors.js';
import type { SchedulerOptions } from './scheduler.js';

const POLL_VARIABLE = 'FIREBREAK_SCHEDULER_POLL_MS';
const MIN_POLL_MS = 100;
const MAX_POLL_MS = 3_600_000;

export function schedulerSettingsFromEnv(env: NodeJS.ProcessEnv): Pick<SchedulerOptions, 'maxSleepMs' | 'publicUrl'> {
  const publicUrl = env['FIREBREAK_PUBLIC_URL'] ? { publicUrl: env['FIREBREAK_PUBLIC_URL'] } : {};
  const raw = env[POLL_VARIABLE];
  if (raw === undefined || raw === '') return publicUrl;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < MIN_POLL_MS || value > MAX_POLL_MS) {
    throw fieldError('FB_ERR_INPUT_INVALID', POLL_VARIABLE, `must be a whole number of milliseconds from ${MIN_POLL_MS} to ${MAX_POLL_MS}, not "${raw}"`);
  }
  return { maxSleepMs: value, ...publicUrl };
}
