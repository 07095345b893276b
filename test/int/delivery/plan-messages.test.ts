/**
 * Plan messages over real loopback receivers (an HTTP receiver for the chat channel and
 * the ticket webhook, a real smtp-server for the on-call mailbox), with a manual clock:
 * a posted sitrep reaches the severity's audiences; a composed broadcast is previewed
 * with every variable filled and times in the plan's zone, refused while a placeholder
 * remains, held for review where the plan says so and sent only once approved; an
 * external disclosure needs two people other than its author.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { giveContact, reportIncident } from '../scheduler/scheduler-fixtures.js';
import { minutes } from '../../support/test-app.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from './loopback-receivers.js';

let app: TestApp | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const close of closers.splice(0)) await close();
});

/** nist-team-procedures as `review-broadcast`, whose broadcast waits for review. */
function reviewedBroadcastPlanDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-review-plan-'));
  const source = readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8');
  const plan = source.replace(/^id: nist-team-procedures$/m, 'id: review-broadcast').replace(/^ {2}broadcast:\n/m, '  broadcast:\n    reviewBeforeSend: true\n');
  writeFileSync(join(dir, 'review-broadcast.yaml'), plan);
  return dir;
}

interface Receivers {
  readonly chat: HttpReceiver;
  readonly ticket: HttpReceiver;
  readonly smtp: SmtpReceiver;
}

/** An app whose ir-team audience reaches the chat hook and the mailbox, and stakeholders the ticket hook. */
async function appWithReceivers(planDirs: string[] = []): Promise<{ a: TestApp; r: Receivers }> {
  const chat = await startHttpReceiver([200]);
  const ticket = await startHttpReceiver([200]);
  const smtp = await startSmtpReceiver();
  closers.push(chat.close, ticket.close, smtp.close);
  const a = await createTestApp({ planDirs, delivery: { mail: { smtpUrl: smtp.url, from: 'Firebreak <firebreak@example.org>' } } });
  app = a;
  await setChannelEndpoint(a.store.db, { channel: 'incident-channel', kind: 'slack', target: chat.url }, a.time.now());
  await setChannelEndpoint(a.store.db, { channel: 'on-call-mail', kind: 'email', target: 'oncall@example.org' }, a.time.now());
  await setChannelEndpoint(a.store.db, { channel: 'incident-ticket', kind: 'webhook', target: ticket.url }, a.time.now());
  return { a, r: { chat, ticket, smtp } };
}

async function highIncident(a: TestApp, planId = 'nist-team-procedures'): Promise<string> {
  const id = await reportIncident(a, planId);
  await a.incidents.execute(id, { type: 'triage', decision: 'confirm', severity: 'high' }, { actor: 'rita' });
  return id;
}

describe('sitrep delivery', () => {
  it('delivers a posted sitrep to the audiences of the severity, by chat webhook and by e-mail, and records each send', async () => {
    const { a, r } = await appWithReceivers();
    const id = await highIncident(a);
    await a.incidents.execute(id, { type: 'post_sitrep', text: 'Credentials rotated at 2026-03-02T09:00:00.000Z; scanning the rest.' }, { actor: 'rita' });
    await a.scheduler.tick();

    expect(r.chat.requests).toHaveLength(1);
    const chat = JSON.parse(r.chat.requests[0]!.body) as { text: string };
    expect(chat.text).toContain('[sitrep] Suspicious logins on the build server');
    expect(chat.text).toContain('Credentials rotated at Mon 2 Mar 2026');
    expect(chat.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    expect(r.smtp.mails).toHaveLength(1);
    expect(r.smtp.mails[0]!.to).toEqual(['oncall@example.org']);
    expect(r.smtp.mails[0]!.raw).toContain('scanning the rest');
    // Stakeholders are not an audience of a high-severity incident.
    expect(r.ticket.requests).toHaveLength(0);

    const records = await a.deliveries.list({ incidentId: id });
    expect(records.map((d) => [d.template, d.channel, d.status]).sort()).toEqual([
      ['sitrep', 'email', 'sent'],
      ['sitrep', 'slack', 'sent'],
    ]);
    const sent = await a.incidents.timeline(id, { types: ['message_sent'] });
    expect(sent).toHaveLength(2);
  });
});

describe('sitrep reminders', () => {
  it('page the Communications Officer with a link to the incident page and times for a person, not a CLI command or ISO', async () => {
    const hook = await startHttpReceiver([200]);
    closers.push(hook.close);
    const a = await createTestApp({ scheduler: { publicUrl: 'https://firebreak.example.org/' } });
    app = a;
    await giveContact(a, 'cora', 'webhook', hook.url);
    const id = await highIncident(a);
    await a.incidents.execute(id, { type: 'assign_role', role: 'co', to: 'cora' }, { actor: 'rita' });
    a.time.advance(minutes(60));
    await a.scheduler.tick();

    const reminders = hook.requests.map((r) => JSON.parse(r.body) as { subject: string; body: string }).filter((m) => m.subject.startsWith('[sitrep due]'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.body).toContain(`Post it on the incident page: https://firebreak.example.org/incidents/${id}`);
    expect(reminders[0]!.body).toContain('was due at Mon 2 Mar 2026, 10:00 UTC');
    expect(reminders[0]!.body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}|firebreak sitrep/);
  });
});

describe('composed messages', () => {
  it('previews a broadcast with every variable filled and times in the plan zone, and sends it to its audience', async () => {
    const { a, r } = await appWithReceivers();
    const id = await highIncident(a);
    const preview = await a.messages.compose(id, { template: 'broadcast', variables: { details: 'Rotating credentials' } });
    expect(preview).toMatchObject({ audience: 'ir-team', approvalsNeeded: 0, missingVariables: [], placeholders: [] });
    expect(preview.body).toContain('**Details**: Rotating credentials');
    expect(preview.recipients).toEqual([`slack ${r.chat.url}`, 'email oncall@example.org']);

    const message = await a.messages.send(id, { template: 'broadcast', variables: { details: 'Rotating credentials' } }, 'rita');
    expect(message.status).toBe('sent');
    await a.scheduler.tick();
    expect(r.chat.requests).toHaveLength(1);
    expect(r.smtp.mails).toHaveLength(1);
    const [submitted] = await a.incidents.timeline(id, { types: ['message_submitted'] });
    expect(submitted).toMatchObject({ actor: 'rita', data: { message: message.id, template: 'broadcast', audience: 'ir-team', review: false } });
  });

  it('refuses a body with a leftover placeholder, naming it, and neither stores nor sends anything', async () => {
    const { a, r } = await appWithReceivers();
    const id = await highIncident(a);
    const before = (await a.incidents.timeline(id)).length;

    await expect(a.messages.send(id, { template: 'broadcast', body: 'Status: contained.\nImpact: [TBD]' }, 'rita')).rejects.toMatchObject({
      code: 'FB_ERR_MESSAGE_PLACEHOLDER',
      fields: [{ path: 'body', message: expect.stringContaining('line 2: [TBD]') }],
    });
    // The template's own `default: "…"` is an unfilled placeholder too.
    await expect(a.messages.send(id, { template: 'externalDisclosure' }, 'rita')).rejects.toMatchObject({
      code: 'FB_ERR_MESSAGE_PLACEHOLDER',
      fields: [{ path: 'body', message: expect.stringContaining('…') }],
    });
    const preview = await a.messages.compose(id, { template: 'broadcast', body: 'Hand over to <next person> by {{ time }}' });
    expect(preview.placeholders.map((p) => p.text)).toEqual(['<next person>', '{{ time }}']);

    await a.scheduler.tick();
    expect(await a.messages.list(id)).toEqual([]);
    expect(await a.deliveries.list({ incidentId: id })).toEqual([]);
    expect(await a.incidents.timeline(id)).toHaveLength(before);
    expect(r.chat.requests).toHaveLength(0);
  });

  it('holds a broadcast the plan reviews until someone other than its author approves it; a rejection sends nothing', async () => {
    const { a, r } = await appWithReceivers([reviewedBroadcastPlanDir()]);
    const id = await highIncident(a, 'review-broadcast');
    const held = await a.messages.send(id, { template: 'broadcast', variables: { details: 'Rotating credentials' } }, 'rita');
    expect(held).toMatchObject({ status: 'review', approvalsNeeded: 1, approvedBy: [] });
    await a.scheduler.tick();
    expect(r.chat.requests).toHaveLength(0);
    expect(await a.deliveries.list({ incidentId: id })).toEqual([]);

    await expect(a.messages.approve(held.id, 'rita')).rejects.toMatchObject({ code: 'FB_ERR_MESSAGE_REVIEWER' });
    const approved = await a.messages.approve(held.id, 'sam');
    expect(approved).toMatchObject({ status: 'sent', approvedBy: ['sam'] });
    await a.scheduler.tick();
    expect(r.chat.requests).toHaveLength(1);
    expect(r.smtp.mails).toHaveLength(1);
    await expect(a.messages.approve(held.id, 'tom')).rejects.toMatchObject({ code: 'FB_ERR_MESSAGE_NOT_IN_REVIEW' });

    const second = await a.messages.send(id, { template: 'broadcast', variables: { details: 'Second update' } }, 'rita');
    await expect(a.messages.reject(second.id, 'sam', '  ')).rejects.toMatchObject({ fields: [{ path: 'reason' }] });
    expect(await a.messages.reject(second.id, 'sam', 'Wrong audience')).toMatchObject({ status: 'rejected', rejectedBy: 'sam', rejectReason: 'Wrong audience' });
    await a.scheduler.tick();
    expect(r.chat.requests).toHaveLength(1);
    const log = await a.incidents.timeline(id, { types: ['message_submitted', 'message_approved', 'message_rejected'] });
    expect(log.map((e) => [e.type, e.actor])).toEqual([
      ['message_submitted', 'rita'],
      ['message_approved', 'sam'],
      ['message_submitted', 'rita'],
      ['message_rejected', 'sam'],
    ]);
  });

  it('sends an external disclosure only after two different people other than its author approve it', async () => {
    const { a, r } = await appWithReceivers();
    const id = await highIncident(a);
    const variables = { impact: 'None known; no customer data was reached.', actions: 'Rotating every build credential.' };
    const held = await a.messages.send(id, { template: 'externalDisclosure', variables }, 'rita');
    expect(held).toMatchObject({ status: 'review', approvalsNeeded: 2 });

    await expect(a.messages.approve(held.id, 'rita')).rejects.toMatchObject({ code: 'FB_ERR_MESSAGE_REVIEWER' });
    expect(await a.messages.approve(held.id, 'sam')).toMatchObject({ status: 'review', approvedBy: ['sam'] });
    await expect(a.messages.approve(held.id, 'sam')).rejects.toMatchObject({ code: 'FB_ERR_MESSAGE_REVIEWER' });
    await a.scheduler.tick();
    expect(r.ticket.requests).toHaveLength(0);

    expect(await a.messages.approve(held.id, 'tom')).toMatchObject({ status: 'sent', approvedBy: ['sam', 'tom'] });
    await a.scheduler.tick();
    expect(r.ticket.requests).toHaveLength(1);
    expect(JSON.parse(r.ticket.requests[0]!.body)).toMatchObject({ subject: 'Security notice: Suspicious logins on the build server', body: expect.stringContaining('Rotating every build credential.') });
    const [delivery] = await a.deliveries.list({ incidentId: id });
    expect(delivery).toMatchObject({ status: 'sent', template: 'externalDisclosure' });
  });

  it('names the field of a bad template, audience or missing variable', async () => {
    const { a } = await appWithReceivers();
    const id = await highIncident(a);
    await expect(a.messages.compose(id, { template: 'nope' })).rejects.toMatchObject({ fields: [{ path: 'template' }] });
    await expect(a.messages.compose(id, { template: 'sitrep' })).rejects.toMatchObject({ fields: [{ path: 'template' }] });
    await expect(a.messages.compose(id, { template: 'broadcast', audience: 'nobody' })).rejects.toMatchObject({ fields: [{ path: 'audience' }] });
    await expect(a.messages.send(id, { template: 'internalNotification', audience: 'project-leads' }, 'rita')).rejects.toMatchObject({ fields: [{ path: 'audience' }] });
    expect(await a.messages.list(id)).toEqual([]);
  });
});
