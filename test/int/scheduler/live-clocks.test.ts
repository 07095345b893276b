/**
 * Live countdowns: when an incident's clock rows change (a command moved or cancelled
 * them) or the scheduler fires one of its clocks, a `clocks` message goes out on the
 * incident's event stream and on the dashboard stream, over real loopback HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';
import { openSse, type SseClient, type SseMessage } from '../../support/sse-client.js';
import { minutes } from '../../support/test-app.js';

let h: HttpHarness | undefined;
const streams: SseClient[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await h?.close();
  h = undefined;
});

const clocksOf = (id: string) => (m: SseMessage) => m.event === 'clocks' && (m.data as { incidentId: string }).incidentId === id;

describe('clocks on the event streams', () => {
  it('a command that moves clock rows, and a clock firing, each publish `clocks` on both streams', async () => {
    h = await createHttpHarness();
    const base = await h.listen();
    const id = await h.report('responder');
    const one = await openSse(`${base}/api/v1/incidents/${id}/stream`, h.tokens.responder);
    const all = await openSse(`${base}/api/v1/stream`, h.tokens.responder);
    streams.push(one, all);
    expect([one.status, all.status]).toEqual([200, 200]);
    await one.waitForComment('connected');
    await all.waitForComment('connected');

    // Acknowledging cancels the escalation ladder: the rows change.
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${id}/ack`, {})).statusCode).toBe(200);
    await one.waitFor(clocksOf(id), 'clocks after the acknowledgement (incident stream)');
    await all.waitFor(clocksOf(id), 'clocks after the acknowledgement (dashboard stream)');
    const afterAck = one.messages.filter(clocksOf(id)).length;

    // The triage clock falls due and fires.
    h.app.time.advance(minutes(24 * 60));
    const tick = await h.app.scheduler.tick();
    expect(tick.fired).toBeGreaterThan(0);
    await one.waitFor((m) => clocksOf(id)(m) && one.messages.filter(clocksOf(id)).length > afterAck, 'clocks after a clock fired');
    await one.waitFor((m) => m.event === 'incident' && JSON.stringify(m.data).includes('clock_fired'), 'the clock_fired event');
  });

  it('a note (schedule-neutral) publishes no `clocks` message', async () => {
    h = await createHttpHarness();
    const base = await h.listen();
    const id = await h.report('responder');
    const one = await openSse(`${base}/api/v1/incidents/${id}/stream`, h.tokens.responder);
    streams.push(one);
    await one.waitForComment('connected');
    expect((await h.call('responder', 'POST', `/api/v1/incidents/${id}/notes`, { text: 'checking the VPN logs' })).statusCode).toBe(200);
    await one.waitFor((m) => m.event === 'incident', 'the note event');
    await h.server.streamHub.drain();
    expect(one.messages.filter(clocksOf(id))).toEqual([]);
  });
});
