/**
 * Overload protection on a real listening server (this leg's back end): requests beyond
 * the in-flight limit, or arriving while the event loop is behind, or that waited too long
 * to start, get 503 problem+json with Retry-After and change nothing; health, readiness
 * and metrics still answer; a request whose client has gone is not run. Requests are held
 * in flight by making sign-in wait on a gate, so no test depends on how fast the machine is.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isExempt, NO_OVERLOAD_PROTECTION, type OverloadSettings } from '../../../src/http/overload.js';
import { overloadSettingsFromEnv } from '../../../src/http/server-config.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(overload: Partial<OverloadSettings>) {
  h = await createHttpHarness({ overload: { ...NO_OVERLOAD_PROTECTION, retryAfterSeconds: 3, ...overload } });
  const base = await h.listen();
  // Reported through the app, not the API: a busy test machine may already be "overloaded".
  const id = (await h.app.incidents.report('nist-800-61r3', { type: 'report', title: 'Suspicious login', reporter: { anonymous: false, name: 'responder' } }, { actor: 'responder' })).state.id;
  return { h, base, id };
}

/** From now on sign-in waits until `release()`: a request is then in flight, past arrival, before any handler. */
function holdSignIn(h: HttpHarness): () => void {
  const auth = h.server.firebreak.auth;
  const tokenPrincipal = auth.tokenPrincipal.bind(auth);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  auth.tokenPrincipal = async (...args) => {
    await gate;
    return tokenPrincipal(...args);
  };
  return () => {
    auth.tokenPrincipal = tokenPrincipal;
    open();
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting until ${what}`);
}

const bearer = (h: HttpHarness, who: 'responder' | 'admin' = 'responder') => ({ authorization: `Bearer ${h.tokens[who]}` });
const noteCount = async (h: HttpHarness, id: string) => (await h.app.incidents.timeline(id)).filter((e) => e.type === 'note_added').length;

async function expectShed(response: Response, reason: RegExp) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('3');
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await response.json()).toMatchObject({ status: 503, code: 'FB_ERR_HTTP_OVERLOADED', detail: expect.stringMatching(reason) });
}

describe('overload protection', () => {
  it('past the in-flight limit answers 503 with Retry-After and changes nothing; health, readiness and metrics still answer', async () => {
    const { h, base, id } = await harness({ maxInFlight: 2 });
    const notesBefore = await noteCount(h, id);
    const execute = vi.spyOn(h.app.incidents, 'execute');
    const release = holdSignIn(h);

    const held = [fetch(`${base}/api/v1/incidents/${id}`, { headers: bearer(h) }), fetch(`${base}/api/v1/incidents`, { headers: bearer(h) })];
    await until(() => h.server.overload.figures().inFlight === 2, 'two requests are in flight');

    const note = await fetch(`${base}/api/v1/incidents/${id}/notes`, { method: 'POST', headers: { ...bearer(h), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'shed me' }) });
    await expectShed(note, /2 requests are already in progress/);
    await expectShed(await fetch(`${base}/api/v1/incidents`, { headers: bearer(h) }), /in progress/);

    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('firebreak_http_requests_shed_total{reason="in_flight"} 2');
    expect(metrics).toContain('firebreak_http_requests_in_flight 2');

    release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    await until(() => h.server.overload.figures().inFlight === 0, 'the slots are free again');
    expect(execute).not.toHaveBeenCalled();
    expect(await noteCount(h, id)).toBe(notesBefore);
    // Room again: the same note is accepted now.
    expect((await fetch(`${base}/api/v1/incidents/${id}/notes`, { method: 'POST', headers: { ...bearer(h), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'now' }) })).status).toBe(200);
    expect(await noteCount(h, id)).toBe(notesBefore + 1);
  });

  it('refuses a request that waited too long to start, before its command, and releases its Idempotency-Key', async () => {
    const { h, base, id } = await harness({ maxWaitMs: 1000 });
    const notesBefore = await noteCount(h, id);
    const execute = vi.spyOn(h.app.incidents, 'execute');
    const release = holdSignIn(h);

    const note = fetch(`${base}/api/v1/incidents/${id}/notes`, { method: 'POST', headers: { ...bearer(h), 'content-type': 'application/json', 'idempotency-key': 'k-1' }, body: JSON.stringify({ text: 'too late' }) });
    await until(() => h.server.overload.figures().inFlight === 1, 'the note is in flight');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    release();
    await expectShed(await note, /waited more than 1000 ms to start and was not run/);

    expect(execute).not.toHaveBeenCalled();
    expect(await noteCount(h, id)).toBe(notesBefore);
    expect(await h.app.store.db.selectFrom('idempotency_keys').selectAll().execute()).toEqual([]);
    expect(h.server.overload.figures().shed.waited_too_long).toBe(1);
  });

  it('does not run a request whose client closed the connection while it waited', async () => {
    const { h, base, id } = await harness({ maxInFlight: 10 });
    const notesBefore = await noteCount(h, id);
    const execute = vi.spyOn(h.app.incidents, 'execute');
    const get = vi.spyOn(h.app.incidents, 'get');
    const release = holdSignIn(h);
    const { port } = new URL(base);

    const sendAndHangUp = async (request: string) => {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(request);
      await until(() => h.server.overload.figures().inFlight === 1, 'the request is in flight');
      socket.destroy();
      // The slot is freed when the server sees the connection close.
      await until(() => h.server.overload.figures().inFlight === 0, 'the server saw the client go');
    };
    const body = JSON.stringify({ text: 'nobody is listening' });
    await sendAndHangUp(`POST /api/v1/incidents/${id}/notes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.responder}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    await sendAndHangUp(`GET /api/v1/incidents/${id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${h.tokens.responder}\r\n\r\n`);
    release();

    // The GET (no body to read) reaches the last step before its handler, which drops it.
    await until(() => h.server.overload.figures().clientGone === 1, 'the GET was dropped');
    expect(get).not.toHaveBeenCalled();
    expect(execute).not.toHaveBeenCalled();
    expect(await noteCount(h, id)).toBe(notesBefore);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('firebreak_http_requests_client_gone_total 1');
  });

  it('sheds while the event loop is behind, but not health; recovers when it catches up', async () => {
    const { h, base } = await harness({ maxEventLoopDelayMs: 50, sampleIntervalMs: 50 });
    // Keep the event loop busy: 200 ms of synchronous work, again and again.
    const blocker = setInterval(() => {
      const end = performance.now() + 200;
      while (performance.now() < end);
    }, 1);
    try {
      let shed: Response | undefined;
      for (let i = 0; i < 50 && !shed; i++) {
        const response = await fetch(`${base}/api/v1/incidents`, { headers: bearer(h) });
        if (response.status === 503) shed = response;
        else await response.body?.cancel();
      }
      expect(shed, 'a request was shed while the event loop was behind').toBeDefined();
      await expectShed(shed!, /event loop is more than 50 ms behind/);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
    } finally {
      clearInterval(blocker);
    }
    await until(async () => (await fetch(`${base}/api/v1/incidents`, { headers: bearer(h) })).status === 200, 'requests are answered again');
    expect(h.server.overload.figures().shed.event_loop_delay).toBeGreaterThan(0);
  });
});

describe('overload settings', () => {
  it('reads the environment with sane defaults, 0 turning a limit off, and refuses nonsense', () => {
    expect(overloadSettingsFromEnv({})).toEqual({ maxInFlight: 64, maxEventLoopDelayMs: 1000, maxWaitMs: 10_000, retryAfterSeconds: 2 });
    expect(overloadSettingsFromEnv({ FIREBREAK_MAX_IN_FLIGHT: '0', FIREBREAK_MAX_EVENT_LOOP_DELAY_MS: '250', FIREBREAK_MAX_WAIT_MS: '', FIREBREAK_OVERLOAD_RETRY_AFTER: '5' })).toEqual({ maxInFlight: 0, maxEventLoopDelayMs: 250, maxWaitMs: 10_000, retryAfterSeconds: 5 });
    expect(() => overloadSettingsFromEnv({ FIREBREAK_MAX_IN_FLIGHT: 'lots' })).toThrow(/FIREBREAK_MAX_IN_FLIGHT/);
    expect(() => overloadSettingsFromEnv({ FIREBREAK_MAX_WAIT_MS: '-1' })).toThrow(/FIREBREAK_MAX_WAIT_MS/);
    expect(() => overloadSettingsFromEnv({ FIREBREAK_OVERLOAD_RETRY_AFTER: '0' })).toThrow(/FIREBREAK_OVERLOAD_RETRY_AFTER/);
  });

  it('never sheds health, readiness, metrics or the event streams', () => {
    for (const url of ['/api/health', '/api/ready', '/metrics', '/api/v1/stream', '/api/v1/incidents/:id/stream']) expect(isExempt(url), url).toBe(true);
    for (const url of ['/api/v1/incidents', '/api/v1/ingest/:source', '/report', undefined]) expect(isExempt(url), String(url)).toBe(false);
  });
});
