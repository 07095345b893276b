/** The one alert an ingest storm repeats: the timed bench and the instruction count send the same body. */
export const STORM_ALERT = { title: 'Signer answered 403 to an unknown client', rule: 'signer-forbidden', severity: 'critical', host: 'signer-1' } as const;
