/** The one alert an ingest storm repeats: the timed bench and the instruction count send the same body. */
export const STORM_ALERT = { title: 'Signer answered 403 to an unknown client', rule: 'signer-forbidden', severity: 'critical', host: 'signer-1' } as const;

/**
 * The storm alert again (same rule and host, so the same fingerprint) with a summary that
 * differs on every request, so no two bodies are alike and each is decoded and validated
 * afresh: the storm of a monitor that puts a counter or a time in its text.
 */
export function variedStormAlert(sender: string, i: number): object {
  return { ...STORM_ALERT, summary: `Seen by ${sender} for the ${i}th time` };
}
