/**
 * `/.well-known/security.txt` (RFC 9116) built from the operator's settings:
 * FIREBREAK_SECURITY_CONTACT (an e-mail address or URI), the report form, the policy
 * URL, languages, and a Canonical URL from FIREBREAK_PUBLIC_URL. Expires is set a little
 * under a year ahead, as the RFC recommends, and moves forward on its own.
 */
import { addDays } from 'date-fns';

export interface SecurityTxtSettings {
  readonly publicUrl: string;
  readonly contact?: string | undefined;
  readonly policyUrl?: string | undefined;
  readonly languages: string;
  readonly now: Date;
}

function contactUri(contact: string): string {
  const trimmed = contact.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  if (trimmed.includes('@')) return `mailto:${trimmed}`;
  return trimmed;
}

export function securityTxt(settings: SecurityTxtSettings): string {
  const lines: string[] = [];
  for (const c of (settings.contact ?? '').split(',').map((x) => x.trim()).filter(Boolean)) lines.push(`Contact: ${contactUri(c)}`);
  lines.push(`Contact: ${settings.publicUrl}/report`);
  lines.push(`Expires: ${addDays(settings.now, 360).toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
  if (settings.policyUrl) lines.push(`Policy: ${settings.policyUrl}`);
  lines.push(`Preferred-Languages: ${settings.languages}`);
  lines.push(`Canonical: ${settings.publicUrl}/.well-known/security.txt`);
  return `${lines.join('\n')}\n`;
}
