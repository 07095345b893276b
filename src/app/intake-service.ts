/**
 * Alert intake: the ingest sources (who may send, how they prove it, which plan their
 * alerts run under), routing rules, and `ingest`, which records one request's alerts in
 * one transaction. A new fingerprint becomes an event in the triage queue (a `reported`
 * incident whose `source` names the ingest source) or a note on the open incident a
 * rule attaches it to; a repeat of an open fingerprint only counts. A delivery id seen
 * before is answered with the first answer and changes nothing.
 */
import { hash } from 'node:crypto';
import { FirebreakError, fieldError } from '../domain/errors.js';
import type { NormalisedAlert, ParsedDelivery } from '../domain/intake/alert.js';
import { type RouteDecision, type RoutingRule, routeAlert } from '../domain/intake/routing.js';
import { findSeverity } from '../domain/plan/plan-rules.js';
import { verifyWebhookSignature } from '../integrations/delivery/webhook-signature.js';
import { verifyBearer, verifyHmac } from '../integrations/ingest/signature.js';
import { INGEST_KINDS, type IngestKind, rawExcerpt } from '../integrations/ingest/index.js';
import { loadIncidentState } from '../store/incident-store.js';
import {
  type AlertFilter,
  type AlertRow,
  deleteRoutingRule,
  findDelivery,
  findIngestSource,
  type IngestSourceRow,
  insertDelivery,
  insertIngestSource,
  insertRoutingRule,
  listAlerts,
  listIngestSources,
  listRoutingRules,
  recordDeliveryOnce,
} from '../store/intake-store.js';
import type { Store } from '../store/store.js';
import type { IncidentService, IncidentWriter } from './incident-service.js';
import { type AlertWrites, DirectAlertWrites, FoldedAlertWrites } from './intake-alert-writes.js';
import type { PlanCatalog } from './plan-catalog.js';
import type { TimeSource } from './time-source.js';
import { randomSecret, sha256 } from './auth/secret-token.js';

export type IngestAuth = 'hmac' | 'bearer';

export interface AddSourceInput {
  readonly name: string;
  readonly kind: string;
  readonly plan: string;
  readonly auth?: IngestAuth;
  /** For HMAC: read the secret from this environment variable instead of storing it. */
  readonly secretEnv?: string;
  readonly actor: string;
}

export interface IngestSourceView {
  readonly name: string;
  readonly kind: IngestKind;
  readonly plan: string;
  readonly auth: IngestAuth;
  /** Where the secret lives: `hash` (bearer), `database` (HMAC), or `env:NAME`. */
  readonly secretStorage: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

export interface AddSourceResult {
  readonly source: IngestSourceView;
  /** Shown once; null when the secret lives in an environment variable. */
  readonly secret: string | null;
  readonly howToSend: string;
}

export type AlertOutcome = 'created' | 'repeated' | 'attached' | 'resolved' | 'ignored';

export interface IngestOutcome {
  readonly source: string;
  readonly deliveryId: string | null;
  /** True when this delivery id was seen before: nothing changed, this is the first answer. */
  readonly duplicate: boolean;
  readonly received: number;
  readonly created: number;
  /** Firing alerts counted onto an open fingerprint instead of creating work. */
  readonly repeated: number;
  readonly attached: number;
  /** Resolved notices for which nothing was open. */
  readonly ignored: number;
  /** Alerts skipped because their own delivery id was seen before. */
  readonly duplicates: number;
  readonly alerts: readonly { readonly fingerprint: string; readonly incidentId: string | null; readonly count: number; readonly outcome: AlertOutcome }[];
  readonly note?: string;
}

export interface RoutingRuleInput {
  readonly source?: string;
  readonly severityLabel?: string;
  readonly repository?: string;
  readonly path?: string;
  readonly plan?: string;
  readonly severity?: string;
  readonly attachTo?: string;
}

const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ATTEMPTS = 3;
/** How long a source or the routing rules read from the store are reused (ms). */
const CACHE_MS = 2000;
/** Most requests committed together in one group. */
const GROUP_LIMIT = 128;
/** How many recent group sizes the commit delay looks at, and the longest it waits (ms). */
const RECENT_GROUPS = 8;
const MAX_COMMIT_DELAY_MS = 2;

/** How far a signed request's timestamp may be from now, as Slack and Stripe allow. */
export const INGEST_REPLAY_WINDOW_SECONDS = 300;

/** What `authenticate` found that keeps this request from being accepted twice. */
export interface ReplayGuard {
  /** A timestamped signature: seen before means a replay, refused. */
  readonly replayKey?: string;
  /** A body-only signature (GitHub): the same body again is the same delivery. */
  readonly bodyKey?: string;
}

interface IngestJob {
  readonly source: IngestSourceRow;
  readonly delivery: ParsedDelivery;
  readonly deliveryId: string | undefined;
  readonly guard: ReplayGuard;
  resolve(outcome: IngestOutcome): void;
  reject(error: unknown): void;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

function view(row: IngestSourceRow): IngestSourceView {
  return {
    name: row.name,
    kind: row.kind as IngestKind,
    plan: row.planId,
    auth: row.auth,
    secretStorage: row.auth === 'bearer' ? 'hash' : row.secretRef ?? 'database',
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class IntakeService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly plans: PlanCatalog,
    private readonly time: TimeSource,
  ) {}

  // ---- sources ----------------------------------------------------------------------

  async addSource(input: AddSourceInput): Promise<AddSourceResult> {
    if (!SOURCE_NAME.test(input.name)) throw fieldError('FB_ERR_INPUT_INVALID', 'name', 'must be 1–63 lower-case letters, digits, "-" or "_", starting with a letter or digit');
    if (!(INGEST_KINDS as readonly string[]).includes(input.kind)) throw fieldError('FB_ERR_INPUT_INVALID', 'kind', `must be one of ${INGEST_KINDS.join(', ')}`);
    const kind = input.kind as IngestKind;
    await this.plans.get(input.plan);
    const auth: IngestAuth = input.auth ?? (kind === 'github' ? 'hmac' : 'bearer');
    if (kind === 'github' && auth !== 'hmac') throw fieldError('FB_ERR_INPUT_INVALID', 'auth', 'GitHub webhooks are signed with HMAC (X-Hub-Signature-256); bearer tokens are not possible');
    if (input.secretEnv !== undefined) {
      if (auth !== 'hmac') throw fieldError('FB_ERR_INPUT_INVALID', 'secretEnv', 'only HMAC sources read their secret from the environment (bearer tokens are stored hashed)');
      if (!ENV_NAME.test(input.secretEnv)) throw fieldError('FB_ERR_INPUT_INVALID', 'secretEnv', 'must be an environment variable name');
    }
    const secret = input.secretEnv === undefined ? `fbi_${randomSecret()}` : null;
    const row: IngestSourceRow = {
      name: input.name,
      kind,
      planId: input.plan,
      auth,
      secretHash: auth === 'bearer' && secret ? sha256(secret) : null,
      // An HMAC cannot be checked against a hash of its key, so the key is kept as is
      // (or only its environment variable's name, with --secret-env).
      secret: auth === 'hmac' && secret ? secret : null,
      secretRef: input.secretEnv ? `env:${input.secretEnv}` : null,
      createdAt: this.time.now().toISOString(),
      createdBy: input.actor,
    };
    try {
      await this.store.transaction((trx) => insertIngestSource(trx, row));
    } catch (error) {
      if (isUniqueViolation(error)) throw new FirebreakError('FB_ERR_INGEST_SOURCE_EXISTS', `an ingest source named ${input.name} already exists`, [{ path: 'name', message: 'already exists' }]);
      throw error;
    }
    const url = `/api/v1/ingest/${input.name}`;
    const howToSend =
      kind === 'github'
        ? `In GitHub, add a webhook with payload URL <your Firebreak URL>${url}, content type application/json, and this secret; pick the events dependabot_alert, code_scanning_alert, secret_scanning_alert, repository_advisory.`
        : auth === 'bearer'
          ? `POST to ${url} with the header "Authorization: Bearer <secret>".`
          : `POST to ${url} with the header "X-Firebreak-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>" (docs/webhooks.md); a timestamp more than ${INGEST_REPLAY_WINDOW_SECONDS} s from now, or a signature already accepted, is refused.`;
    return { source: view(row), secret, howToSend };
  }

  async listSources(): Promise<IngestSourceView[]> {
    return (await listIngestSources(this.store.db)).map(view);
  }

  async source(name: string): Promise<IngestSourceRow> {
    const cached = this.sourceCache.get(name);
    if (cached && performance.now() - cached.at < CACHE_MS) return cached.row;
    const row = await findIngestSource(this.store.db, name);
    if (row) this.sourceCache.set(name, { row, at: performance.now() });
    if (!row) throw new FirebreakError('FB_ERR_INGEST_UNKNOWN_SOURCE', `no ingest source named "${name}"`, [{ path: 'source', message: 'unknown ingest source' }]);
    return row;
  }

  /**
   * Checks the request's signature or bearer token against the source's secret, and
   * returns what keeps the request from being replayed:
   * - GitHub signs the body alone (X-Hub-Signature-256), so the same signed body under a
   *   new X-GitHub-Delivery would pass; its body's SHA-256 is remembered like a delivery id.
   * - Every other signed source signs a timestamp with the body (X-Firebreak-Signature:
   *   t=…,v1=…, the scheme Firebreak's own webhooks use): a request outside the replay
   *   window is refused, and the signature of one inside it is remembered, so the same
   *   request sent again is refused too.
   */
  authenticate(source: IngestSourceRow, rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>): ReplayGuard {
    if (source.auth === 'bearer') {
      if (source.secretHash !== null && verifyBearer(source.secretHash, headers['authorization'])) return {};
      throw new FirebreakError('FB_ERR_INGEST_BAD_SIGNATURE', `the request to ingest source ${source.name} lacks an Authorization: Bearer token that matches its secret`);
    }
    const secret = source.secretRef?.startsWith('env:') ? process.env[source.secretRef.slice(4)] : source.secret;
    const usable = secret !== undefined && secret !== null && secret !== '';
    if (source.kind === 'github') {
      if (usable && verifyHmac(secret, rawBody, headers['x-hub-signature-256'])) return { bodyKey: `body:${hash('sha256', rawBody, 'hex')}` };
      throw new FirebreakError('FB_ERR_INGEST_BAD_SIGNATURE', `the request to ingest source ${source.name} lacks an X-Hub-Signature-256 HMAC that matches its secret`);
    }
    const verdict = usable ? verifyWebhookSignature(headers['x-firebreak-signature'], rawBody, secret, { now: this.time.now(), replayWindowSeconds: INGEST_REPLAY_WINDOW_SECONDS }) : { ok: false as const, reason: 'the source has no secret configured' };
    if (verdict.ok) return { replayKey: `sig:${verdict.signature}` };
    throw new FirebreakError(
      'FB_ERR_INGEST_BAD_SIGNATURE',
      `the request to ingest source ${source.name} needs X-Firebreak-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> with its secret, within ${INGEST_REPLAY_WINDOW_SECONDS} s of now: ${verdict.reason}`,
    );
  }

  // ---- routing rules ----------------------------------------------------------------

  async addRoute(input: RoutingRuleInput): Promise<RoutingRule> {
    const match = { source: input.source ?? null, severityLabel: input.severityLabel ?? null, repository: input.repository ?? null, path: input.path ?? null };
    const action = { plan: input.plan ?? null, severity: input.severity ?? null, attachTo: input.attachTo?.toUpperCase() ?? null };
    if (!action.plan && !action.severity && !action.attachTo) throw fieldError('FB_ERR_INPUT_INVALID', 'plan', 'a rule needs a plan, a severity or an incident to attach to');
    if (action.plan) {
      const plan = await this.plans.get(action.plan);
      if (action.severity && !findSeverity(plan, action.severity)) throw fieldError('FB_ERR_INCIDENT_UNKNOWN_SEVERITY', 'severity', `"${action.severity}" is not a severity of plan ${plan.id} (${plan.severities.map((s) => s.id).join(', ')})`);
    }
    if (action.attachTo) await this.incidents.get(action.attachTo);
    const id = await this.store.transaction((trx) => insertRoutingRule(trx, { match, action }, this.time.now().toISOString()));
    this.rulesCache = null;
    return { id, match, action };
  }

  async listRoutes(): Promise<RoutingRule[]> {
    return listRoutingRules(this.store.db);
  }

  async removeRoute(id: number): Promise<void> {
    const removed = await this.store.transaction((trx) => deleteRoutingRule(trx, id));
    this.rulesCache = null;
    if (!removed) throw new FirebreakError('FB_ERR_INGEST_ROUTE_NOT_FOUND', `no routing rule ${id}`, [{ path: 'id', message: 'unknown rule' }]);
  }

  // ---- ingest -----------------------------------------------------------------------

  async listAlerts(filter: AlertFilter = {}): Promise<AlertRow[]> {
    return listAlerts(this.store.db, filter);
  }

  /**
   * Records one request's alerts and answers only after they are committed.
   * `deliveryId` is the request's own delivery id (GitHub's, or an Idempotency-Key).
   *
   * Group commit: requests that arrive while a commit is under way wait and then share
   * the next transaction, each inside its own savepoint, so one request is still all or
   * nothing (a failing request is rolled back alone and answered with its error) while
   * a storm costs one disk flush per group instead of one per request.
   */
  ingest(source: IngestSourceRow, delivery: ParsedDelivery, deliveryId?: string, guard: ReplayGuard = {}): Promise<IngestOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ source, delivery, deliveryId, guard, resolve, reject });
      void this.drain();
    });
  }

  private readonly queue: IngestJob[] = [];
  /**
   * Sources and rules are read on every request; they change rarely (and possibly from
   * another process, the CLI), so they are kept for a moment. Unknown names are not
   * cached, so a source added from the CLI works at once.
   */
  private readonly sourceCache = new Map<string, { row: IngestSourceRow; at: number }>();
  private rulesCache: { rules: RoutingRule[]; at: number } | null = null;

  private async rules(): Promise<RoutingRule[]> {
    if (this.rulesCache && performance.now() - this.rulesCache.at < CACHE_MS) return this.rulesCache.rules;
    const rules = await listRoutingRules(this.store.db);
    this.rulesCache = { rules, at: performance.now() };
    return rules;
  }

  private draining = false;
  /** Sizes of the last few groups, and how long the last one took to commit (ms). */
  private readonly recentGroups: number[] = [];
  private lastCommitMs = 0;

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // SQLite commits block the event loop; let the requests that arrived meanwhile
        // be read and queued, so they join this group instead of each paying a commit.
        await new Promise((resolve) => setImmediate(resolve));
        await this.awaitSiblings();
        const jobs = this.queue.splice(0, GROUP_LIMIT);
        const started = performance.now();
        await this.commitGroup(jobs);
        this.lastCommitMs = performance.now() - started;
        this.recentGroups.push(jobs.length);
        if (this.recentGroups.length > RECENT_GROUPS) this.recentGroups.shift();
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Commit delay (PostgreSQL's `commit_delay`, MySQL's group-commit sync delay): while
   * requests keep arriving in groups (a storm over several connections), their answers
   * go out together and the senders' next requests arrive a few hundred microseconds
   * apart, so committing at the first one pays one disk flush for it and another for
   * the rest. Wait until as many requests are queued as the largest recent group, but
   * never longer than half the last commit took (nor `MAX_COMMIT_DELAY_MS`): waiting
   * costs at most half a flush and saves one. A lone request (recent groups of one)
   * does not wait. Only *when* the group commits changes; every request is still
   * answered after the COMMIT that holds it.
   */
  private async awaitSiblings(): Promise<void> {
    const expected = Math.min(GROUP_LIMIT, Math.max(0, ...this.recentGroups));
    if (this.queue.length >= expected) return;
    const deadline = performance.now() + Math.min(MAX_COMMIT_DELAY_MS, this.lastCommitMs / 2);
    while (this.queue.length < expected && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * First tries the whole group as one plain transaction, with the group's alert rows
   * folded (`FoldedAlertWrites`); that is the common case and costs a lookup and an update
   * per fingerprint, not per request. If any request fails, nothing of that attempt is
   * kept and the group runs again with each request in its own savepoint, so only the
   * failing request is rolled back and answered with its error.
   */
  private async commitGroup(jobs: readonly IngestJob[]): Promise<void> {
    let rules: readonly RoutingRule[];
    try {
      rules = await this.rules();
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    const outcomes: IngestOutcome[] = [];
    try {
      await this.incidents.withinTransaction(async (writer) => {
        outcomes.length = 0;
        const alerts = new FoldedAlertWrites(writer.trx);
        const now = this.time.now().toISOString();
        for (const job of jobs) outcomes.push(await this.ingestIn(writer, alerts, job, rules, now));
        await alerts.flush();
      });
    } catch {
      // Which request failed, and why, is found out request by request below.
      await this.commitGroupOneByOne(jobs, rules);
      return;
    }
    for (const [i, job] of jobs.entries()) job.resolve(outcomes[i]!);
  }

  private async commitGroupOneByOne(jobs: readonly IngestJob[], rules: readonly RoutingRule[]): Promise<void> {
    const settled = new Map<IngestJob, { ok: true; value: IngestOutcome } | { ok: false; error: unknown }>();
    try {
      await this.incidents.withinTransaction(async (writer) => {
        settled.clear();
        const now = this.time.now().toISOString();
        for (const job of jobs) settled.set(job, await this.ingestOne(writer, job, rules, now));
      });
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    for (const job of jobs) {
      const result = settled.get(job)!;
      if (result.ok) job.resolve(result.value);
      else job.reject(result.error);
    }
  }

  private async ingestOne(writer: IncidentWriter, job: IngestJob, rules: readonly RoutingRule[], now: string): Promise<{ ok: true; value: IngestOutcome } | { ok: false; error: unknown }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ok: true, value: await writer.savepoint(() => this.ingestIn(writer, new DirectAlertWrites(writer.trx), job, rules, now)) };
      } catch (error) {
        // Another process opened the same fingerprint (or recorded the same delivery)
        // first; once its transaction commits, a retry sees its row and counts a repeat.
        if (attempt < MAX_ATTEMPTS && isUniqueViolation(error)) continue;
        return { ok: false, error };
      }
    }
  }

  /**
   * One request's alerts. `now` is the group's time: its requests commit together, and
   * formatting a date per request cost more than the rest of a repeat's bookkeeping.
   */
  private async ingestIn(writer: IncidentWriter, alerts: AlertWrites, job: IngestJob, rules: readonly RoutingRule[], now: string): Promise<IngestOutcome> {
    const { source, delivery, deliveryId, guard } = job;
    const trx = writer.trx;
    for (const key of [deliveryId, guard.bodyKey]) {
      if (!key) continue;
      const seen = await findDelivery(trx, source.name, key);
      if (seen) return { ...(seen.response as IngestOutcome), duplicate: true };
    }
    if (guard.replayKey && !(await recordDeliveryOnce(trx, source.name, guard.replayKey, now))) {
      throw new FirebreakError('FB_ERR_INGEST_REPLAYED', `this signed request to ingest source ${source.name} was accepted before; send a new one with a fresh timestamp and signature`);
    }
    let duplicates = 0;
    const groups = new Map<string, { alert: NormalisedAlert; firing: number; resolved: number }>();
    for (const alert of delivery.alerts) {
      if (alert.deliveryId && alert.deliveryId !== deliveryId && !(await recordDeliveryOnce(trx, source.name, `alert:${alert.deliveryId}`, now))) {
        duplicates++;
        continue;
      }
      const group = groups.get(alert.fingerprint) ?? { alert, firing: 0, resolved: 0 };
      if (alert.state === 'firing') group.firing++;
      else group.resolved++;
      group.alert = alert.state === 'firing' || group.firing === 0 ? alert : group.alert;
      groups.set(alert.fingerprint, group);
    }
    const outcomes: IngestOutcome['alerts'][number][] = [];
    for (const [fingerprint, group] of groups) {
      let open = await alerts.findOpen(source.name, fingerprint);
      if (open && (open.incidentStatus === 'closed' || open.incidentStatus === 'dismissed')) {
        await alerts.close(source.name, fingerprint, open);
        open = undefined;
      }
      const resolvedAt = group.resolved > 0 && group.alert.state === 'resolved' ? now : null;
      if (group.firing === 0) {
        if (open) await alerts.markResolved(source.name, fingerprint, open, now);
        outcomes.push({ fingerprint, incidentId: open?.incidentId ?? null, count: open?.count ?? 0, outcome: open ? 'resolved' : 'ignored' });
        continue;
      }
      if (open) {
        await alerts.bump(source.name, fingerprint, open, group.firing, now, resolvedAt);
        outcomes.push({ fingerprint, incidentId: open.incidentId, count: open.count + group.firing, outcome: 'repeated' });
        continue;
      }
      const decision = routeAlert(group.alert, source.name, source.planId, rules);
      const placed = await this.place(writer, source, group.alert, decision);
      await alerts.insert({
        source: source.name,
        fingerprint,
        incidentId: placed.incidentId,
        routeId: decision.ruleId,
        alertSource: group.alert.source,
        rule: clip(group.alert.rule, 500),
        title: clip(group.alert.title, 500),
        severityLabel: group.alert.severityLabel,
        proposedSeverity: decision.proposedSeverity,
        resource: group.alert.resource,
        labels: group.alert.labels,
        url: group.alert.url,
        excerpt: rawExcerpt(group.alert.raw),
        count: group.firing,
        firstSeen: now,
        lastSeen: now,
        sourceResolvedAt: resolvedAt,
      });
      outcomes.push({ fingerprint, incidentId: placed.incidentId, count: group.firing, outcome: placed.outcome });
    }
    let firing = 0;
    let ignored = 0;
    for (const o of outcomes) {
      const group = groups.get(o.fingerprint)!;
      firing += group.firing;
      if (o.outcome === 'ignored') ignored += group.resolved;
    }
    const created = outcomes.filter((o) => o.outcome === 'created').length;
    const attached = outcomes.filter((o) => o.outcome === 'attached').length;
    const response: IngestOutcome = {
      source: source.name,
      deliveryId: deliveryId ?? null,
      duplicate: false,
      received: delivery.alerts.length,
      created,
      repeated: firing - created - attached,
      attached,
      ignored,
      duplicates,
      alerts: outcomes,
      ...(delivery.ignored ? { note: delivery.ignored } : {}),
    };
    if (deliveryId) await insertDelivery(trx, source.name, deliveryId, now, response);
    if (guard.bodyKey && guard.bodyKey !== deliveryId) await insertDelivery(trx, source.name, guard.bodyKey, now, response);
    return response;
  }

  /** A new fingerprint: a note on the incident a rule names (if still open), else a new event to triage. */
  private async place(writer: IncidentWriter, source: IngestSourceRow, alert: NormalisedAlert, decision: RouteDecision): Promise<{ incidentId: string; outcome: 'created' | 'attached' }> {
    const actor = `ingest:${source.name}`;
    const lines = [
      alert.summary.trim(),
      '',
      `- Source: ${alert.source} (ingest source ${source.name})`,
      `- Rule: ${alert.rule}`,
      alert.severityLabel ? `- Severity at the source: ${alert.severityLabel}` : null,
      alert.resource.repository ? `- Repository: ${alert.resource.repository}` : null,
      alert.resource.path ? `- Path: ${alert.resource.path}` : null,
      alert.resource.host ? `- Host: ${alert.resource.host}` : null,
      alert.resource.package ? `- Package: ${alert.resource.package}` : null,
      alert.url ? `- Link: ${alert.url}` : null,
      decision.proposedSeverity ? `- Proposed severity: ${decision.proposedSeverity} (routing rule ${decision.ruleId})` : null,
    ].filter((l) => l !== null);
    if (decision.attachTo) {
      const target = await loadIncidentState(writer.trx, decision.attachTo);
      if (target && target.status !== 'closed' && target.status !== 'dismissed') {
        await writer.execute(target.id, { type: 'add_note', text: clip(`Alert attached by routing rule ${decision.ruleId}: ${alert.title}\n\n${lines.join('\n')}`.trim(), 20_000) }, { actor });
        return { incidentId: target.id, outcome: 'attached' };
      }
    }
    const result = await writer.report(
      decision.planId,
      {
        type: 'report',
        title: clip(alert.title, 200),
        summary: clip(lines.join('\n').trim(), 20_000),
        reporter: { anonymous: false, name: `${alert.source} via ${source.name}` },
        source: actor,
      },
      { actor },
    );
    return { incidentId: result.state.id, outcome: 'created' };
  }
}
