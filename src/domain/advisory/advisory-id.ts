/**
 * Advisory ids from the plan's pattern, e.g. `ESA-{year}-{seq:3}` → ESA-2026-007.
 * `{seq:N}` pads the yearly sequence number to N digits; a plan without a pattern gets
 * `FB-{year}-{seq:4}`.
 */
export const DEFAULT_ADVISORY_ID_PATTERN = 'FB-{year}-{seq:4}';

const PLACEHOLDER = /\{(year|seq)(?::(\d+))?\}/g;

export function formatAdvisoryId(pattern: string, year: number, seq: number): string {
  if (!/\{seq(:\d+)?\}/.test(pattern)) throw new Error(`advisory id pattern "${pattern}" has no {seq}`);
  return pattern.replace(PLACEHOLDER, (_all, name: string, width?: string) => {
    const value = String(name === 'year' ? year : seq);
    return width ? value.padStart(Number(width), '0') : value;
  });
}
