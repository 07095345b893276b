/**
 * Escalation policies over HTTP: saved and read back whole; bad input (no targets, an
 * unreadable wait, an unknown user, an unknown key) answers 400 naming the field and
 * stores nothing; a schedule a policy pages cannot be deleted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness;
beforeEach(async () => {
  h = await createHttpHarness();
});
afterEach(async () => h.close());

const good = { name: 'Security on call', levels: [{ targets: [{ schedule: 'primary' }], wait: '10m' }, { targets: [{ role: 'ic' }, { user: 'admin' }], wait: '15m' }], repeat: 2 };

describe('escalation policies over HTTP', () => {
  it('saves a policy and reads it back', async () => {
    const put = await h.call('responder', 'PUT', '/api/v1/policies/security-oncall', good);
    expect(put.statusCode).toBe(200);
    const got = (await h.call('viewer', 'GET', '/api/v1/policies/security-oncall')).json();
    expect(got).toMatchObject({ id: 'security-oncall', name: good.name, repeat: 2, updatedBy: 'responder', levels: [{ targets: [{ schedule: 'primary', mode: 'on-call' }], wait: '10m' }, good.levels[1]] });
    expect((await h.call('viewer', 'GET', '/api/v1/policies')).json().policies).toHaveLength(1);
  });

  it('refuses bad input with 400 naming the field, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ ...good, levels: [{ targets: [], wait: '10m' }] }, 'levels.0.targets'],
      [{ ...good, levels: [{ targets: [{ user: 'admin' }], wait: 'whenever' }] }, 'levels.0.wait'],
      [{ ...good, levels: [{ targets: [{ user: 'nobody-here' }], wait: '10m' }] }, 'levels.0.targets.0.user'],
      [{ ...good, colour: 'red' }, ''],
    ];
    for (const [body, field] of cases) {
      const response = await h.call('admin', 'PUT', '/api/v1/policies/bad', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const problem = response.json() as { code: string; fields?: { path: string }[] };
      expect(problem.code).toBe('FB_ERR_INPUT_INVALID');
      if (field) expect(problem.fields?.map((f) => f.path)).toContain(field);
    }
    expect((await h.call('admin', 'GET', '/api/v1/policies')).json().policies).toEqual([]);
  });

  it('keeps a schedule a policy pages from being deleted', async () => {
    await h.app.schedules.create({ id: 'primary', name: 'Primary', timeZone: 'UTC', layers: [{ name: 'l', users: ['admin'], shift: { days: 1 }, start: '2026-03-01', handover: '09:00', timeZone: 'UTC' }] }, 'admin');
    expect((await h.call('admin', 'PUT', '/api/v1/policies/security-oncall', good)).statusCode).toBe(200);
    const refused = await h.call('admin', 'DELETE', '/api/v1/schedules/primary');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('FB_ERR_SCHEDULE_IN_USE');
    expect((await h.call('admin', 'DELETE', '/api/v1/policies/security-oncall')).statusCode).toBe(204);
    expect((await h.call('admin', 'DELETE', '/api/v1/schedules/primary')).statusCode).toBeLessThan(300);
  });
});
