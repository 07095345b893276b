/**
 * The adapters that put one message on one channel: HTTP webhooks (generic signed JSON,
 * Slack/Mattermost, Teams) with the global fetch, and e-mail over SMTP with nodemailer.
 * A sender resolves on success and throws with a plain reason on failure; retrying is the
 * delivery service's job.
 */
import nodemailer, { type Transporter } from 'nodemailer';
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

  constructor(private readonly mail: MailConfig | undefined) {}

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
    let response: Response;
    try {
      response = await fetch(to.target, { method: 'POST', headers, body, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS), redirect: 'manual' });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new Error(`request failed${cause || (error instanceof Error ? `: ${error.message}` : '')}`);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`receiver answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }

  private async sendMail(message: OutboundMessage, address: string): Promise<void> {
    if (!this.mail) throw new Error('e-mail is not configured: set FIREBREAK_SMTP_URL (and FIREBREAK_MAIL_FROM)');
    this.transporter ??= nodemailer.createTransport(this.mail.smtpUrl);
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
