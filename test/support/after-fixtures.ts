/**
 * Fixture incidents driven through the real services, minute by minute on the manual
 * clock, for the after-incident tests: one under iso27001-library (000) and one under
 * nist-team-procedures (002), each with evidence, a completed review and action items.
 * The figures the tests expect are written beside each step.
 */
import { Readable } from 'node:stream';
import type { IncidentCommand } from '../../src/domain/incident/commands.js';
import type { TestApp } from './test-app.js';

export async function at(app: TestApp, iso: string): Promise<void> {
  app.time.set(iso);
}

async function run(app: TestApp, id: string, actor: string, command: IncidentCommand): Promise<void> {
  await app.incidents.execute(id, command, { actor });
}

/** Completes the required items of the incident's current phase, then enters `next`. */
export async function finishPhase(app: TestApp, id: string, actor: string, next: string): Promise<void> {
  const state = await app.incidents.get(id);
  const plan = await app.incidents.planOf(state);
  const phase = plan.phases.find((p) => p.id === state.phase)!;
  for (const item of phase.checklist) {
    if (item.required && !state.completedItems[item.id]) await run(app, id, actor, { type: 'complete_item', item: item.id });
  }
  await run(app, id, actor, { type: 'enter_phase', phase: next });
}

/**
 * 000: a P2 cryptographic report. Reported Mon 2026-03-02 09:00 UTC, acknowledged 09:40
 * (TTA 40 min), contained when leaving containment at 14:00 (TTC 5 h), resolved Wed
 * 2026-03-04 16:00 (TTR 2 d 7 h), closed Thu 2026-03-05 09:00 (review due 2 weeks later,
 * 2026-03-19 09:00), review completed Thu 2026-03-12 15:00.
 */
export async function iso27001Incident(app: TestApp): Promise<string> {
  await at(app, '2026-03-02T09:00:00Z');
  const { state } = await app.incidents.report(
    'iso27001-library',
    {
      type: 'report',
      title: 'Timing side channel in OPAQUE envelope recovery',
      summary: 'A researcher reported that envelope recovery time depends on the password, letting a network attacker distinguish valid from invalid credentials.',
      reporter: { anonymous: false, name: 'Mara Quint (external researcher)' },
      source: 'SECURITY.md report',
    },
    { actor: 'sam' },
  );
  const id = state.id;
  await at(app, '2026-03-02T09:40:00Z');
  await run(app, id, 'sam', { type: 'acknowledge' });
  await at(app, '2026-03-02T09:45:00Z');
  await run(app, id, 'sam', { type: 'triage', decision: 'confirm', severity: 'P2', category: 'cryptographic' });
  await at(app, '2026-03-02T09:50:00Z');
  await run(app, id, 'sam', { type: 'assign_role', role: 'ic', to: 'irene' });
  await run(app, id, 'irene', { type: 'assign_role', role: 'tech-lead', to: 'tom' });
  await run(app, id, 'irene', { type: 'assign_role', role: 'comms', to: 'cora' });
  await at(app, '2026-03-02T10:30:00Z');
  await finishPhase(app, id, 'sam', 'containment');
  await at(app, '2026-03-02T11:00:00Z');
  await app.evidence.addFile(id, Readable.from([Buffer.from('#!/bin/sh\n# timing probe against envelope recovery\nfor i in $(seq 1000); do ./probe; done\n')]), { description: 'Reporter reproduction script', source: 'researcher e-mail', filename: 'probe.sh', collector: 'sam' }, { actor: 'sam' });
  await at(app, '2026-03-02T11:30:00Z');
  await run(app, id, 'tom', { type: 'complete_item', item: 'confirm-vulnerability' });
  await at(app, '2026-03-02T13:30:00Z');
  await run(app, id, 'tom', { type: 'complete_item', item: 'temporary-mitigation' });
  await at(app, '2026-03-02T14:00:00Z');
  await finishPhase(app, id, 'irene', 'eradication');
  await at(app, '2026-03-03T10:00:00Z');
  await finishPhase(app, id, 'tom', 'recovery');
  await at(app, '2026-03-04T15:00:00Z');
  await finishPhase(app, id, 'cora', 'lessons-learned');
  await at(app, '2026-03-04T16:00:00Z');
  await run(app, id, 'irene', { type: 'resolve', summary: 'Constant-time comparison in envelope recovery, released in 1.4.2 with advisory ESA-2026-001.' });
  await at(app, '2026-03-05T09:00:00Z');
  await run(app, id, 'irene', { type: 'close' });
  await at(app, '2026-03-10T14:00:00Z');
  await app.reviews.set(
    id,
    {
      rootCause: 'Envelope recovery compared the MAC with a short-circuiting byte comparison.',
      whys: [
        'Why could an attacker tell passwords apart? Envelope recovery took longer for a closer MAC.',
        'Why did timing depend on the MAC? The comparison stopped at the first differing byte.',
        'Why was a short-circuiting comparison used? The helper from the utilities module was reused.',
        'Why was the helper not constant-time? It was written for non-secret data and not labelled.',
        'Why did review not catch it? The checklist had no item for secret-dependent branches.',
      ],
      wentWell: ['Acknowledged within 40 minutes', 'Fix released in two days'],
      toImprove: ['Add a constant-time lint', 'Label helpers that are not safe for secrets'],
      controlGaps: ['No timing tests in CI'],
      threatActions: ['Network timing measurement'],
      impact: 'All 1.x releases before 1.4.2; no exploitation observed.',
      lessons: 'Secret-dependent comparisons need a dedicated constant-time helper and a test.',
    },
    'irene',
  );
  const lint = await app.actions.add(id, { title: 'Add a constant-time lint rule to CI', owner: 'tom', dueDate: '2026-03-31', priority: 'high', trackerUrl: 'https://github.com/example/opaque/issues/412' }, 'irene');
  await app.actions.add(id, { title: 'Update the plan: timing review item in the eradication checklist', owner: 'sam', dueDate: '2026-04-15', priority: 'medium', planId: 'iso27001-library', planVersion: (await app.incidents.get(id)).planVersion }, 'irene');
  await app.actions.update(lint.id, { status: 'done' }, 'tom');
  await at(app, '2026-03-12T15:00:00Z');
  await app.reviews.complete(id, 'irene');
  return id;
}

/**
 * 002: a high-severity availability incident. Reported Tue 2026-03-03 09:00 UTC, triaged
 * 09:04, acknowledged 09:06 (TTA 6 min), sitreps hourly at 10:00, 11:00 and 12:30 (one
 * late), contained (flag) 10:30 (TTC 1 h 30 min), resolved 13:00 (TTR 4 h).
 */
export async function nistTeamIncident(app: TestApp): Promise<string> {
  await at(app, '2026-03-03T09:00:00Z');
  const { state } = await app.incidents.report(
    'nist-team-procedures',
    { type: 'report', title: 'Login service returning 500s after credential-stuffing wave', summary: 'Error rates on the login service jumped to 40% while requests from a botnet spiked.', reporter: { anonymous: false, name: 'pat' }, source: 'OpsGenie alert' },
    { actor: 'pat' },
  );
  const id = state.id;
  await at(app, '2026-03-03T09:04:00Z');
  await run(app, id, 'pat', { type: 'triage', decision: 'confirm', severity: 'high', category: 'availability' });
  await at(app, '2026-03-03T09:06:00Z');
  await run(app, id, 'pat', { type: 'acknowledge' });
  await run(app, id, 'pat', { type: 'assign_role', role: 'first-responder', to: 'pat' });
  await run(app, id, 'pat', { type: 'assign_role', role: 'ic', to: 'quinn' });
  await finishPhase(app, id, 'pat', 'document');
  await finishPhase(app, id, 'pat', 'initiate');
  await at(app, '2026-03-03T09:20:00Z');
  await finishPhase(app, id, 'quinn', 'assess');
  await app.evidence.addText(id, { kind: 'text', text: '09:01:12 login-api 500 rate=0.41 src=AS64500' }, { description: 'Load balancer log excerpt at the start of the spike', source: 'lb-eu-1' }, { actor: 'pat' });
  await at(app, '2026-03-03T09:40:00Z');
  await finishPhase(app, id, 'quinn', 'remediate');
  await at(app, '2026-03-03T10:00:00Z');
  await run(app, id, 'quinn', { type: 'post_sitrep', text: 'Rate limiting at the edge being rolled out.' });
  await at(app, '2026-03-03T10:30:00Z');
  await run(app, id, 'quinn', { type: 'set_flag', flag: 'contained', note: 'Botnet ranges blocked at the edge' });
  await at(app, '2026-03-03T11:00:00Z');
  await run(app, id, 'quinn', { type: 'post_sitrep', text: 'Contained; error rate back to normal.' });
  await at(app, '2026-03-03T12:30:00Z');
  await run(app, id, 'quinn', { type: 'post_sitrep', text: 'Monitoring; resetting affected sessions.' });
  await at(app, '2026-03-03T13:00:00Z');
  await run(app, id, 'quinn', { type: 'resolve', summary: 'Edge rate limits and a captcha on repeated failures.' });
  await at(app, '2026-03-04T10:00:00Z');
  await app.reviews.set(
    id,
    {
      detectedAt: '2026-03-03T08:45:00Z',
      discoveryMethod: 'OpsGenie alert on login error rate',
      threatActions: ['Credential stuffing', 'Request flooding'],
      rootCause: 'The login service had no per-source rate limit, so a credential-stuffing wave exhausted its database pool.',
      whys: ['Why did logins fail? The database pool was exhausted.', 'Why was it exhausted? Every attempt opened a connection.', 'Why were attempts unlimited? No rate limit per source.'],
      wentWell: ['Acknowledged in 6 minutes'],
      toImprove: ['Sitrep at 12:30 was 30 minutes late'],
      fishbone: { technology: ['No rate limit'], process: ['No load test for bursts'] },
    },
    'quinn',
  );
  await app.actions.add(id, { title: 'Per-source rate limits on every public endpoint', owner: 'pat', dueDate: '2026-03-20', priority: 'high', trackerUrl: 'https://jira.example.com/browse/SEC-88' }, 'quinn');
  const deferred = await app.actions.add(id, { title: 'Move sessions to a separate database', owner: 'quinn', priority: 'low' }, 'quinn');
  await app.actions.update(deferred.id, { status: 'deferred', reason: 'Covered by the Q3 platform migration' }, 'quinn');
  await at(app, '2026-03-05T11:00:00Z');
  await app.reviews.complete(id, 'quinn');
  return id;
}
