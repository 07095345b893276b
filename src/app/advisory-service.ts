/**
 * The advisory use cases: draft one from an incident, edit, review, schedule, publish,
 * export, and keep the VEX register. Each write is one store transaction that loads the
 * advisory (and its incident), decides with the pure domain, seals the events into the
 * advisory's hash chain, and records `advisory_drafted` / `advisory_published` on the
 * incident's own chain in the same transaction, through `IncidentService` (so the
 * incident's projections run and live subscribers hear about it after the commit). What is public is decided by comparing a
 * revision's release time with the TimeSource, so embargoes need no job.
 */
import type { Transaction } from 'kysely';
import { canonicalJson } from '../domain/chain/canonical-json.js';
import { sealEvents } from '../domain/chain/event-sealer.js';
import type { ChainVerdict } from '../domain/chain/hash-chain.js';
import { ADVISORY_GENESIS_HASH, verifyAdvisoryChain } from '../domain/advisory/advisory-chain.js';
import { type AdvisoryDocument, draftDocument, revisionDocument } from '../domain/advisory/advisory-document.js';
import { DEFAULT_ADVISORY_ID_PATTERN, formatAdvisoryId } from '../domain/advisory/advisory-id.js';
import { type AdvisoryCommand, type AdvisoryContext, decideAdvisory, decideDraft } from '../domain/advisory/commands.js';
import type { AdvisoryEvent, AdvisoryEventEnvelope } from '../domain/advisory/events.js';
import { type AdvisoryRevision, type AdvisoryState, evolveAdvisory, publicRevision, replayAdvisory } from '../domain/advisory/state.js';
import { buildTimeline } from '../domain/advisory/timeline.js';
import { FirebreakError } from '../domain/errors.js';
import type { IncidentState } from '../domain/incident/state.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import { checkVexStatement, type VexStatement } from '../domain/vex/vex-statement.js';
import { type CsafPublisher, registerToCsafVex, toCsafAdvisory, toCsafVex } from '../integrations/exports/csaf-export.js';
import { toGhsa } from '../integrations/exports/ghsa-export.js';
import { toMarkdown } from '../integrations/exports/markdown-export.js';
import { toOpenVex } from '../integrations/exports/openvex-export.js';
import { toOsv } from '../integrations/exports/osv-export.js';
import {
  type AdvisoryListFilter,
  appendAdvisoryEvents,
  appendVexStatement,
  listAdvisoryStates,
  loadAdvisoryEvents,
  loadAdvisoryState,
  loadVexHistory,
  loadVexRegister,
  saveAdvisoryState,
} from '../store/advisory-store.js';
import type { Database } from '../store/database.js';
import { type EventRange, loadEvents, loadIncidentState, nextCounter } from '../store/incident-store.js';
import { assertStorableText } from '../store/storable-text.js';
import type { Store } from '../store/store.js';
import { type AdvisoryView, presentAdvisory } from './advisory-view.js';
import type { IncidentService } from './incident-service.js';
import type { PlanCatalog } from './plan-catalog.js';
import { loadIncidentTemplateContext } from './messages/template-timeline.js';
import type { TimeSource } from './time-source.js';

export const EXPORT_FORMATS = ['md', 'osv', 'csaf', 'csaf-vex', 'ghsa'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface AdvisoryCommandOptions {
  readonly actor: string;
  /** Refuse unless the advisory is still at this version. */
  readonly expectedVersion?: number;
}

export interface AdvisoryResult {
  readonly state: AdvisoryState;
  readonly events: readonly AdvisoryEventEnvelope[];
}

export interface ExportOptions {
  /** `published` (default when one exists): the latest public revision; `working`: a draft preview. */
  readonly which?: 'published' | 'working';
}

/** Who publishes the CSAF and OpenVEX documents; from FIREBREAK_PUBLISHER_NAME / _NAMESPACE. */
export function defaultPublisher(env: NodeJS.ProcessEnv = process.env): CsafPublisher {
  return { name: env['FIREBREAK_PUBLISHER_NAME'] ?? 'Firebreak', namespace: env['FIREBREAK_PUBLISHER_NAMESPACE'] ?? 'https://firebreak.invalid' };
}

function notFound(id: string): FirebreakError {
  return new FirebreakError('FB_ERR_ADVISORY_NOT_FOUND', `no advisory ${id}`);
}

/** Checklist items on the incident's plan that gate publishing and are still open. */
export function openPublishGates(plan: Plan, incident: IncidentState): string[] {
  return plan.phases.flatMap((phase) => phase.checklist.filter((item) => item.gates.includes('advisory-publish') && !incident.completedItems[item.id]).map((item) => item.id));
}

export class AdvisoryService {
  constructor(
    private readonly store: Store,
    private readonly plans: PlanCatalog,
    private readonly incidents: IncidentService,
    private readonly time: TimeSource,
    private readonly publisher: CsafPublisher = defaultPublisher(),
  ) {}

  private seal(advisoryId: string, after: { version: number; lastHash: string }, events: readonly AdvisoryEvent[], ctx: { actor: string; occurredAt: string }, recordedAt: string): AdvisoryEventEnvelope[] {
    return sealEvents('advisoryId', advisoryId, after, events, { ...ctx, recordedAt }) as AdvisoryEventEnvelope[];
  }

  private async loadIncident(db: Store['db'] | Transaction<Database>, incidentId: string, lock = false): Promise<IncidentState> {
    const incident = await loadIncidentState(db, incidentId, { lock: lock && this.store.dialect === 'postgres' });
    if (!incident) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no incident ${incidentId}`);
    return incident;
  }

  /** Starts an advisory on an incident; its id comes from the plan's pattern. */
  async draft(incidentId: string, content: unknown, options: AdvisoryCommandOptions): Promise<AdvisoryResult> {
    const now = this.time.now();
    const at = now.toISOString();
    assertStorableText(content, 'advisory');
    return this.incidents.withinTransaction(async (writer) => {
      const trx = writer.trx;
      const incident = await this.loadIncident(trx, incidentId, true);
      const plan = await this.plans.get(incident.planId, incident.planVersion);
      const events = decideDraft({ type: 'draft', incidentId: incident.id, planId: plan.id, planVersion: plan.version, reporter: incident.reporter, content });
      const pattern = plan.advisory?.idPattern ?? DEFAULT_ADVISORY_ID_PATTERN;
      const year = now.getUTCFullYear();
      const id = formatAdvisoryId(pattern, year, await nextCounter(trx, `advisory:${pattern}:${year}`));
      const sealed = this.seal(id, { version: 0, lastHash: ADVISORY_GENESIS_HASH }, events, { actor: options.actor, occurredAt: at }, at);
      const state = sealed.reduce<AdvisoryState | null>(evolveAdvisory, null)!;
      await appendAdvisoryEvents(trx, sealed);
      await saveAdvisoryState(trx, state, true);
      await writer.record(incident.id, [{ type: 'advisory_drafted', data: { advisoryId: id, title: state.content.title } }], { actor: options.actor });
      return { state, events: sealed };
    });
  }

  async execute(advisoryId: string, command: AdvisoryCommand, options: AdvisoryCommandOptions): Promise<AdvisoryResult> {
    const at = this.time.now().toISOString();
    if (command.type === 'edit') assertStorableText(command.changes, 'changes');
    return this.incidents.withinTransaction(async (writer) => {
      const trx = writer.trx;
      const state = await loadAdvisoryState(trx, advisoryId, { lock: this.store.dialect === 'postgres' });
      if (!state) throw notFound(advisoryId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== state.version) {
        throw new FirebreakError('FB_ERR_ADVISORY_STALE_VERSION', `${advisoryId} is at version ${state.version}, not ${options.expectedVersion}: someone changed it; reload and try again`);
      }
      const releasing = command.type === 'publish' || command.type === 'schedule';
      const incident = await this.loadIncident(trx, state.incidentId, releasing);
      const ctx: AdvisoryContext = { actor: options.actor, occurredAt: at };
      if (releasing) {
        const plan = await this.plans.get(incident.planId, incident.planVersion);
        Object.assign(ctx, { openGates: openPublishGates(plan, incident), timeline: buildTimeline(incident, state.content, null) });
      }
      const events = decideAdvisory(state, command, ctx);
      const sealed = this.seal(advisoryId, state, events, ctx, at);
      const next = sealed.reduce(evolveAdvisory, state);
      await appendAdvisoryEvents(trx, sealed);
      await saveAdvisoryState(trx, next, false);
      for (const event of sealed) {
        if (event.type === 'published' || event.type === 'scheduled') {
          const data = { advisoryId, revision: event.data.revision, releaseAt: event.data.releaseAt, embargoed: event.type === 'scheduled' };
          await writer.record(state.incidentId, [{ type: 'advisory_published', data }], { actor: options.actor });
        }
      }
      return { state: next, events: sealed };
    });
  }

  async get(advisoryId: string): Promise<AdvisoryState> {
    const state = await loadAdvisoryState(this.store.db, advisoryId);
    if (!state) throw notFound(advisoryId);
    return state;
  }

  /** The read model of an advisory (see advisory-view.ts), as of now. */
  async view(state: AdvisoryState): Promise<AdvisoryView> {
    const incident = await this.loadIncident(this.store.db, state.incidentId);
    const plan = await this.plans.get(incident.planId, incident.planVersion);
    const events = await loadAdvisoryEvents(this.store.db, state.id);
    return presentAdvisory(state, { incident, events, openGates: openPublishGates(plan, incident), now: this.time.now() });
  }

  /** The advisory, or undefined when there is none (callers that answer 404 themselves). */
  async find(advisoryId: string): Promise<AdvisoryState | undefined> {
    return loadAdvisoryState(this.store.db, advisoryId);
  }

  async list(filter: AdvisoryListFilter = {}): Promise<AdvisoryState[]> {
    return listAdvisoryStates(this.store.db, filter);
  }

  async events(advisoryId: string): Promise<AdvisoryEventEnvelope[]> {
    await this.get(advisoryId);
    return loadAdvisoryEvents(this.store.db, advisoryId);
  }

  async verify(advisoryId: string): Promise<{ verdict: ChainVerdict; projectionMatches: boolean }> {
    const stored = await this.get(advisoryId);
    const events = await loadAdvisoryEvents(this.store.db, advisoryId);
    const verdict = verifyAdvisoryChain(advisoryId, events);
    return { verdict, projectionMatches: verdict.ok && canonicalJson(replayAdvisory(events)) === canonicalJson(stored) };
  }

  /** Published advisories visible at `now`, newest first, each with its public revision. */
  async listPublic(now: Date = this.time.now()): Promise<{ state: AdvisoryState; revision: AdvisoryRevision }[]> {
    const states = await listAdvisoryStates(this.store.db, { releasedBy: now.toISOString() });
    return states
      .map((state) => ({ state, revision: publicRevision(state, now) }))
      .filter((e): e is { state: AdvisoryState; revision: AdvisoryRevision } => e.revision !== null)
      .sort((a, b) => b.revision.releaseAt.localeCompare(a.revision.releaseAt) || b.state.id.localeCompare(a.state.id));
  }

  /** The public document of one advisory, or not-found while it is draft or embargoed. */
  async getPublic(advisoryId: string, now: Date = this.time.now()): Promise<AdvisoryDocument> {
    const state = await loadAdvisoryState(this.store.db, advisoryId);
    const revision = state ? publicRevision(state, now) : null;
    if (!state || !revision) throw notFound(advisoryId);
    return revisionDocument(state, revision);
  }

  /** The document exports are rendered from: the latest released revision, or a working-copy preview. */
  async document(advisoryId: string, options: ExportOptions = {}): Promise<AdvisoryDocument> {
    const state = await this.get(advisoryId);
    const now = this.time.now();
    const latest = [...state.revisions].sort((a, b) => a.revision - b.revision).at(-1);
    if (options.which !== 'working' && latest) return revisionDocument(state, latest);
    const incident = await this.loadIncident(this.store.db, state.incidentId);
    return draftDocument(state, buildTimeline(incident, state.content, null), now.toISOString());
  }

  async export(advisoryId: string, format: ExportFormat, options: ExportOptions = {}): Promise<string> {
    const doc = await this.document(advisoryId, options);
    return this.render(doc, format);
  }

  /** Renders one document in one format (JSON formats pretty-printed). */
  async render(doc: AdvisoryDocument, format: ExportFormat): Promise<string> {
    switch (format) {
      case 'md': {
        const state = await this.get(doc.id);
        const incident = await this.loadIncident(this.store.db, state.incidentId);
        const plan = await this.plans.get(incident.planId, incident.planVersion);
        const events = { timeline: (id: string, range: EventRange) => loadEvents(this.store.db, id, range) };
        return toMarkdown(plan, doc, await loadIncidentTemplateContext(events, plan, incident, 'advisory', this.time.now()));
      }
      case 'osv':
        return `${JSON.stringify(toOsv(doc), null, 2)}\n`;
      case 'csaf':
        return `${JSON.stringify(toCsafAdvisory(doc, this.publisher), null, 2)}\n`;
      case 'csaf-vex':
        return `${JSON.stringify(toCsafVex(doc, this.publisher, await loadVexRegister(this.store.db)), null, 2)}\n`;
      case 'ghsa':
        return `${JSON.stringify(toGhsa(doc), null, 2)}\n`;
      default: {
        const unknown: never = format;
        throw new FirebreakError('FB_ERR_INPUT_INVALID', `format: "${String(unknown)}" is not one of ${EXPORT_FORMATS.join(', ')}`);
      }
    }
  }

  // ---- VEX register -------------------------------------------------------------------

  async recordVex(input: unknown, options: { actor: string }): Promise<VexStatement> {
    assertStorableText(input, 'statement');
    const statement = checkVexStatement(input);
    const recordedAt = this.time.now().toISOString();
    await this.store.transaction((trx) => appendVexStatement(trx, statement, { recordedAt, actor: options.actor }));
    return { ...statement, recordedAt, actor: options.actor };
  }

  async vexRegister(filter: { vulnerability?: string } = {}): Promise<VexStatement[]> {
    return loadVexRegister(this.store.db, filter);
  }

  async vexHistory(filter: { vulnerability?: string } = {}): Promise<VexStatement[]> {
    return loadVexHistory(this.store.db, filter);
  }

  async exportVex(format: 'csaf' | 'openvex'): Promise<string> {
    const statements = await loadVexRegister(this.store.db);
    const at = this.time.now().toISOString();
    const id = `VEX-${at.slice(0, 10)}`;
    const doc =
      format === 'csaf'
        ? registerToCsafVex(statements, this.publisher, { id, title: `${this.publisher.name} VEX register`, at })
        : toOpenVex(statements, { id: `${this.publisher.namespace.replace(/\/$/, '')}/vex/${id}`, author: this.publisher.name, timestamp: at });
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
}
