/**
 * The post-incident review: due date and state from the plan's retrospective clock, a
 * document pre-filled from the log and edited until completed, completion recorded on the
 * log (which meets the clock), and the report rendered with the plan's
 * `postIncidentReport` template to Markdown, and to PDF through headless Chromium.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { Transaction } from 'kysely';
import { canonicalDigest } from '../domain/chain/canonical-json.js';
import { type Clock, deriveClocks } from '../domain/clocks/clocks.js';
import { FirebreakError } from '../domain/errors.js';
import { describeEvent } from '../domain/incident/describe.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentState } from '../domain/incident/state.js';
import { formatDuration, type ResponseTimes, responseTimes } from '../domain/metrics/response-times.js';
import { parseInput } from '../domain/parse-input.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import { type ActionItem, type AfterStatus, afterStatus } from '../domain/review/action-item.js';
import { draftReview, KEY_EVENT_TYPES, keyEvents, type ReviewDocument, ReviewDocumentSchema, type ReviewPatch, ReviewPatchSchema } from '../domain/review/review-document.js';
import { htmlToPdf } from '../integrations/report-pdf/chromium-pdf.js';
import { reportHtml } from '../integrations/report-pdf/markdown-html.js';
import { type Database, readJson } from '../store/database.js';
import type { Store } from '../store/store.js';
import type { ActionItemService } from './action-item-service.js';
import type { IncidentService, TransactionalProjection } from './incident-service.js';
import { incidentTemplateContext, renderPlanTemplate, type TemplateContext } from './template-renderer.js';
import type { TimeSource } from './time-source.js';

export interface ReviewView {
  readonly incidentId: string;
  readonly drill: boolean;
  /** The retrospective clock; null until the incident is resolved (or closed, per plan). */
  readonly clock: Clock | null;
  readonly completedAt: string | null;
  /** True when nothing has been saved yet and `document` is the draft from the log. */
  readonly draft: boolean;
  readonly document: ReviewDocument;
  readonly keyEvents: readonly { readonly at: string; readonly type: string; readonly actor: string; readonly summary: string }[];
  readonly times: ResponseTimes;
  readonly actionItems: readonly ActionItem[];
  readonly afterStatus: AfterStatus;
}

/** Sets `reviews.completed_at` in the transaction that appends `review_completed`. */
export const reviewProjection: TransactionalProjection = {
  name: 'reviews',
  async project(trx: Transaction<Database>, state: IncidentState, events: readonly IncidentEventEnvelope[]) {
    for (const event of events) {
      if (event.type === 'review_completed') {
        await trx.updateTable('reviews').set({ completed_at: event.occurredAt }).where('incident_id', '=', state.id).execute();
      } else if (event.type === 'reopened') {
        await trx.updateTable('reviews').set({ completed_at: null }).where('incident_id', '=', state.id).execute();
      }
    }
  },
};

export function documentHash(document: ReviewDocument): string {
  return canonicalDigest(document);
}

/** "2026-03-02 09:00 UTC" in the plan's time zone, as reports show times. */
export function reportTime(iso: string, timeZone: string): string {
  return `${format(new TZDate(new Date(iso).getTime(), timeZone), 'yyyy-MM-dd HH:mm')}${timeZone === 'UTC' ? ' UTC' : ` (${timeZone})`}`;
}

export class ReviewService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly actions: ActionItemService,
    private readonly time: TimeSource,
  ) {}

  /**
   * The log's key events, filtered in SQL: all a review reads (its draft takes the
   * resolution from the last `resolved`, itself a key event), so a long log of notes and
   * custody records is never read whole.
   */
  private async keyEventsOf(incidentId: string): Promise<IncidentEventEnvelope[]> {
    return this.incidents.timeline(incidentId, { types: [...KEY_EVENT_TYPES] });
  }

  private async stored(incidentId: string): Promise<{ document: ReviewDocument; completedAt: string | null } | undefined> {
    const row = await this.store.db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    return row ? { document: readJson<ReviewDocument>(row.document), completedAt: row.completed_at } : undefined;
  }

  async show(incidentId: string): Promise<ReviewView> {
    const state = await this.incidents.get(incidentId);
    const plan = await this.incidents.planOf(state);
    const events = await this.keyEventsOf(incidentId);
    const saved = await this.stored(incidentId);
    const document = saved?.document ?? draftReview(state, events);
    const items = await this.actions.list(incidentId);
    const clock = deriveClocks(plan, state, this.time.now()).find((c) => c.kind === 'retrospective') ?? null;
    return {
      incidentId: state.id,
      drill: state.drill,
      clock,
      completedAt: state.reviewCompletedAt,
      draft: saved === undefined,
      document,
      keyEvents: keyEvents(events).map((e) => ({ at: e.occurredAt, type: e.type, actor: e.actor, summary: describeEvent(e) })),
      times: responseTimes(plan, state, document.detectedAt ?? null),
      actionItems: items,
      afterStatus: afterStatus(state, items),
    };
  }

  /** Merges `patch` into the document (the draft, the first time); refused once completed. */
  async set(incidentId: string, patch: ReviewPatch, actor: string): Promise<ReviewView> {
    const valid = parseInput(ReviewPatchSchema, patch);
    const state = await this.incidents.get(incidentId);
    if (state.reviewCompletedAt) {
      throw new FirebreakError('FB_ERR_REVIEW_COMPLETED', `the review of ${incidentId} was completed at ${state.reviewCompletedAt}; reopen the incident to change it`);
    }
    const base = (await this.stored(incidentId))?.document ?? draftReview(state, await this.keyEventsOf(incidentId));
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => [k, (valid as Record<string, unknown>)[k]]));
    const document = parseInput(ReviewDocumentSchema, { ...base, ...defined });
    await this.store.transaction((trx) => this.write(trx, state.id, document, actor));
    return this.show(incidentId);
  }

  private async write(trx: Transaction<Database>, incidentId: string, document: ReviewDocument, actor: string): Promise<void> {
    const now = this.time.now().toISOString();
    await trx
      .insertInto('reviews')
      .values({ incident_id: incidentId, document: JSON.stringify(document), updated_at: now, updated_by: actor, completed_at: null })
      .onConflict((oc) => oc.column('incident_id').doUpdateSet({ document: JSON.stringify(document), updated_at: now, updated_by: actor }))
      .execute();
  }

  /** Completes the review: the document's hash goes on the log, which meets the retrospective clock. */
  async complete(incidentId: string, actor: string): Promise<ReviewView> {
    // The draft is saved in the same transaction as the event, so a refused completion
    // (the incident is not resolved yet) leaves no saved draft behind.
    const state = await this.incidents.get(incidentId);
    const saved = await this.stored(incidentId);
    const document = saved?.document ?? readJson<ReviewDocument>(JSON.stringify(parseInput(ReviewDocumentSchema, draftReview(state, await this.keyEventsOf(incidentId)))));
    await this.incidents.withinTransaction(async (writer) => {
      if (!saved) await this.write(writer.trx, state.id, document, actor);
      await writer.execute(incidentId, { type: 'complete_review', documentHash: documentHash(document) }, { actor });
    });
    return this.show(incidentId);
  }

  /** The template context: the incident's, plus `review`, `metrics`, `timeline` of key events. */
  async reportContext(incidentId: string): Promise<{ plan: Plan; state: IncidentState; context: TemplateContext }> {
    const state = await this.incidents.get(incidentId);
    const plan = await this.incidents.planOf(state);
    const view = await this.show(incidentId);
    const events = await this.keyEventsOf(incidentId);
    const base = incidentTemplateContext(plan, state, deriveClocks(plan, state, this.time.now()), keyEvents(events));
    const doc = view.document;
    const t = view.times;
    return {
      plan,
      state,
      context: {
        ...base,
        timeline: keyEvents(events).map((e) => ({ occurredAt: reportTime(e.occurredAt, plan.timeZone), at: e.occurredAt, type: e.type, actor: e.actor, summary: describeEvent(e) })),
        metrics: {
          timeToDiscovery: formatDuration(t.timeToDiscoveryMs),
          timeToAcknowledge: formatDuration(t.timeToAcknowledgeMs),
          timeToContain: formatDuration(t.timeToContainMs),
          timeToResolve: formatDuration(t.timeToResolveMs),
        },
        review: {
          ...doc,
          dueAt: view.clock?.dueAt ?? null,
          completedAt: view.completedAt,
          actionItems: view.actionItems.map((a) => ({
            title: a.title,
            owner: a.owner,
            due: a.dueDate,
            status: a.status === 'deferred' && a.statusReason ? `deferred: ${a.statusReason}` : a.status.replace('_', ' '),
            priority: a.priority,
            trackerUrl: a.trackerUrl,
          })),
        },
        ...(doc.controlGaps.length ? { controlGaps: doc.controlGaps.join('; ') } : {}),
        ...(doc.impact ? { impact: doc.impact } : {}),
        ...(doc.resolution ? { resolution: doc.resolution } : {}),
        ...(doc.lessons ? { lessons: doc.lessons } : {}),
        ...(doc.progression ? { progression: doc.progression } : {}),
      },
    };
  }

  async renderMarkdown(incidentId: string): Promise<string> {
    const { plan, state, context } = await this.reportContext(incidentId);
    const body = renderPlanTemplate(plan, 'postIncidentReport', context).body;
    return state.drill ? `> **DRILL** — this is an exercise, not a real incident.\n\n${body}\n` : `${body}\n`;
  }

  async renderPdf(incidentId: string): Promise<Buffer> {
    const { plan, state, context } = await this.reportContext(incidentId);
    const body = renderPlanTemplate(plan, 'postIncidentReport', context).body;
    const html = reportHtml({
      title: `${state.id} post-incident report`,
      ...(state.drill ? { banner: 'DRILL — this is an exercise, not a real incident' } : {}),
      markdown: body,
    });
    return htmlToPdf(html, { footer: `${state.id} · ${plan.name} ${plan.version} · generated ${reportTime(this.time.now().toISOString(), plan.timeZone)}` });
  }
}
