/**
 * Templates get a bounded timeline (bench/scaling.ts: the sitrep draft of an incident with
 * a million events read the whole log and gave no answer within 120 s). A sitrep gets the
 * events since the previous sitrep, other templates the latest ones, at most
 * TEMPLATE_TIMELINE_LIMIT, read with a SQL LIMIT; `timelineTotal` and `timelineTruncated`
 * tell a template how many it did not get.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadTemplateTimeline, TEMPLATE_TIMELINE_LIMIT } from '../../../src/app/messages/template-timeline.js';
import { incidentTemplateContext, renderString } from '../../../src/app/template-renderer.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

describe('bounded template timeline', () => {
  let h: HttpHarness;
  let id: string;
  let sitrepSeq: number;
  beforeAll(async () => {
    h = await createHttpHarness();
    id = await h.report('responder');
    for (let i = 0; i < 3; i += 1) await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: `before ${i}` });
    sitrepSeq = (await h.app.incidents.execute(id, { type: 'post_sitrep', text: 'first sitrep' }, { actor: 'responder' })).state.version;
    for (let i = 0; i < 6; i += 1) await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: `after ${i}` });
  });
  afterAll(async () => h.close());

  it('given a sitrep, when its timeline is loaded, then it holds the newest events since the previous sitrep and counts the rest', async () => {
    const state = await h.app.incidents.get(id);
    const since = (await h.app.incidents.timeline(id, { afterSeq: sitrepSeq })).map((e) => e.seq);
    expect(since.length).toBeGreaterThanOrEqual(6);
    const bounded = await loadTemplateTimeline(h.app.incidents, state, 'sitrep', 4);
    expect(bounded.events.map((e) => e.seq)).toEqual(since.slice(-4));
    expect(bounded.total).toBe(since.length);

    const whole = await loadTemplateTimeline(h.app.incidents, state, 'sitrep');
    expect(whole.events.map((e) => e.seq)).toEqual(since);
    expect(whole.total).toBe(since.length);
  });

  it('given another template, when its timeline is loaded, then it holds the newest events of the whole log', async () => {
    const state = await h.app.incidents.get(id);
    const bounded = await loadTemplateTimeline(h.app.incidents, state, 'broadcast', 5);
    expect(bounded.events.map((e) => e.seq)).toEqual([state.version - 4, state.version - 3, state.version - 2, state.version - 1, state.version]);
    expect(bounded.total).toBe(state.version);
  });

  it('given a truncated timeline, when a template renders, then it can say how many earlier events it left out', async () => {
    const state = await h.app.incidents.get(id);
    const plan = await h.app.incidents.planOf(state);
    const bounded = await loadTemplateTimeline(h.app.incidents, state, 'sitrep', 2);
    const context = incidentTemplateContext(plan, state, [], bounded.events, bounded.total);
    expect(context).toMatchObject({ timelineTotal: bounded.total, timelineTruncated: true });
    const text = renderString('{% if timelineTruncated %}… and {{ timelineTotal | minus: timeline.size }} earlier events{% endif %}', context);
    expect(text).toBe(`… and ${bounded.total - 2} earlier events`);
    expect(incidentTemplateContext(plan, state, [], bounded.events)).toMatchObject({ timelineTotal: 2, timelineTruncated: false });
  });

  it('given the sitrep draft route, when it renders, then it reads the log only with a limit', async () => {
    const timeline = vi.spyOn(h.app.incidents, 'timeline');
    try {
      const response = await h.call('viewer', 'GET', `/api/v1/incidents/${id}/sitreps/draft`);
      expect(response.statusCode).toBe(200);
      expect(timeline).toHaveBeenCalled();
      for (const [, range] of timeline.mock.calls) expect(range?.limit).toBeLessThanOrEqual(TEMPLATE_TIMELINE_LIMIT);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('given the review, when it is shown and its report rendered, then the log is read only as its key events, in SQL', async () => {
    const timeline = vi.spyOn(h.app.incidents, 'timeline');
    try {
      await h.app.reviews.show(id);
      await h.app.reviews.reportContext(id);
      expect(timeline).toHaveBeenCalled();
      for (const [, range] of timeline.mock.calls) expect(range?.types?.length ?? range?.limit).toBeGreaterThan(0);
      expect(timeline.mock.calls.flatMap(([, range]) => range?.types ?? [])).not.toContain('note_added');
    } finally {
      vi.restoreAllMocks();
    }
  });
});
