import { describe, expect, it } from 'vitest';
import { IncidentHarness } from '../../../test/support/incident-builders.js';
import { builtInPlan } from '../../../test/support/plans.js';
import { FirebreakError } from '../errors.js';

const plan = builtInPlan('nist-800-61r3');

function given() {
  return new IncidentHarness(plan);
}

function declared() {
  const incident = given();
  incident.run({ type: 'triage', decision: 'confirm', severity: 'high' });
  return incident;
}

function expectRefusal(run: () => unknown, code: string, message: RegExp) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FirebreakError);
    expect((error as FirebreakError).code).toBe(code);
    expect((error as FirebreakError).message).toMatch(message);
    return;
  }
  throw new Error('expected the command to be refused');
}

describe('report', () => {
  it('creates an event awaiting triage in the first phase', () => {
    const incident = given();
    expect(incident.state).toMatchObject({ kind: 'event', status: 'investigating', phase: 'detect', severity: null, version: 1 });
  });
});

describe('triage', () => {
  it('confirm → declared with severity and category', () => {
    const incident = given();
    expect(incident.run({ type: 'triage', decision: 'confirm', severity: 'HIGH', category: 'malware' })).toEqual([
      { type: 'declared', data: { severity: 'high', category: 'malware' } },
    ]);
    expect(incident.state).toMatchObject({ kind: 'incident', status: 'active', severity: 'high' });
  });

  it('dismiss → false alarm with its reason', () => {
    const incident = given();
    expect(incident.run({ type: 'triage', decision: 'dismiss', reason: 'maintenance window' })).toEqual([
      { type: 'dismissed', data: { reason: 'maintenance window' } },
    ]);
    expect(incident.state.status).toBe('dismissed');
  });

  it('refuses an unknown severity, naming the choices', () => {
    expectRefusal(() => given().run({ type: 'triage', decision: 'confirm', severity: 'P9' }), 'FB_ERR_INCIDENT_UNKNOWN_SEVERITY', /critical, high, medium, low/);
  });

  it('refuses a second triage', () => {
    expectRefusal(() => declared().run({ type: 'triage', decision: 'dismiss', reason: 'x' }), 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION', /already triaged/);
  });
});

describe('acknowledge', () => {
  it('records who acknowledged, once', () => {
    const incident = given();
    expect(incident.run({ type: 'acknowledge' }, 'bob')).toEqual([{ type: 'acknowledged', data: { by: 'bob' } }]);
    expectRefusal(() => incident.run({ type: 'acknowledge' }, 'carol'), 'FB_ERR_INCIDENT_NOTHING_TO_DO', /already acknowledged by bob/);
  });
});

describe('severity', () => {
  it('changes with a reason and keeps the history', () => {
    const incident = declared();
    incident.run({ type: 'change_severity', severity: 'critical', reason: 'data left the building' });
    expect(incident.state.severity).toBe('critical');
    expect(incident.state.severityHistory.map((h) => h.to)).toEqual(['high', 'critical']);
  });

  it('is refused on an event that was not triaged', () => {
    expectRefusal(() => given().run({ type: 'change_severity', severity: 'low', reason: 'r' }), 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION', /awaiting triage/);
  });
});

describe('roles and handoffs', () => {
  it('assigns a vacant role; a held role moves only by handoff', () => {
    const incident = declared();
    incident.run({ type: 'assign_role', role: 'ic', to: 'alice' });
    expectRefusal(() => incident.run({ type: 'assign_role', role: 'ic', to: 'bob' }), 'FB_ERR_INCIDENT_ROLE_HELD', /held by alice/);
  });

  it('moves the role only when the incoming holder confirms', () => {
    const incident = declared();
    incident.run({ type: 'assign_role', role: 'ic', to: 'alice' });
    incident.run({ type: 'initiate_handoff', role: 'ic', to: 'bob', briefing: 'contained on web-1; watch db' }, 'alice');
    expect(incident.state.roles['ic']).toMatchObject({ holder: 'alice', pendingHandoff: { to: 'bob' } });
    expectRefusal(() => incident.run({ type: 'confirm_handoff', role: 'ic' }, 'carol'), 'FB_ERR_INCIDENT_HANDOFF', /only bob/);
    incident.run({ type: 'confirm_handoff', role: 'ic' }, 'bob');
    expect(incident.state.roles['ic']).toEqual({ holder: 'bob', since: incident.state.updatedAt });
  });

  it('refuses a handoff started by someone who does not hold the role', () => {
    const incident = declared();
    incident.run({ type: 'assign_role', role: 'ic', to: 'alice' });
    expectRefusal(() => incident.run({ type: 'initiate_handoff', role: 'ic', to: 'bob', briefing: 'b' }, 'mallory'), 'FB_ERR_INCIDENT_HANDOFF', /only the current ic \(alice\)/);
  });

  it('refuses an empty briefing', () => {
    const incident = declared();
    incident.run({ type: 'assign_role', role: 'ic', to: 'alice' });
    expectRefusal(() => incident.run({ type: 'initiate_handoff', role: 'ic', to: 'bob', briefing: '  ' }, 'alice'), 'FB_ERR_INPUT_INVALID', /briefing/);
  });
});

describe('phases', () => {
  it('refuses to leave a phase while required items are open', () => {
    expectRefusal(() => declared().run({ type: 'enter_phase', phase: 'contain' }), 'FB_ERR_INCIDENT_REQUIRED_ITEMS_OPEN', /confirm-incident, scope/);
  });

  it('moves on once the required items are done', () => {
    const incident = declared();
    incident.run({ type: 'complete_item', item: 'confirm-incident' });
    incident.run({ type: 'complete_item', item: 'scope' });
    expect(incident.run({ type: 'enter_phase', phase: 'contain' })).toEqual([{ type: 'phase_entered', data: { phase: 'contain', from: 'detect' } }]);
  });

  it('records a forced move with its reason and the items skipped', () => {
    const incident = declared();
    const [event] = incident.run({ type: 'enter_phase', phase: 'contain', force: { reason: 'attacker active, contain now' } });
    expect(event).toEqual({
      type: 'phase_entered',
      data: { phase: 'contain', from: 'detect', forced: { reason: 'attacker active, contain now', openItems: ['confirm-incident', 'scope'] } },
    });
  });
});

describe('resolve, close, reopen', () => {
  it('follows active → resolved → closed → reopened', () => {
    const incident = declared();
    expectRefusal(() => incident.run({ type: 'close' }), 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION', /resolve it first/);
    incident.run({ type: 'resolve' });
    incident.run({ type: 'close' });
    expectRefusal(() => incident.run({ type: 'post_sitrep', text: 'late' }), 'FB_ERR_INCIDENT_ILLEGAL_TRANSITION', /reopen it first/);
    incident.run({ type: 'reopen', reason: 'attacker came back' });
    expect(incident.state).toMatchObject({ status: 'active', resolvedAt: null, closedAt: null, reopenCount: 1 });
  });

  it('allows lessons-learned items after closure', () => {
    const incident = declared();
    incident.run({ type: 'resolve' });
    incident.run({ type: 'close' });
    incident.run({ type: 'complete_item', item: 'review' });
    expect(incident.state.completedItems['review']).toBeDefined();
  });
});
