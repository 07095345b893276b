/**
 * The incident routes: list, report, read, every command of the core, timeline, clocks,
 * sitrep draft, verification and export. Each handler reads validate → authorize →
 * command → present. `If-Match` carries the version the client saw (stale → 409) and
 * every response with an incident carries its version as `ETag`.
 */
import type { Principal } from '../../app/auth/auth-service.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadIncidentTemplateContext } from '../../app/messages/template-timeline.js';
import { renderPlanTemplate } from '../../app/template-renderer.js';
import { deriveClocks } from '../../domain/clocks/clocks.js';
import { type ErrorCode, FirebreakError, fieldError } from '../../domain/errors.js';
import type { IncidentCommand } from '../../domain/incident/commands.js';
import type { IncidentState } from '../../domain/incident/state.js';
import type { IncidentHead, IncidentListFilter } from '../../store/incident-store.js';
import type { User } from '../../app/auth/user.js';
import { authorize, visibleIncident } from '../access.js';
import { principalOf } from '../auth/request-auth.js';
import type { HttpContext } from '../http-context.js';
import { isMember, policy } from '../policy.js';
import { problemResponses, TAGS } from '../route-docs.js';
import { etagOf, presentClocks, presentEvent, presentVerdict, presentView } from './present.js';
import { PresentedIncidents } from './presented-incidents.js';
import * as s from './schema.js';

/** `"7"`, `W/"7"` or `7` → 7; `*` or absent → no check. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(header);
  if (!match) throw fieldError('FB_ERR_INPUT_INVALID', 'If-Match', `"${header}" is not a version; send the ETag you received, e.g. "7"`);
  return Number(match[1]);
}

/** The core names the time of a fact `at` (the CLI flag); over HTTP the field is `occurredAt`. */
async function asHttpFields<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof FirebreakError && error.fields.some((f) => f.path === 'at')) {
      const fields = error.fields.map((f) => (f.path === 'at' ? { ...f, path: 'occurredAt' } : f));
      throw new FirebreakError(error.code as ErrorCode, error.message.replace(/^at:/, 'occurredAt:'), fields);
    }
    throw error;
  }
}

const COMMA = Buffer.from(',');

interface Cursor {
  readonly reportedAt: string;
  readonly id: string;
}

function encodeCursor(state: IncidentState): string {
  return Buffer.from(JSON.stringify([state.reportedAt, state.id])).toString('base64url');
}

function decodeCursor(raw: string): Cursor {
  try {
    const [reportedAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof reportedAt === 'string' && typeof id === 'string') return { reportedAt, id };
  } catch {
    // fall through to the error below
  }
  throw fieldError('FB_ERR_INPUT_INVALID', 'cursor', 'is not a cursor this server gave out; start again without it');
}

/** Newest first, as the store orders them: by reportedAt, then id, both descending. */
function isAfterCursor(state: { readonly reportedAt: string; readonly id: string }, cursor: Cursor): boolean {
  return state.reportedAt < cursor.reportedAt || (state.reportedAt === cursor.reportedAt && state.id < cursor.id);
}

function matchesText(state: IncidentState, q: string): boolean {
  const needle = q.toLowerCase();
  return [state.id, state.title, state.summary ?? ''].some((field) => field.toLowerCase().includes(needle));
}

export async function incidentRoutes(server: FastifyInstance, context: HttpContext): Promise<void> {
  const r = server.withTypeProvider<ZodTypeProvider>();
  const { app } = context;
  const presented = new PresentedIncidents(app);

  /**
   * The incident as its page shows it, with its version as ETag. The JSON comes from the
   * presented-incident cache, so the list that follows a command reuses it.
   */
  async function respondWithIncident(reply: FastifyReply, state: IncidentState, status = 200) {
    const body = await presented.json(state);
    return reply.code(status).header('etag', etagOf(state.version)).type('application/json; charset=utf-8').send(body);
  }

  r.get('/incidents', {
    schema: { tags: [TAGS.incidents], summary: 'List the incidents you may see, newest first', querystring: s.listQuery, response: { 200: s.incidentListSchema, ...problemResponses } },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const q = request.query;
    const filter = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.plan ? { planId: q.plan } : {}),
    };
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    const opened = policy.canSeeIncidentFromColumns(principal.user, { restricted: false });
    // Text search and reporters need every candidate's state; everyone else is served by SQL.
    const page = q.q !== undefined || opened === undefined
      ? await scanList(principal.user, filter, q.q, cursor, q.limit)
      : await keysetList(principal.user, filter, opened, cursor, q.limit);
    const last = page.items[page.items.length - 1];
    const nextCursor = page.more && last ? encodeCursor(last) : null;
    const parts: Buffer[] = [Buffer.from('{"items":[')];
    for (const [index, st] of page.items.entries()) {
      if (index > 0) parts.push(COMMA);
      parts.push(await presented.json(st));
    }
    parts.push(Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)},"total":${page.total}}`));
    // The items are JSON already checked against the item schema (presented-incidents.ts),
    // so the body goes out as bytes: the typed reply only takes the object form.
    return (reply as FastifyReply).type('application/json; charset=utf-8').send(Buffer.concat(parts));
  });

  interface ListPage {
    readonly items: readonly IncidentState[];
    /** Whether visible incidents follow the page. */
    readonly more: boolean;
    readonly total: number;
  }

  /**
   * The list when the columns decide visibility of open incidents (admins, responders,
   * viewers): the total is a SQL count, the page a keyset walk of index `incidents_list`
   * with LIMIT, and only the page's states are read. Restricted incidents the columns
   * cannot decide (are they a member?) are looked at one by one: there are few of them.
   */
  async function keysetList(user: User, filter: IncidentListFilter, opened: boolean, cursor: Cursor | undefined, limit: number): Promise<ListPage> {
    const restrictedRule = policy.canSeeIncidentFromColumns(user, { restricted: true });
    const states = new Map<string, IncidentState>();
    let restrictedVisible = new Set<string>();
    if (restrictedRule === undefined) {
      const restricted = await app.incidents.listHeads({ ...filter, restricted: true });
      for (const st of await app.incidents.getMany(restricted.map((head) => head.id))) {
        if (policy.canSeeIncident(user, st)) states.set(st.id, st);
      }
      restrictedVisible = new Set(states.keys());
    }
    const visible = (head: IncidentHead) => (head.restricted ? (restrictedRule ?? restrictedVisible.has(head.id)) : opened);
    // Rows the columns rule out are left out in SQL; the rest are checked per head.
    const sqlFilter: IncidentListFilter = !opened ? { ...filter, restricted: true } : restrictedRule === false ? { ...filter, restricted: false } : filter;
    let total: number;
    if (restrictedRule === undefined) total = (opened ? await app.incidents.count({ ...filter, restricted: false }) : 0) + restrictedVisible.size;
    else if (!opened && !restrictedRule) total = 0;
    else total = await app.incidents.count(sqlFilter);
    if (total === 0) return { items: [], more: false, total };

    // One more than the page tells whether another follows.
    const heads: IncidentHead[] = [];
    let position: Cursor | undefined = cursor;
    while (heads.length <= limit) {
      const want = limit + 1 - heads.length;
      const batch = await app.incidents.listHeads({ ...sqlFilter, ...(position ? { after: position } : {}), limit: want });
      heads.push(...batch.filter(visible));
      if (batch.length < want) break;
      position = batch[batch.length - 1];
    }
    const shown = heads.slice(0, limit);
    for (const st of await app.incidents.getMany(shown.filter((head) => !states.has(head.id)).map((head) => head.id))) states.set(st.id, st);
    // Checked again on the state shown: it may have changed (been restricted) since the heads were read.
    const items = shown.flatMap((head) => {
      const state = states.get(head.id);
      return state && policy.canSeeIncident(user, state) ? [state] : [];
    });
    return { items, more: heads.length > limit, total };
  }

  /**
   * The list when visibility or the text search needs the states: every candidate's head
   * is read and a state is parsed only when the columns cannot decide, or it is on the page.
   */
  async function scanList(user: User, filter: IncidentListFilter, text: string | undefined, cursor: Cursor | undefined, limit: number): Promise<ListPage> {
    const heads = await app.incidents.listHeads(filter);
    const undecided = heads.filter((head) => text !== undefined || policy.canSeeIncidentFromColumns(user, head) === undefined);
    const states = new Map((await app.incidents.getMany(undecided.map((head) => head.id))).map((st) => [st.id, st]));
    const visible = heads.filter((head) => {
      const state = states.get(head.id);
      if (!state) return policy.canSeeIncidentFromColumns(user, head) === true;
      return policy.canSeeIncident(user, state) && (!text || matchesText(state, text));
    });
    const after = cursor ? visible.filter((head) => isAfterCursor(head, cursor)) : visible;
    const pageHeads = after.slice(0, limit);
    const missing = pageHeads.filter((head) => !states.has(head.id)).map((head) => head.id);
    for (const st of await app.incidents.getMany(missing)) states.set(st.id, st);
    const items = pageHeads.flatMap((head) => {
      const state = states.get(head.id);
      return state && policy.canSeeIncident(user, state) && (!text || matchesText(state, text)) ? [state] : [];
    });
    return { items, more: after.length > items.length, total: visible.length };
  }

  r.post('/incidents', {
    schema: { tags: [TAGS.incidents], summary: 'Report an event', headers: s.createHeaders, body: s.createBody, response: { 201: s.incidentViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const body = request.body;
    const principal = await authorize(context, request, (p) => policy.canReportIncident(p.user), 'report incidents');
    if (principal.user.role === 'reporter' && (body.anonymous || (body.reporter !== undefined && body.reporter !== principal.user.handle))) {
      await authorize(context, request, () => false, 'report anonymously or on behalf of someone else');
    }
    const reporter = body.anonymous ? ({ anonymous: true } as const) : ({ anonymous: false, name: body.reporter ?? principal.user.handle } as const);
    const options = { actor: principal.user.handle, ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}) };
    let { state } = await asHttpFields(app.incidents.report(
      body.plan,
      {
        type: 'report',
        title: body.title,
        ...(body.summary !== undefined ? { summary: body.summary } : {}),
        reporter,
        ...(body.restricted !== undefined ? { restricted: body.restricted } : {}),
        ...(body.drill ? { drill: true } : {}),
      },
      options,
    ));
    // Whoever opens a need-to-know incident must be able to see it afterwards.
    if (state.restricted && principal.user.role !== 'admin' && !isMember(principal.user, state)) {
      state = (await app.incidents.execute(state.id, { type: 'add_member', user: principal.user.handle }, { actor: principal.user.handle })).state;
    }
    reply.header('location', `/api/v1/incidents/${state.id}`);
    return respondWithIncident(reply, state, 201);
  });

  r.get('/incidents/:id', {
    schema: { tags: [TAGS.incidents], summary: 'One incident: state, roles, checklist, clocks', params: s.incidentParams, response: { 200: s.incidentViewSchema, ...problemResponses } },
  }, async (request, reply) => {
    const { state } = await visibleIncident(context, request, request.params.id);
    return respondWithIncident(reply, state);
  });

  /** Registers one command route: POST (or DELETE) on the incident, returning the new view. */
  function command<P extends z.ZodObject, B extends z.ZodType>(def: {
    method?: 'POST' | 'DELETE';
    url: string;
    summary: string;
    params: P;
    body?: B;
    build: (params: z.infer<P>, body: z.infer<B>, principal: Principal) => IncidentCommand;
  }) {
    r.route({
      method: def.method ?? 'POST',
      url: `/incidents/:id${def.url}`,
      schema: {
        tags: [TAGS.commands],
        summary: def.summary,
        params: def.params,
        headers: s.commandHeaders,
        ...(def.body ? { body: def.body } : {}),
        response: { 200: s.incidentViewSchema, ...problemResponses },
      },
      // A command without fields may be sent without a body at all.
      preValidation: async (request: FastifyRequest) => {
        if (request.body === null || request.body === undefined) request.body = {};
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const params = request.params as z.infer<P> & { id: string };
        const body = (request.body ?? {}) as z.infer<B>;
        const { principal, state } = await visibleIncident(context, request, params.id);
        const built = def.build(params, body, principal);
        if (!policy.canRunCommand(principal.user, state, built.type)) await authorize(context, request, () => false, `change incidents (${built.type})`);
        const expectedVersion = parseIfMatch(request.headers['if-match'] as string | undefined);
        const occurredAt = (body as { occurredAt?: string } | undefined)?.occurredAt;
        const result = await asHttpFields(
          app.incidents.execute(state.id, built, {
            actor: principal.user.handle,
            ...(occurredAt ? { occurredAt } : {}),
            ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          }),
        );
        return respondWithIncident(reply, result.state);
      },
    });
  }

  command({ url: '/triage', summary: 'Confirm as an incident, or dismiss as a false alarm', params: s.incidentParams, body: s.triageBody, build: (_p, b) => (b.decision === 'confirm' ? { type: 'triage', decision: 'confirm', severity: b.severity, ...(b.category ? { category: b.category } : {}) } : { type: 'triage', decision: 'dismiss', reason: b.reason }) });
  command({
    url: '/ack',
    summary: 'Acknowledge the report (stops the escalation)',
    params: s.incidentParams,
    body: s.ackBody,
    // Recorded on the timeline: the web app (a session) or the API (a token); the CLI says so itself.
    build: (_params, body, principal) => ({ type: 'acknowledge', via: body.via ?? (principal.via === 'session' ? 'web' : 'api') }),
  });
  command({ url: '/severity', summary: 'Change the severity', params: s.incidentParams, body: s.severityBody, build: (_p, b) => ({ type: 'change_severity', severity: b.severity, reason: b.reason }) });
  command({ url: '/roles/:role/assign', summary: 'Give a vacant role to someone', params: s.roleParams, body: s.assignBody, build: (p, b) => ({ type: 'assign_role', role: p.role, to: b.to }) });
  command({ url: '/roles/:role/handoff', summary: 'Start handing your role to someone', params: s.roleParams, body: s.handoffBody, build: (p, b) => ({ type: 'initiate_handoff', role: p.role, to: b.to, briefing: b.briefing }) });
  command({ url: '/roles/:role/handoff/confirm', summary: 'Confirm you take over a role', params: s.roleParams, body: s.emptyBody, build: (p) => ({ type: 'confirm_handoff', role: p.role }) });
  command({ url: '/roles/:role/handoff/cancel', summary: 'Cancel a pending handoff', params: s.roleParams, body: s.reasonBody, build: (p, b) => ({ type: 'cancel_handoff', role: p.role, reason: b.reason }) });
  command({ url: '/phase', summary: 'Move to a phase', params: s.incidentParams, body: s.phaseBody, build: (_p, b) => ({ type: 'enter_phase', phase: b.phase, ...(b.force ? { force: { reason: b.force.reason } } : {}) }) });
  command({ url: '/checklist/:item/complete', summary: 'Mark a checklist item done', params: s.itemParams, body: s.completeBody, build: (p, b) => ({ type: 'complete_item', item: p.item, ...(b.note ? { note: b.note } : {}) }) });
  command({ url: '/notes', summary: 'Add a note (Markdown)', params: s.incidentParams, body: s.textBody, build: (_p, b) => ({ type: 'add_note', text: b.text }) });
  command({ url: '/sitreps', summary: 'Post a situation report (Markdown)', params: s.incidentParams, body: s.textBody, build: (_p, b) => ({ type: 'post_sitrep', text: b.text }) });
  command({ url: '/flags', summary: 'Record a fact that may start a regulatory clock', params: s.incidentParams, body: s.flagBody, build: (_p, b) => ({ type: 'set_flag', flag: b.flag, ...(b.note ? { note: b.note } : {}) }) });
  command({ url: '/regulatory/:clock/filed', summary: 'Record a regulatory notification as filed', params: s.clockParams, body: s.filedBody, build: (p, b) => ({ type: 'file_regulatory', clock: p.clock, ...(b.reference ? { reference: b.reference } : {}), ...(b.note ? { note: b.note } : {}), ...(b.reportSha256 ? { reportSha256: b.reportSha256 } : {}), ...(b.reason ? { reason: b.reason } : {}) }) });
  command({ url: '/members', summary: 'Add a member (need-to-know)', params: s.incidentParams, body: s.memberBody, build: (_p, b) => ({ type: 'add_member', user: b.user }) });
  command({ method: 'DELETE', url: '/members/:user', summary: 'Remove a member', params: s.memberParams, build: (p) => ({ type: 'remove_member', user: p.user }) });
  command({ url: '/restriction', summary: 'Restrict the incident to its members, or open it', params: s.incidentParams, body: s.restrictionBody, build: (_p, b) => ({ type: 'set_restricted', restricted: b.restricted, reason: b.reason }) });
  command({ url: '/resolve', summary: 'Mark resolved', params: s.incidentParams, body: s.resolveBody, build: (_p, b) => ({ type: 'resolve', ...(b.summary ? { summary: b.summary } : {}) }) });
  command({ url: '/close', summary: 'Close a resolved incident', params: s.incidentParams, body: s.emptyBody, build: () => ({ type: 'close' }) });
  command({ url: '/reopen', summary: 'Reopen a resolved, closed or dismissed incident', params: s.incidentParams, body: s.reasonBody, build: (_p, b) => ({ type: 'reopen', reason: b.reason }) });

  r.get('/incidents/:id/timeline', {
    schema: { tags: [TAGS.incidents], summary: 'The incident log, oldest first, in pages', params: s.incidentParams, querystring: s.timelineQuery, response: { 200: s.timelineSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await visibleIncident(context, request, request.params.id);
    const q = request.query;
    // One row more than the page tells whether another page follows; filters run in SQL.
    const matching = await app.incidents.timeline(state.id, {
      ...(q.after !== undefined ? { afterSeq: q.after } : {}),
      ...(q.type ? { types: q.type } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      limit: q.limit + 1,
    });
    const page = matching.slice(0, q.limit);
    return { items: page.map(presentEvent), nextAfter: matching.length > page.length ? (page[page.length - 1]?.seq ?? null) : null };
  });

  r.get('/incidents/:id/clocks', {
    schema: { tags: [TAGS.incidents], summary: 'Every deadline and its state', params: s.incidentParams, querystring: s.clocksQuery, response: { 200: s.clocksSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await visibleIncident(context, request, request.params.id);
    const at = request.query.at ? new Date(request.query.at) : app.time.now();
    return { items: presentClocks(deriveClocks(await app.incidents.planOf(state), state, at)) };
  });

  r.get('/incidents/:id/sitreps/draft', {
    schema: { tags: [TAGS.incidents], summary: "A sitrep rendered from the plan's template", params: s.incidentParams, response: { 200: s.draftSchema, ...problemResponses } },
  }, async (request) => {
    const { state } = await visibleIncident(context, request, request.params.id);
    const plan = await app.incidents.planOf(state);
    return { text: renderPlanTemplate(plan, 'sitrep', await loadIncidentTemplateContext(app.incidents, plan, state, 'sitrep', app.time.now())).body };
  });

  r.get('/incidents/:id/verify', {
    schema: { tags: [TAGS.incidents], summary: "Check the incident's hash chain", params: s.incidentParams, response: { 200: s.verdictsSchema, ...problemResponses } },
  }, async (request) => {
    const { principal, state } = await visibleIncident(context, request, request.params.id);
    if (!policy.canVerify(principal.user)) await authorize(context, request, () => false, 'verify incident logs');
    return { items: (await app.incidents.verify([state.id])).map(presentVerdict) };
  });

  r.get('/verify', {
    schema: { tags: [TAGS.incidents], summary: 'Check the hash chain of every incident you may see', response: { 200: s.verdictsSchema, ...problemResponses } },
  }, async (request) => {
    const principal = await authorize(context, request, (p) => policy.canVerify(p.user), 'verify incident logs');
    // Whoever may see every incident gets the walk of the event log itself, which also names
    // an incident whose row was deleted; everyone else gets the incidents they may see.
    if (policy.canReadCheckpoints(principal.user)) return { items: (await app.incidents.verify()).map(presentVerdict) };
    const ids = (await app.incidents.list()).filter((st) => policy.canSeeIncident(principal.user, st)).map((st) => st.id).sort();
    return { items: (await app.incidents.verify(ids)).map(presentVerdict) };
  });

  r.get('/incidents/:id/export', {
    schema: {
      tags: [TAGS.incidents],
      summary: 'The whole incident record as JSON: view, every event, chain verdict (audited)',
      params: s.incidentParams,
      response: { 200: z.object({ incident: s.incidentViewSchema, events: z.array(s.timelineEventSchema), verdict: s.verdictsSchema.shape.items.element, exportedAt: z.string(), exportedBy: z.string() }), ...problemResponses },
    },
  }, async (request, reply) => {
    const { principal, state } = await visibleIncident(context, request, request.params.id);
    if (!policy.canVerify(principal.user)) await authorize(context, request, () => false, 'export incident records');
    const [verdict] = await app.incidents.verify([state.id]);
    const events = await app.incidents.timeline(state.id);
    await context.auth.audit.record({ action: 'export', outcome: 'success', userId: principal.user.id, subject: state.id, ip: request.ip, detail: { events: events.length } });
    reply.header('content-disposition', `attachment; filename="${state.id}.json"`).header('etag', etagOf(state.version));
    return { incident: await presentView(app, state), events: events.map(presentEvent), verdict: presentVerdict(verdict!), exportedAt: app.time.now().toISOString(), exportedBy: principal.user.handle };
  });
}
