import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../../domain/errors.js';
import { schedulerSettingsFromEnv } from './scheduler-settings.js';

describe('schedulerSettingsFromEnv', () => {
  it('leaves the default when the variable is unset or empty', () => {
    expect(schedulerSettingsFromEnv({})).toEqual({});
    expect(schedulerSettingsFromEnv({ FIREBREAK_SCHEDULER_POLL_MS: '' })).toEqual({});
  });

  it('reads the longest sleep between passes in milliseconds', () => {
    expect(schedulerSettingsFromEnv({ FIREBREAK_SCHEDULER_POLL_MS: '500' })).toEqual({ maxSleepMs: 500 });
  });

  it.each(['fast', '1.5', '0', '99', '3600001', '-5'])('refuses %j and names the variable', (raw) => {
    const attempt = () => schedulerSettingsFromEnv({ FIREBREAK_SCHEDULER_POLL_MS: raw });
    expect(attempt).toThrow(FirebreakError);
    expect(attempt).toThrow(/FIREBREAK_SCHEDULER_POLL_MS|milliseconds/);
  });
});
