import { describe, expect, it } from 'vitest';
import { genericWebhookBody, slackWebhookBody, teamsWebhookBody } from './message-payloads.js';

const message = { id: 'd1', incidentId: 'INC-2026-0001', clock: 'sitrep:2', subject: '[sitrep due] INC-2026-0001', body: 'Post it.' };

describe('message payloads', () => {
  it('generic webhooks carry the message and its context as JSON', () => {
    expect(JSON.parse(genericWebhookBody(message, new Date('2026-03-02T09:00:00Z')))).toEqual({
      id: 'd1',
      incident: 'INC-2026-0001',
      clock: 'sitrep:2',
      subject: '[sitrep due] INC-2026-0001',
      body: 'Post it.',
      sentAt: '2026-03-02T09:00:00.000Z',
    });
  });

  it('Slack (and Mattermost) get a text with a bold subject line', () => {
    expect(JSON.parse(slackWebhookBody(message))).toEqual({ text: '*[sitrep due] INC-2026-0001*\nPost it.' });
    expect(JSON.parse(slackWebhookBody({ ...message, subject: null }))).toEqual({ text: 'Post it.' });
  });

  it('Teams gets a MessageCard with title and summary', () => {
    expect(JSON.parse(teamsWebhookBody(message))).toEqual({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: '[sitrep due] INC-2026-0001',
      title: '[sitrep due] INC-2026-0001',
      text: 'Post it.',
    });
  });
});
