/**
 * The adapters that put one message on one channel: HTTP webhooks (generic signed JSON,
 * Slack/Mattermost, Teams) and e-mail over SMTP with nodemailer, both through the outbound
 * guard (internal addresses are refused unless FIREBREAK_OUTBOUND_ALLOW allows them). A sender resolves on success and throws with a plain reason on failure; retrying is the
 * delivery service's job.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { guardedPost, OutboundGuard } from '../outbound/index.js';
import { genericWebhookBody, type OutboundMessage, slackWebhookBody, teamsWebhookBody } from './message-payloads.js';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';

export type ChannelKind = 'webhook' | 'slack' | 'teams' | 'mattermost' | 'email';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'slack', 'teams', 'mattermost', 'email'];

export interface Destination {
  readonly channel: ChannelKind;
  readonly target: string;
  /** HMAC secret for generic webhooks. */
  readonly secret: string | null;
}

export interface MailConfig {
  /** e.g. smtp://user:pass@mail.example.org:587 (FIREBREAK_SMTP_URL). */
  readonly smtpUrl: string;
  /** e.g. "Firebreak <firebreak@example.org>" (FIREBREAK_MAIL_FROM). */
  readonly from: string;
}

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | undefined {
  const smtpUrl = env['FIREBREAK_SMTP_URL'];
  if (!smtpUrl) return undefined;
  return { smtpUrl, from: env['FIREBREAK_MAIL_FROM'] ?? 'Firebreak <firebreak@localhost>' };
}

const HTTP_TIMEOUT_MS = 10_000;

export class ChannelSenders {
  private transporter: Transporter | undefined;

  constructor(
    private readonly mail: MailConfig | undefined,
    private readonly guard: OutboundGuard = OutboundGuard.fromEnv(),
  ) {}

  async send(message: OutboundMessage, to: Destination, now: Date): Promise<void> {
    if (to.channel === 'email') return this.sendMail(message, to.target);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Firebreak', 'x-firebreak-delivery': message.id };
    let body: string;
    switch (to.channel) {
      case 'webhook':
        body = genericWebhookBody(message, now);
        if (to.secret) headers[SIGNATURE_HEADER] = signatureHeader(to.secret, now, body);
        break;
      case 'slack':
      case 'mattermost':
        body = slackWebhookBody(message);
        break;
      case 'teams':
        body = teamsWebhookBody(message);
        break;
      default: {
        const unknown: never = to.channel;
        throw new Error(`unknown channel ${String(unknown)}`);
      }
    }
    const response = await guardedPost(this.guard, to.target, { headers, body, timeoutMs: HTTP_TIMEOUT_MS });
    if (response.status < 200 || response.status > 299) {
      const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
      throw new Error(`receiver answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${redirect}`);
    }
  }

  private async sendMail(message: OutboundMessage, address: string): Promise<void> {
    if (!this.mail) throw new Error('e-mail is not configured: set FIREBREAK_SMTP_URL (and FIREBREAK_MAIL_FROM)');
    // The relay is reached through the guard too: getSocket hands nodemailer a connection
    // whose address was checked at connect time (nodemailer still does STARTTLS/TLS on it).
    this.transporter ??= nodemailer.createTransport({
      url: this.mail.smtpUrl,
      getSocket: (options, callback) => {
        // nodemailer's own default ports when the URL names none.
        const port = Number(options.port) || (options.secure ? 465 : 587);
        this.guard.connect(options.host ?? 'localhost', port).then(
          (connection) => callback(null, { connection }),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    await this.transporter.sendMail({
      from: this.mail.from,
      to: address,
      subject: message.subject ?? `Firebreak: ${message.incidentId ?? 'notification'}`,
      text: message.body,
      headers: { 'X-Firebreak-Delivery': message.id },
    });
  }

  close(): void {
    this.transporter?.close();
    this.transporter = undefined;
  }
}
