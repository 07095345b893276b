/**
 * Checkpoint settings a server operator may set through the environment:
 * FIREBREAK_CHECKPOINT_INTERVAL_SECONDS (default 60; 0 turns interval checkpoints off),
 * FIREBREAK_RECORD_SELF_CHECK_EVERY (default 60: the full check of the store against the
 * last witnessed checkpoint runs every this many intervals, hourly by default) and
 * FIREBREAK_CHECKPOINT_WITNESS_FILE (an append-only file on storage the database's
 * operator cannot rewrite; the self-check reads its last line).
 */
import { fieldError } from '../../domain/errors.js';

export interface RecordSettings {
  readonly intervalMs: number;
  readonly selfCheckEvery: number;
  readonly witnessFile?: string;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw fieldError('FB_ERR_INPUT_INVALID', name, `must be a whole number from ${min} to ${max}, not "${raw}"`);
  return value;
}

export function recordSettingsFromEnv(env: NodeJS.ProcessEnv): RecordSettings {
  const witnessFile = env['FIREBREAK_CHECKPOINT_WITNESS_FILE'];
  return {
    intervalMs: wholeNumber(env, 'FIREBREAK_CHECKPOINT_INTERVAL_SECONDS', 60, 0, 86_400) * 1000,
    selfCheckEvery: wholeNumber(env, 'FIREBREAK_RECORD_SELF_CHECK_EVERY', 60, 1, 100_000),
    ...(witnessFile ? { witnessFile } : {}),
  };
}
