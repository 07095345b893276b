/**
 * Alert ingestion through the real HTTP endpoint (Fastify inject against a real SQLite
 * store): each source's documented payloads, signatures and tokens, malformed and
 * oversize bodies, de-duplication of a 10,000-alert storm, retried deliveries and
 * routing rules.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { signBody } from '../../src/integrations/ingest/signature.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const fixtureText = (path: string) => readFileSync(new URL(`../fixtures/ingest/${path}`, import.meta.url), 'utf8');

let app: TestApp;
let server: FastifyInstance;
let secrets: Record<string, string>;

beforeEach(async () => {
  app = await createTestApp();
  server = await buildServer({ app, logger: false });
  secrets = {};
  for (const [name, kind] of [['gh', 'github'], ['am', 'alertmanager'], ['scan', 'sarif'], ['ci', 'generic']] as const) {
    const added = await app.intake.addSource({ name, kind, plan: 'iec62443-platform', actor: 'admin' });
    secrets[name] = added.secret!;
  }
});

afterEach(async () => {
  await server.close();
  await app.close();
});

function github(event: string, body: string, options: { delivery?: string; secret?: string } = {}) {
  return server.inject({
    method: 'POST',
    url: '/api/v1/ingest/gh',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? crypto.randomUUID(),
      'x-hub-signature-256': signBody(options.secret ?? secrets['gh']!, body),
    },
    payload: body,
  });
}

function bearer(source: string, body: string, headers: Record<string, string> = {}, query = '') {
  return server.inject({
    method: 'POST',
    url: `/api/v1/ingest/${source}${query}`,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets[source]}`, ...headers },
    payload: body,
  });
}

async function triageQueue() {
  return app.incidents.list({ kind: 'event', status: ['investigating'] });
}

describe('ingest: each source’s real payloads', () => {
  it('GitHub: every security event becomes an event in the triage queue, recorded with its source', async () => {
    for (const [event, file] of [
      ['dependabot_alert', 'dependabot_alert.created.json'],
      ['code_scanning_alert', 'code_scanning_alert.created.json'],
      ['secret_scanning_alert', 'secret_scanning_alert.created.json'],
      ['repository_advisory', 'repository_advisory.reported.json'],
      ['security_advisory', 'security_advisory.published.json'],
    ]) {
      const response = await github(event!, fixtureText(`github/${file}`));
      expect(response.statusCode, `${event}: ${response.body}`).toBe(202);
      expect(response.json()).toMatchObject({ created: 1, repeated: 0, duplicate: false });
    }
    const queue = await triageQueue();
    expect(queue).toHaveLength(5);
    const timeline = await app.incidents.timeline(queue[0]!.id);
    expect(timeline[0]).toMatchObject({ type: 'reported', actor: 'ingest:gh', data: { source: 'ingest:gh' } });
    expect(queue.every((s) => s.source === 'ingest:gh')).toBe(true);
  });

  it('GitHub: a ping is accepted and ignored; a form-encoded delivery is read from its payload field', async () => {
    const ping = await github('ping', fixtureText('github/ping.json'));
    expect(ping.statusCode).toBe(202);
    expect(ping.json()).toMatchObject({ created: 0, note: 'ping received; the hook works' });
    const form = `payload=${encodeURIComponent(fixtureText('github/dependabot_alert.created.json'))}`;
    const response = await server.inject({
      method: 'POST',
      url: '/api/v1/ingest/gh',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'dependabot_alert', 'x-github-delivery': 'd-form', 'x-hub-signature-256': signBody(secrets['gh']!, form) },
      payload: form,
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ created: 1 });
  });

  it('Alertmanager: a group of two firing alerts opens two events; the resolved notice marks one resolved without new work', async () => {
    const firing = await bearer('am', fixtureText('alertmanager/firing.json'));
    expect(firing.statusCode, firing.body).toBe(202);
    expect(firing.json()).toMatchObject({ received: 2, created: 2 });
    const resolved = await bearer('am', fixtureText('alertmanager/resolved.json'));
    expect(resolved.json()).toMatchObject({ received: 1, created: 0, repeated: 0, alerts: [{ outcome: 'resolved' }] });
    const alerts = await app.intake.listAlerts({ source: 'am' });
    expect(alerts.filter((a) => a.sourceResolvedAt !== null)).toHaveLength(1);
    expect(await triageQueue()).toHaveLength(2);
  });

  it('SARIF: Gitleaks, Semgrep and CodeQL logs each become events; the leaked secret is stored nowhere', async () => {
    for (const file of ['gitleaks.sarif', 'semgrep.sarif', 'codeql.sarif']) {
      const response = await bearer('scan', fixtureText(`sarif/${file}`), { 'content-type': 'application/sarif+json' }, '?repository=acme-labs/opaque-core');
      expect(response.statusCode, response.body).toBe(202);
    }
    expect(await triageQueue()).toHaveLength(4);
    const everything = JSON.stringify([await app.intake.listAlerts(), ...(await Promise.all((await triageQueue()).map((s) => app.incidents.timeline(s.id))))]);
    expect(everything).not.toContain('AKIAZ7EXAMPLEQ4XK2MB');
    expect(everything).toContain('deploy/terraform/ci.tfvars');
  });

  it('generic: one alert, or a batch', async () => {
    expect((await bearer('ci', fixtureText('generic/single.json'))).json()).toMatchObject({ created: 1 });
    expect((await bearer('ci', fixtureText('generic/batch.json'))).json()).toMatchObject({ received: 3, created: 3 });
  });
});

describe('ingest: refusals change nothing', () => {
  async function nothingStored() {
    expect(await app.intake.listAlerts()).toEqual([]);
    expect(await app.incidents.list()).toEqual([]);
  }

  it('401 for a wrong HMAC, a missing signature, a wrong or missing bearer token', async () => {
    const body = fixtureText('github/dependabot_alert.created.json');
    expect((await github('dependabot_alert', body, { secret: 'not-the-secret' })).statusCode).toBe(401);
    const unsigned = await server.inject({ method: 'POST', url: '/api/v1/ingest/gh', headers: { 'content-type': 'application/json', 'x-github-event': 'dependabot_alert' }, payload: body });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.headers['content-type']).toContain('application/problem+json');
    expect(unsigned.json()).toMatchObject({ status: 401, code: 'FB_ERR_INGEST_BAD_SIGNATURE' });
    expect((await bearer('am', fixtureText('alertmanager/firing.json'), { authorization: 'Bearer fbi_wrong' })).statusCode).toBe(401);
    expect((await server.inject({ method: 'POST', url: '/api/v1/ingest/am', headers: { 'content-type': 'application/json' }, payload: fixtureText('alertmanager/firing.json') })).statusCode).toBe(401);
    // A body altered after signing fails too.
    const signed = signBody(secrets['gh']!, body);
    const tampered = await server.inject({ method: 'POST', url: '/api/v1/ingest/gh', headers: { 'content-type': 'application/json', 'x-github-event': 'dependabot_alert', 'x-hub-signature-256': signed }, payload: body.replace('"high"', '"low"') });
    expect(tampered.statusCode).toBe(401);
    await nothingStored();
  });

  it('400 naming the field for each source’s malformed body, and for a body that is not JSON', async () => {
    const cases = [
      [await github('dependabot_alert', fixtureText('github/dependabot_alert.malformed.json')), 'alert.security_advisory.ghsa_id'],
      [await bearer('am', fixtureText('alertmanager/malformed-no-alertname.json')), 'alerts[1].labels'],
      [await bearer('scan', fixtureText('sarif/malformed-no-driver-name.sarif')), 'runs[0].tool.driver.name'],
      [await bearer('ci', fixtureText('generic/malformed-bad-severity.json')), '[1].title'],
      [await bearer('ci', '{"title": "unterminated'), '(body)'],
      [await bearer('ci', ''), '(body)'],
    ] as const;
    for (const [response, field] of cases) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, code: 'FB_ERR_INGEST_MALFORMED' });
      expect(response.json().fields[0].path).toBe(field);
    }
    await nothingStored();
  });

  it('413 for a body over the source kind’s limit', async () => {
    const huge = JSON.stringify({ title: 'big', summary: 'x'.repeat(1_100_000) });
    const response = await bearer('ci', huge);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'FB_ERR_HTTP_TOO_LARGE' });
    const overAll = await bearer('ci', JSON.stringify({ title: 'bigger', summary: 'x'.repeat(21 * 1024 * 1024) }));
    expect(overAll.statusCode).toBe(413);
    expect(overAll.json()).toMatchObject({ code: 'FB_ERR_HTTP_TOO_LARGE' });
    await nothingStored();
  });

  it('404 for an unknown source', async () => {
    const response = await server.inject({ method: 'POST', url: '/api/v1/ingest/nope', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'FB_ERR_INGEST_UNKNOWN_SOURCE', fields: [{ path: 'source' }] });
    await nothingStored();
  });
});

describe('ingest: de-duplication and deliveries', () => {
  it('a storm of 10,000 identical alerts becomes one triage item with count 10,000', async () => {
    const alert = { title: 'Signer 403 storm', rule: 'signer-forbidden', severity: 'critical', host: 'signer-1' };
    const batch = JSON.stringify(Array.from({ length: 100 }, () => alert));
    let sent = 0;
    for (let i = 0; i < 99; i++) {
      const response = await bearer('ci', batch);
      expect(response.statusCode).toBe(202);
      sent += 100;
    }
    const last = JSON.stringify(Array.from({ length: 95 }, () => alert));
    expect((await bearer('ci', last)).statusCode).toBe(202);
    sent += 95;
    for (let i = 0; i < 5; i++) {
      const single = await bearer('ci', JSON.stringify(alert));
      expect(single.json()).toMatchObject({ created: 0, repeated: 1 });
      sent += 1;
    }
    expect(sent).toBe(10_000);
    const queue = await triageQueue();
    expect(queue).toHaveLength(1);
    const alerts = await app.intake.listAlerts({ incidentId: queue[0]!.id });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 10_000, status: 'open' });
    expect(await app.incidents.timeline(queue[0]!.id)).toHaveLength(1);
  });

  it('Alertmanager: a re-sent notification (retry, repeat_interval, same groupKey) is not counted again; a new firing is', async () => {
    const text = fixtureText('alertmanager/firing.json');
    expect((await bearer('am', text)).json()).toMatchObject({ received: 2, created: 2 });
    for (let i = 0; i < 3; i++) {
      const again = await bearer('am', text);
      expect(again.statusCode).toBe(202);
      expect(again.json()).toMatchObject({ received: 2, created: 0, repeated: 0, duplicates: 2 });
    }
    expect((await app.intake.listAlerts({ source: 'am' })).map((a) => a.count)).toEqual([1, 1]);
    // The same alert firing again later (a new startsAt) is a new occurrence.
    const payload = JSON.parse(text) as { alerts: { startsAt: string }[] };
    payload.alerts[0]!.startsAt = '2026-03-02T12:00:00.000Z';
    expect((await bearer('am', JSON.stringify(payload))).json()).toMatchObject({ created: 0, repeated: 1, duplicates: 1 });
    expect((await app.intake.listAlerts({ source: 'am' })).map((a) => a.count).sort()).toEqual([1, 2]);
    expect(await triageQueue()).toHaveLength(2);
  });

  it('a retried GitHub delivery (same X-GitHub-Delivery, or the same signed body under a new one) gets the first answer and is not counted twice', async () => {
    const body = fixtureText('github/dependabot_alert.created.json');
    const first = await github('dependabot_alert', body, { delivery: '6a1c7a40-f8a2-11ee-8b1d-5f0c2d7b0a11' });
    const retry = await github('dependabot_alert', body, { delivery: '6a1c7a40-f8a2-11ee-8b1d-5f0c2d7b0a11' });
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual({ ...first.json(), duplicate: true });
    // GitHub signs the body alone: the same signed body under a new delivery id is a replay, not news.
    const replayed = await github('dependabot_alert', body, { delivery: '7b2d8b51-f8a2-11ee-8b1d-5f0c2d7b0a11' });
    expect(replayed.statusCode).toBe(202);
    expect(replayed.json()).toEqual({ ...first.json(), duplicate: true });
    const alerts = await app.intake.listAlerts({ source: 'gh' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.count).toBe(1);
  });

  it('Idempotency-Key on a generic batch, and per-alert deliveryId, are each counted once', async () => {
    const batch = fixtureText('generic/batch.json');
    await bearer('ci', batch, { 'idempotency-key': 'ci-run-5531' });
    expect((await bearer('ci', batch, { 'idempotency-key': 'ci-run-5531' })).json()).toMatchObject({ duplicate: true, created: 3 });
    const single = fixtureText('generic/single.json');
    await bearer('ci', single);
    expect((await bearer('ci', single)).json()).toMatchObject({ duplicates: 1, created: 0, repeated: 0 });
    const counts = (await app.intake.listAlerts({ source: 'ci' })).map((a) => a.count);
    expect(counts).toEqual([1, 1, 1, 1]);
  });

  it('after triage dismisses the event, the same fingerprint opens new work', async () => {
    const alert = JSON.stringify({ title: 'Gitleaks in CI', rule: 'gitleaks', repository: 'acme-labs/opaque-core' });
    const first = (await bearer('ci', alert)).json();
    await app.incidents.execute(first.alerts[0].incidentId, { type: 'triage', decision: 'dismiss', reason: 'test key' }, { actor: 'alice' });
    const again = (await bearer('ci', alert)).json();
    expect(again).toMatchObject({ created: 1 });
    expect(again.alerts[0].incidentId).not.toBe(first.alerts[0].incidentId);
  });
});

describe('ingest: routing rules', () => {
  it('routes by severity label and repository to a plan with a proposed severity', async () => {
    await app.intake.addRoute({ source: 'ci', severityLabel: 'critical', repository: 'acme-labs/*', plan: 'iso27001-library', severity: 'P1' });
    await app.intake.addRoute({ path: '**/package-lock.json', plan: 'nist-800-61r3', severity: 'medium' });
    const response = (await bearer('ci', fixtureText('generic/batch.json'))).json();
    const [cve, sca, unsigned] = await Promise.all(response.alerts.map((a: { incidentId: string }) => app.incidents.get(a.incidentId)));
    expect(cve!.planId).toBe('iec62443-platform');
    expect(sca!.planId).toBe('nist-800-61r3');
    expect(unsigned!.planId).toBe('iso27001-library');
    expect(unsigned!.summary).toContain('Proposed severity: P1');
    const alerts = await app.intake.listAlerts({ incidentId: unsigned!.id });
    expect(alerts[0]).toMatchObject({ proposedSeverity: 'P1', routeId: 1 });
  });

  it('attaches matching alerts as a note to an open incident instead of opening new work', async () => {
    const incident = await app.incidents.report('iec62443-platform', { type: 'report', title: 'Signing key exposure', reporter: { anonymous: false, name: 'alice' } }, { actor: 'alice' });
    await app.intake.addRoute({ source: 'ci', repository: 'acme-labs/opaque-core', attachTo: incident.state.id });
    const response = (await bearer('ci', JSON.stringify({ title: 'Unsigned artefact', rule: 'sig', repository: 'acme-labs/opaque-core' }))).json();
    expect(response).toMatchObject({ created: 0, attached: 1, alerts: [{ incidentId: incident.state.id, outcome: 'attached' }] });
    const timeline = await app.incidents.timeline(incident.state.id);
    expect(timeline.at(-1)).toMatchObject({ type: 'note_added', actor: 'ingest:ci' });
    expect((await bearer('ci', JSON.stringify({ title: 'Unsigned artefact', rule: 'sig', repository: 'acme-labs/opaque-core' }))).json()).toMatchObject({ repeated: 1 });
    expect(await app.incidents.timeline(incident.state.id)).toHaveLength(timeline.length);
  });
});

describe('ingest: concurrent requests (group commit)', () => {
  it('200 concurrent single alerts are all counted once; concurrent retries of one delivery count once', async () => {
    const alert = JSON.stringify({ title: 'Disk full on signer', rule: 'disk-full', host: 'signer-1' });
    const responses = await Promise.all(Array.from({ length: 200 }, () => bearer('ci', alert)));
    expect(responses.every((r) => r.statusCode === 202)).toBe(true);
    expect(responses.filter((r) => r.json().created === 1)).toHaveLength(1);
    const retries = await Promise.all(Array.from({ length: 20 }, () => bearer('ci', alert, { 'idempotency-key': 'same-delivery' })));
    expect(retries.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    const alerts = await app.intake.listAlerts({ source: 'ci' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.count).toBe(201);
    expect(await triageQueue()).toHaveLength(1);
  });

  it('firing and resolved notices for one fingerprint in one shared commit end as if sent one by one', async () => {
    const alert = { title: 'Queue backlog', rule: 'queue-backlog', host: 'worker-1' };
    expect((await bearer('ci', JSON.stringify(alert))).json()).toMatchObject({ created: 1 });
    const bodies = [alert, alert, { ...alert, status: 'resolved' }, alert, { ...alert, status: 'resolved' }];
    const responses = await Promise.all(bodies.map((b) => bearer('ci', JSON.stringify(b))));
    expect(responses.map((r) => r.json().alerts[0].outcome)).toEqual(['repeated', 'repeated', 'resolved', 'repeated', 'resolved']);
    // Each answer carries the count as of its own request, in arrival order.
    expect(responses.map((r) => r.json().alerts[0].count)).toEqual([2, 3, 3, 4, 4]);
    const [row] = await app.intake.listAlerts({ source: 'ci' });
    expect(row).toMatchObject({ count: 4, status: 'open' });
    expect(row!.sourceResolvedAt).not.toBeNull();
    // A firing after that clears the resolved mark again.
    await bearer('ci', JSON.stringify(alert));
    expect((await app.intake.listAlerts({ source: 'ci' }))[0]).toMatchObject({ count: 5, sourceResolvedAt: null });
  });

  it('requests of a storm that arrive a few turns of the event loop apart still share a commit, each answered after it', async () => {
    const source = await app.intake.source('ci');
    const alert = (i: number) => ({
      source: 'generic',
      rule: 'r',
      fingerprint: 'fp-storm',
      title: `Storm ${i}`,
      summary: '',
      severityLabel: null,
      resource: {},
      labels: {},
      url: null,
      state: 'firing' as const,
      raw: {},
    });
    // A first group of five: the service now expects groups of about five.
    await Promise.all(Array.from({ length: 5 }, (_, i) => app.intake.ingest(source, { alerts: [alert(i)] })));
    const transaction = app.store.transaction.bind(app.store);
    let transactions = 0;
    app.store.transaction = (work) => {
      transactions += 1;
      return transaction(work);
    };
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(app.intake.ingest(source, { alerts: [alert(10 + i)] }).then(async (outcome) => ({ outcome, stored: (await app.intake.listAlerts({ source: 'ci' }))[0]!.count })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const settled = (await Promise.all(answers)) as { outcome: { alerts: { count: number }[] }; stored: number }[];
    // Committed before answered: the count each answer reports is already in the store.
    for (const { outcome, stored } of settled) expect(stored).toBeGreaterThanOrEqual(outcome.alerts[0]!.count);
    expect(settled.map((s) => s.outcome.alerts[0]!.count)).toEqual([6, 7, 8, 9, 10]);
    expect(transactions).toBeLessThan(5);
  });

  it('a request that fails inside a shared commit is rolled back alone', async () => {
    const source = await app.intake.source('ci');
    const good = (host: string) => ({
      source: 'generic',
      rule: 'r',
      fingerprint: `fp-${host}`,
      title: `Alert on ${host}`,
      summary: '',
      severityLabel: null,
      resource: { host },
      labels: {},
      url: null,
      state: 'firing' as const,
      raw: {},
    });
    // A blank title is refused by the incident core (decideReport), inside the group.
    const bad = { ...good('bad-host'), fingerprint: 'fp-bad', title: '   ' };
    const results = await Promise.allSettled([
      app.intake.ingest(source, { alerts: [good('a')] }),
      app.intake.ingest(source, { alerts: [good('b'), bad] }),
      app.intake.ingest(source, { alerts: [good('c')] }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const stored = (await app.intake.listAlerts()).map((a) => a.fingerprint).sort();
    expect(stored).toEqual(['fp-a', 'fp-c']);
    expect(await triageQueue()).toHaveLength(2);
    expect((await app.incidents.verify()).every((v) => v.verdict.ok && v.projectionMatches)).toBe(true);
  });
});
