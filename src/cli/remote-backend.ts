/**
 * The CLI backend for `--server URL` (or FIREBREAK_SERVER): every command goes through
 * the HTTP API with a personal API token, and the server's problem answers become the
 * same `FirebreakError`s the local backend throws, so exit codes match. The server
 * records the token's owner as the actor; `--by`/`--as` do not apply.
 */
import type { CheckpointVerdict } from '../app/record/record-service.js';
import type { ScheduleChange, ScheduleDetail, ScheduleSummary } from '../app/paging/index.js';
import type { ScheduleOverride } from '../domain/paging/on-call-schedule.js';
import type { ScheduleBackend } from './schedule-backend.js';
import type { IncidentVerdict } from '../app/incident-service.js';
import type { IncidentView } from '../app/incident-view.js';
import type { Clock } from '../domain/clocks/clocks.js';
import { ERROR_CATALOGUE, type ErrorCode, FirebreakError, type FieldProblem } from '../domain/errors.js';
import type { IncidentCommand, ReportCommand } from '../domain/incident/commands.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import type { ExportFormat, ExportOptions } from '../app/advisory-service.js';
import type { AdvisorySummary, AdvisoryView } from '../app/advisory-view.js';
import type { AdvisoryCommand } from '../domain/advisory/commands.js';
import type { VexStatement } from '../domain/vex/vex-statement.js';
import type { AdvisoryBackend, AdvisoryVerdict } from './advisory-backend.js';
import type { MessageBackend } from './message-backend.js';
import type { PlanMessage } from '../app/messages/message-service.js';
import type { DeliveryRecord } from '../integrations/delivery/delivery-service.js';
import type { CliBackend, CliCommandOptions, ListFilter, RecordBackend } from './backend.js';

interface Problem {
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
  readonly fields?: FieldProblem[];
}

/** A code this CLI does not know (a newer server) still maps to the right exit code. */
function fallbackCode(status: number): ErrorCode {
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'FB_ERR_INPUT_INVALID';
  if (status === 401) return 'FB_ERR_AUTH_REQUIRED';
  if (status === 403) return 'FB_ERR_AUTH_FORBIDDEN';
  if (status === 404) return 'FB_ERR_HTTP_NOT_FOUND';
  if (status === 409) return 'FB_ERR_IDEMPOTENCY_IN_PROGRESS';
  if (status === 429) return 'FB_ERR_HTTP_RATE_LIMITED';
  return 'FB_ERR_SERVER_UNREACHABLE';
}

export function problemToError(status: number, problem: Problem | null, base: string): FirebreakError {
  const known = problem?.code !== undefined && problem.code in ERROR_CATALOGUE;
  const code = known ? (problem!.code as ErrorCode) : fallbackCode(status);
  const detail = problem?.detail ?? `the server at ${base} answered HTTP ${status}`;
  if (status === 401 && code === 'FB_ERR_AUTH_REQUIRED') {
    return new FirebreakError(code, `${detail} (run: firebreak login --server ${base})`);
  }
  return new FirebreakError(code, detail, problem?.fields ?? []);
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

/** The route and body of each incident command. */
export function commandRequest(command: IncidentCommand): { method: 'POST' | 'DELETE'; path: string; body?: Record<string, unknown> } {
  switch (command.type) {
    case 'triage':
      return command.decision === 'confirm'
        ? { method: 'POST', path: '/triage', body: { decision: 'confirm', severity: command.severity, ...(command.category ? { category: command.category } : {}) } }
        : { method: 'POST', path: '/triage', body: { decision: 'dismiss', reason: command.reason } };
    case 'acknowledge':
      return { method: 'POST', path: '/ack', body: { via: 'cli' } };
    case 'change_severity':
      return { method: 'POST', path: '/severity', body: { severity: command.severity, reason: command.reason } };
    case 'assign_role':
      return { method: 'POST', path: `/roles/${segment(command.role)}/assign`, body: { to: command.to } };
    case 'initiate_handoff':
      return { method: 'POST', path: `/roles/${segment(command.role)}/handoff`, body: { to: command.to, briefing: command.briefing } };
    case 'confirm_handoff':
      return { method: 'POST', path: `/roles/${segment(command.role)}/handoff/confirm`, body: {} };
    case 'cancel_handoff':
      return { method: 'POST', path: `/roles/${segment(command.role)}/handoff/cancel`, body: { reason: command.reason } };
    case 'enter_phase':
      return { method: 'POST', path: '/phase', body: { phase: command.phase, ...(command.force ? { force: { reason: command.force.reason } } : {}) } };
    case 'complete_item':
      return { method: 'POST', path: `/checklist/${segment(command.item)}/complete`, body: command.note ? { note: command.note } : {} };
    case 'add_note':
      return { method: 'POST', path: '/notes', body: { text: command.text } };
    case 'post_sitrep':
      return { method: 'POST', path: '/sitreps', body: { text: command.text } };
    case 'set_flag':
      return { method: 'POST', path: '/flags', body: { flag: command.flag, ...(command.note ? { note: command.note } : {}) } };
    case 'file_regulatory':
      return { method: 'POST', path: `/regulatory/${segment(command.clock)}/filed`, body: { ...(command.reference ? { reference: command.reference } : {}), ...(command.note ? { note: command.note } : {}), ...(command.reportSha256 ? { reportSha256: command.reportSha256 } : {}), ...(command.reason ? { reason: command.reason } : {}) } };
    case 'add_member':
      return { method: 'POST', path: '/members', body: { user: command.user } };
    case 'remove_member':
      return { method: 'DELETE', path: `/members/${segment(command.user)}` };
    case 'set_restricted':
      return { method: 'POST', path: '/restriction', body: { restricted: command.restricted, reason: command.reason } };
    case 'resolve':
      return { method: 'POST', path: '/resolve', body: command.summary ? { summary: command.summary } : {} };
    case 'close':
      return { method: 'POST', path: '/close', body: {} };
    case 'reopen':
      return { method: 'POST', path: '/reopen', body: { reason: command.reason } };
    case 'add_evidence':
    case 'access_evidence':
    case 'transfer_evidence':
    case 'complete_review':
    case 'edit_regulatory_draft':
    case 'review_regulatory_draft':
      throw new FirebreakError('FB_ERR_INPUT_INVALID', `${command.type} goes through the evidence, review and regulatory draft routes, not a raw incident command`);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

interface ApiVerdict {
  incidentId: string;
  ok: boolean;
  events: number;
  projectionMatches: boolean;
  problems?: string[];
  head?: string;
  brokenAt?: { seq: number; reason: string };
}

export class RemoteBackend implements CliBackend {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string | null,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  /** Sends one request; answers the body's text, or throws the problem as a FirebreakError. */
  private async send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers: {
          accept,
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `cannot reach the Firebreak server at ${this.base}: ${cause?.code ?? cause?.message ?? String(error)}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let problem: Problem | null = null;
      try {
        problem = text ? (JSON.parse(text) as Problem) : null;
      } catch {
        problem = null;
      }
      throw problemToError(response.status, problem, this.base);
    }
    return text;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const text = await this.send(method, path, body);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (parsed === null && text) throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `${this.base} did not answer with JSON; is it a Firebreak server?`);
    return parsed as T;
  }

  /** Checkpoints through the API; the keys from the server's well-known URL. */
  record(): RecordBackend {
    return {
      latestCheckpoint: () => this.send('GET', '/checkpoints/latest', undefined, 'text/plain'),
      verifyCheckpoint: (text) => this.call<CheckpointVerdict>('POST', '/checkpoints/verify', { checkpoint: text }),
      verifierKeys: async () => {
        const response = await fetch(`${this.base}/.well-known/firebreak-checkpoint-key`).catch((error: unknown) => {
          throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `cannot reach the Firebreak server at ${this.base}: ${String(error)}`);
        });
        if (!response.ok) throw new FirebreakError('FB_ERR_SERVER_UNREACHABLE', `${this.base} has no checkpoint key (HTTP ${response.status})`);
        return (await response.text()).split('\n').filter((l) => l.trim() !== '');
      },
    };
  }

  /** On-call schedules through the API (the token's owner is the actor). */
  schedules(): ScheduleBackend {
    return new RemoteScheduleBackend({ call: (method, path, body) => this.call(method, path, body), text: (path) => this.send('GET', path, undefined, '*/*') });
  }

  /** Advisories and the VEX register through the API (the token's owner is the actor). */
  advisories(): AdvisoryBackend {
    return new RemoteAdvisoryBackend({ call: (method, path, body) => this.call(method, path, body), text: (path) => this.send('GET', path, undefined, '*/*') });
  }

  /** Plan messages through the API (the token's owner is the author or reviewer). */
  messages(): MessageBackend {
    const call = <T>(method: string, path: string, body?: unknown) => this.call<T>(method, path, body);
    const incident = (id: string) => `/incidents/${encodeURIComponent(id)}`;
    return {
      preview: (id, input) => call('POST', `${incident(id)}/messages/preview`, input),
      send: (id, input) => call('POST', `${incident(id)}/messages`, input),
      approve: (messageId) => call('POST', `/messages/${encodeURIComponent(messageId)}/approve`, {}),
      reject: (messageId, _actor, reason) => call('POST', `/messages/${encodeURIComponent(messageId)}/reject`, { reason }),
      list: async (id) => (await call<{ items: PlanMessage[] }>('GET', `${incident(id)}/messages`)).items,
      deliveries: async (id) => (await call<{ items: DeliveryRecord[] }>('GET', `${incident(id)}/deliveries`)).items,
      close: async () => {},
    };
  }

  async listPlans(): Promise<Plan[]> {
    const { items } = await this.call<{ items: { id: string }[] }>('GET', '/plans');
    return Promise.all(items.map((p) => this.getPlan(p.id)));
  }

  getPlan(id: string): Promise<Plan> {
    return this.call<Plan>('GET', `/plans/${segment(id)}`);
  }

  report(planId: string, command: ReportCommand, options: CliCommandOptions): Promise<IncidentView> {
    return this.call<IncidentView>('POST', '/incidents', {
      plan: planId,
      title: command.title,
      ...(command.summary !== undefined ? { summary: command.summary } : {}),
      // The CLI names the local actor as reporter by default; the server's default is the signed-in user.
      ...(command.reporter.anonymous ? { anonymous: true } : command.reporter.name === options.actor ? {} : { reporter: command.reporter.name }),
      ...(command.restricted !== undefined ? { restricted: command.restricted } : {}),
      ...(command.drill ? { drill: true } : {}),
      ...(options.occurredAt ? { occurredAt: options.occurredAt } : {}),
    });
  }

  command(incidentId: string, command: IncidentCommand, options: CliCommandOptions): Promise<IncidentView> {
    const request = commandRequest(command);
    const body = request.method === 'POST' ? { ...request.body, ...(options.occurredAt ? { occurredAt: options.occurredAt } : {}) } : undefined;
    return this.call<IncidentView>(request.method, `/incidents/${segment(incidentId)}${request.path}`, body);
  }

  async draftSitrep(incidentId: string): Promise<string> {
    return (await this.call<{ text: string }>('GET', `/incidents/${segment(incidentId)}/sitreps/draft`)).text;
  }

  get(incidentId: string): Promise<IncidentView> {
    return this.call<IncidentView>('GET', `/incidents/${segment(incidentId)}`);
  }

  async list(filter: ListFilter): Promise<IncidentView[]> {
    const views: IncidentView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '200' });
      if (filter.status?.length) query.set('status', filter.status.join(','));
      if (filter.severity?.length) query.set('severity', filter.severity.join(','));
      if (cursor) query.set('cursor', cursor);
      const page: { items: IncidentView[]; nextCursor: string | null } = await this.call('GET', `/incidents?${query}`);
      views.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return views;
  }

  async clocks(incidentId: string, at?: string): Promise<Clock[]> {
    const query = at !== undefined ? `?${new URLSearchParams({ at })}` : '';
    return (await this.call<{ items: Clock[] }>('GET', `/incidents/${segment(incidentId)}/clocks${query}`)).items;
  }

  async timeline(incidentId: string): Promise<IncidentEventEnvelope[]> {
    const events: IncidentEventEnvelope[] = [];
    let after: number | null = null;
    do {
      const query = new URLSearchParams({ limit: '500', ...(after !== null ? { after: String(after) } : {}) });
      const page: { items: (IncidentEventEnvelope & { summary?: string })[]; nextAfter: number | null } = await this.call('GET', `/incidents/${segment(incidentId)}/timeline?${query}`);
      events.push(...page.items.map(({ summary: _summary, ...event }) => event as IncidentEventEnvelope));
      after = page.nextAfter;
    } while (after !== null);
    return events;
  }

  async verify(incidentId?: string): Promise<IncidentVerdict[]> {
    const { items } = await this.call<{ items: ApiVerdict[] }>('GET', incidentId ? `/incidents/${segment(incidentId)}/verify` : '/verify');
    return items.map((v) => ({
      incidentId: v.incidentId,
      projectionMatches: v.projectionMatches,
      problems: v.problems ?? [],
      verdict: v.brokenAt && v.brokenAt.seq > 0 ? { ok: false, incidentId: v.incidentId, seq: v.brokenAt.seq, reason: v.brokenAt.reason } : { ok: true, events: v.events, head: v.head ?? '' },
    }));
  }

  // Intake administration has no HTTP API yet: run these on the server host, against its
  // database (without --server).
  private intakeLocalOnly(what: string): never {
    throw new FirebreakError('FB_ERR_INPUT_INVALID', `${what} is not available through --server yet; run it on the server host without --server`, [{ path: '--server', message: 'not supported for this command' }]);
  }

  async addIngestSource(): Promise<never> {
    return this.intakeLocalOnly('ingest-source add');
  }

  async listIngestSources(): Promise<never> {
    return this.intakeLocalOnly('ingest-source list');
  }

  async addRoute(): Promise<never> {
    return this.intakeLocalOnly('ingest-route add');
  }

  async listRoutes(): Promise<never> {
    return this.intakeLocalOnly('ingest-route list');
  }

  async removeRoute(): Promise<never> {
    return this.intakeLocalOnly('ingest-route remove');
  }

  async listAlerts(): Promise<never> {
    return this.intakeLocalOnly('alerts');
  }

  async reporterReply(): Promise<never> {
    return this.intakeLocalOnly('reporter-reply');
  }

  async reporterThread(): Promise<never> {
    return this.intakeLocalOnly('reporter-thread');
  }

  async close(): Promise<void> {}
}

/** The route and body of each advisory lifecycle command. */
export function advisoryCommandRequest(command: AdvisoryCommand): { method: 'PATCH' | 'POST'; path: string; body: Record<string, unknown> } {
  switch (command.type) {
    case 'edit':
      return { method: 'PATCH', path: '', body: { changes: command.changes } };
    case 'submit':
      return { method: 'POST', path: '/submit', body: command.note ? { note: command.note } : {} };
    case 'approve':
      return { method: 'POST', path: '/approve', body: command.note ? { note: command.note } : {} };
    case 'request_changes':
      return { method: 'POST', path: '/request-changes', body: { reason: command.reason } };
    case 'schedule':
      return { method: 'POST', path: '/schedule', body: { releaseAt: command.releaseAt, ...(command.summary ? { summary: command.summary } : {}) } };
    case 'publish':
      return { method: 'POST', path: '/publish', body: command.summary ? { summary: command.summary } : {} };
    default: {
      const unknown: never = command;
      throw new Error(`unknown advisory command ${JSON.stringify(unknown)}`);
    }
  }
}

interface Transport {
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  text(path: string): Promise<string>;
}

/** `firebreak advisory …` and `firebreak vex …` with `--server`: every call is an API route. */
export class RemoteAdvisoryBackend implements AdvisoryBackend {
  constructor(private readonly api: Transport) {}

  draft(incidentId: string, content: unknown, _actor: string): Promise<AdvisoryView> {
    return this.api.call('POST', `/incidents/${segment(incidentId.trim().toUpperCase())}/advisories`, content);
  }

  get(advisoryId: string): Promise<AdvisoryView> {
    return this.api.call('GET', `/advisories/${segment(advisoryId)}`);
  }

  async list(filter: { incidentId?: string }): Promise<AdvisorySummary[]> {
    const query = filter.incidentId ? `?${new URLSearchParams({ incident: filter.incidentId })}` : '';
    return (await this.api.call<{ advisories: AdvisorySummary[] }>('GET', `/advisories${query}`)).advisories;
  }

  execute(advisoryId: string, command: AdvisoryCommand, _actor: string): Promise<AdvisoryView> {
    const request = advisoryCommandRequest(command);
    return this.api.call(request.method, `/advisories/${segment(advisoryId)}${request.path}`, request.body);
  }

  export(advisoryId: string, format: ExportFormat, options: ExportOptions): Promise<string> {
    const query = new URLSearchParams({ format, ...(options.which ? { which: options.which } : {}) });
    return this.api.text(`/advisories/${segment(advisoryId)}/export?${query}`);
  }

  verify(advisoryId: string): Promise<AdvisoryVerdict> {
    return this.api.call('GET', `/advisories/${segment(advisoryId)}/verify`);
  }

  async recordVex(input: Record<string, unknown>, _actor: string): Promise<VexStatement> {
    return this.api.call('POST', '/vex', input);
  }

  async vex(filter: { vulnerability?: string; history?: boolean }): Promise<VexStatement[]> {
    const query = new URLSearchParams({ ...(filter.vulnerability ? { vulnerability: filter.vulnerability } : {}), ...(filter.history ? { history: 'true' } : {}) });
    return (await this.api.call<{ statements: VexStatement[] }>('GET', `/vex${query.size ? `?${query}` : ''}`)).statements;
  }

  exportVex(format: 'csaf' | 'openvex'): Promise<string> {
    return this.api.text(`/vex/export?${new URLSearchParams({ format })}`);
  }

  async close(): Promise<void> {}
}

/** `firebreak schedule …` with `--server`: every call is an API route. */
export class RemoteScheduleBackend implements ScheduleBackend {
  constructor(private readonly api: Transport) {}

  async list(): Promise<ScheduleSummary[]> {
    return (await this.api.call<{ schedules: ScheduleSummary[] }>('GET', '/schedules')).schedules;
  }

  show(id: string, from: string | undefined, days: number): Promise<ScheduleDetail> {
    const query = new URLSearchParams({ days: String(days), ...(from ? { from } : {}) });
    return this.api.call<ScheduleDetail>('GET', `/schedules/${segment(id)}?${query}`);
  }

  create(definition: unknown): Promise<ScheduleSummary> {
    return this.api.call<ScheduleSummary>('POST', '/schedules', definition);
  }

  replace(id: string, definition: unknown): Promise<ScheduleSummary> {
    const { id: _ignored, ...rest } = (typeof definition === 'object' && definition !== null ? definition : {}) as Record<string, unknown>;
    return this.api.call<ScheduleSummary>('PUT', `/schedules/${segment(id)}`, rest);
  }

  addOverride(id: string, input: { user: string; start: string; end: string }): Promise<ScheduleOverride> {
    return this.api.call<ScheduleOverride>('POST', `/schedules/${segment(id)}/overrides`, input);
  }

  async removeOverride(id: string, overrideId: string): Promise<void> {
    await this.api.call('DELETE', `/schedules/${segment(id)}/overrides/${segment(overrideId)}`);
  }

  async history(id: string): Promise<ScheduleChange[]> {
    return (await this.api.call<{ changes: ScheduleChange[] }>('GET', `/schedules/${segment(id)}/history`)).changes;
  }

  async feed(): Promise<string> {
    return (await this.api.call<{ url: string }>('POST', '/me/calendar-feed')).url;
  }

  async close(): Promise<void> {}
}
