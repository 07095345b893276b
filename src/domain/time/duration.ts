/**
 * Durations as people write them in a response plan: `10m`, `4h`, `72 hours`,
 * `5 business days`, `2w`, `1 month`, `quarterly`. A duration keeps its unit so that
 * calendar units (months, business days) are added on the calendar, not as a fixed
 * number of milliseconds.
 */

export type DurationUnit = 'minute' | 'hour' | 'day' | 'businessDay' | 'week' | 'month' | 'year';

export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
  /** The text the plan author wrote, kept for display. */
  readonly text: string;
}

const UNIT_WORDS: ReadonlyArray<readonly [RegExp, DurationUnit]> = [
  [/^(m|min|mins|minute|minutes)$/, 'minute'],
  [/^(h|hr|hrs|hour|hours)$/, 'hour'],
  [/^(d|day|days|calendar days?)$/, 'day'],
  [/^(bd|business days?|working days?)$/, 'businessDay'],
  [/^(w|wk|wks|week|weeks)$/, 'week'],
  [/^(mo|month|months)$/, 'month'],
  [/^(y|yr|year|years)$/, 'year'],
];

const CADENCE_WORDS: Readonly<Record<string, readonly [number, DurationUnit]>> = {
  hourly: [1, 'hour'],
  daily: [1, 'day'],
  'twice daily': [12, 'hour'],
  weekly: [1, 'week'],
  monthly: [1, 'month'],
  quarterly: [3, 'month'],
  annually: [1, 'year'],
  annual: [1, 'year'],
  yearly: [1, 'year'],
};

export type DurationParseResult =
  | { readonly ok: true; readonly duration: Duration }
  | { readonly ok: false; readonly error: string };

/** Parses a human-written duration; the error says what forms are accepted. */
export function parseDuration(input: string): DurationParseResult {
  const text = input.trim();
  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const cadence = CADENCE_WORDS[lower];
  if (cadence) return { ok: true, duration: { amount: cadence[0], unit: cadence[1], text } };

  const match = /^(\d+(?:\.\d+)?) ?([a-z][a-z ]*)$/.exec(lower);
  if (!match) {
    return {
      ok: false,
      error: `"${input}" is not a duration; write a number and a unit, e.g. 10m, 4h, 72h, 5 business days, 2w, 3 months`,
    };
  }
  const amount = Number(match[1]);
  const word = match[2]!.trim();
  const unit = UNIT_WORDS.find(([pattern]) => pattern.test(word))?.[1];
  if (!unit) {
    return {
      ok: false,
      error: `"${input}" has an unknown unit "${word}"; use minutes (m), hours (h), days (d), business days, weeks (w), months or years`,
    };
  }
  if (amount <= 0) return { ok: false, error: `"${input}" must be longer than zero` };
  if (!Number.isInteger(amount) && (unit === 'businessDay' || unit === 'month' || unit === 'year')) {
    return { ok: false, error: `"${input}": ${word} must be a whole number` };
  }
  return { ok: true, duration: { amount, unit, text } };
}

/** Approximate length in milliseconds, for sorting and display only (never for deadlines). */
export function approximateMs(duration: Duration): number {
  const minute = 60_000;
  const perUnit: Record<DurationUnit, number> = {
    minute,
    hour: 60 * minute,
    day: 1440 * minute,
    businessDay: 1440 * minute * 1.4,
    week: 7 * 1440 * minute,
    month: 30 * 1440 * minute,
    year: 365 * 1440 * minute,
  };
  return duration.amount * perUnit[duration.unit];
}
