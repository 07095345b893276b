/**
 * What a message looks like on the wire for each kind of channel: Firebreak's own JSON
 * for generic webhooks, Slack's incoming-webhook shape (also accepted by Mattermost), and
 * the Office 365 connector card accepted by Microsoft Teams incoming webhooks.
 */

export interface OutboundMessage {
  readonly id: string;
  readonly incidentId: string | null;
  readonly clock: string | null;
  readonly subject: string | null;
  readonly body: string;
}

export function genericWebhookBody(message: OutboundMessage, sentAt: Date): string {
  return JSON.stringify({
    id: message.id,
    incident: message.incidentId,
    clock: message.clock,
    subject: message.subject,
    body: message.body,
    sentAt: sentAt.toISOString(),
  });
}

/** Slack `mrkdwn`: bold subject line, then the body. Mattermost accepts the same shape. */
export function slackWebhookBody(message: OutboundMessage): string {
  const text = message.subject ? `*${message.subject}*\n${message.body}` : message.body;
  return JSON.stringify({ text });
}

export function teamsWebhookBody(message: OutboundMessage): string {
  return JSON.stringify({
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: message.subject ?? message.body.slice(0, 80),
    ...(message.subject ? { title: message.subject } : {}),
    text: message.body,
  });
}
