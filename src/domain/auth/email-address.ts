/**
 * The one e-mail normaliser: every lookup, limiter key, setup, invitation and single
 * sign-on link compares addresses in this form, so " Ann@Example.org" and "ann@example.org"
 * are the same account everywhere (a limiter that keys on one spelling and a lookup that
 * finds another is how a per-account limit is dodged).
 *
 * Trim, Unicode NFC, lower-case. Not NFKC: compatibility folding maps look-alikes such as
 * "ﬁ" (U+FB01) to "fi" and full-width letters to ASCII, which would merge addresses that
 * mail servers treat as different mailboxes; NFC only joins different encodings of the
 * same characters (a precomposed "é" and "e" + combining accent).
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}
