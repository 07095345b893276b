import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iso27001Incident, nistTeamIncident } from '../../support/after-fixtures.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});
afterEach(async () => {
  await app.close();
});

describe('post-incident review', () => {
  it('000: due 2 weeks after closure; completing the review meets the retrospective clock on time', async () => {
    const id = await iso27001Incident(app);
    const view = await app.reviews.show(id);
    expect(view.clock).toMatchObject({ dueAt: '2026-03-19T09:00:00.000Z', state: 'met', metAt: '2026-03-12T15:00:00.000Z', late: false });
    expect(view.completedAt).toBe('2026-03-12T15:00:00.000Z');
    expect((await app.incidents.timeline(id)).at(-1)?.type).toBe('review_completed');
  });

  it('001: due 5 business days after resolution, skipping the weekend', async () => {
    app.time.set('2026-03-06T16:00:00Z'); // a Friday
    const { state } = await app.incidents.report('iec62443-platform', { type: 'report', title: 'Unsigned release published', reporter: { anonymous: false, name: 'lp' } }, { actor: 'lp' });
    await app.incidents.execute(state.id, { type: 'triage', decision: 'confirm', severity: 'P1' }, { actor: 'lp' });
    await app.incidents.execute(state.id, { type: 'resolve' }, { actor: 'lp' });
    const view = await app.reviews.show(state.id);
    // Fri 6 Mar + 5 business days = Fri 13 Mar (Sat 7 and Sun 8 do not count).
    expect(view.clock).toMatchObject({ dueAt: '2026-03-13T16:00:00.000Z', state: 'pending' });
    app.time.set('2026-03-16T09:00:00Z');
    expect((await app.reviews.show(state.id)).clock?.state).toBe('overdue');
  });

  it('a refused completion (not resolved yet) saves no draft (regression: found by the OpenAPI fuzzer)', async () => {
    const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Phishing wave', reporter: { anonymous: false, name: 'ann' } }, { actor: 'ann' });
    await expect(app.reviews.complete(state.id, 'ann')).rejects.toMatchObject({ kind: 'conflict' });
    expect(await app.store.db.selectFrom('reviews').selectAll().where('incident_id', '=', state.id).execute()).toEqual([]);
    expect((await app.reviews.show(state.id)).draft).toBe(true);
  });

  it('pre-fills the document from the log and refuses edits once completed', async () => {
    app.time.set('2026-03-02T09:00:00Z');
    const { state } = await app.incidents.report('nist-800-61r3', { type: 'report', title: 'Phishing wave', reporter: { anonymous: false, name: 'ann' }, source: 'mail gateway' }, { actor: 'ann' });
    const draft = await app.reviews.show(state.id);
    expect(draft.draft).toBe(true);
    expect(draft.document.discoveryMethod).toBe('mail gateway (reported by ann)');
    await expect(app.reviews.set(state.id, { whys: ['', 'x'] }, 'ann')).rejects.toMatchObject({ code: 'FB_ERR_INPUT_INVALID', fields: [{ path: 'whys.0' }] });
    await expect(app.reviews.set(state.id, { detectedAt: 'yesterday' }, 'ann')).rejects.toMatchObject({ fields: [{ path: 'detectedAt' }] });
    await expect(app.reviews.complete(state.id, 'ann')).rejects.toMatchObject({ code: 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION' });

    const id = await iso27001Incident(app);
    await expect(app.reviews.set(id, { rootCause: 'changed' }, 'x')).rejects.toMatchObject({ code: 'FB_ERR_REVIEW_COMPLETED' });
  });

  it('derives closed-reviewed only when closed, reviewed and every action item is done or deferred', async () => {
    const id = await iso27001Incident(app);
    expect((await app.reviews.show(id)).afterStatus).toBe('awaiting-actions');
    const items = await app.actions.list(id);
    const open = items.find((i) => i.status === 'open')!;
    await expect(app.actions.update(open.id, { status: 'deferred' }, 'sam')).rejects.toMatchObject({ fields: [{ path: 'reason' }] });
    await app.actions.update(open.id, { status: 'deferred', reason: 'Plan v2 rewrite covers it' }, 'sam');
    expect((await app.reviews.show(id)).afterStatus).toBe('closed-reviewed');
  });

  it('renders the plan template to Markdown with review, metrics and a timeline of key events', async () => {
    const iso = await iso27001Incident(app);
    const md = await app.reviews.renderMarkdown(iso);
    expect(md).toContain(`**Incident ID**: ${iso}`);
    expect(md).toContain('**Date Closed**: 2026-03-05');
    expect(md).toContain('| 2026-03-02 09:40 UTC | sam acknowledged |');
    expect(md).toContain('- Time to acknowledge: 40 min');
    expect(md).toContain('- Time to contain: 5 h 0 min');
    expect(md).toContain('- Time to resolve: 2 d 7 h');
    expect(md).toContain('Envelope recovery compared the MAC');
    expect(md).toContain('| Add a constant-time lint rule to CI | tom | 2026-03-31 | done |');
    expect(md).not.toContain('checklist_item_completed');

    const nist = await nistTeamIncident(app);
    const md2 = await app.reviews.renderMarkdown(nist);
    expect(md2).toContain('- **Discovery method**: OpsGenie alert on login error rate');
    expect(md2).toContain('- **Time to discovery**: 15 min');
    expect(md2).toContain('- **Time to containment**: 1 h 30 min');
    expect(md2).toContain('- **Threat actions**: Credential stuffing, Request flooding');
    expect(md2).toContain('Move sessions to a separate database (quinn, due —, deferred: Covered by the Q3 platform migration)');
  });
});
