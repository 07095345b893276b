import { describe, expect, it } from 'vitest';
import { builtInPlan } from '../../../test/support/plans.js';
import { diffPlans } from './plan-diff.js';
import { upkeepReminders } from './upkeep.js';

const plan = builtInPlan('iso27001-library');

describe('plan diff', () => {
  it('is empty for the same plan, and names moved, removed and changed entries by id', () => {
    expect(diffPlans(plan, structuredClone(plan))).toEqual([]);
    const next = structuredClone(plan);
    next.roles.reverse();
    next.categories = next.categories.filter((c) => c.id !== 'supply-chain');
    next.phases[0]!.checklist[0] = { ...next.phases[0]!.checklist[0]!, required: false };
    expect(diffPlans(plan, next).map((c) => `${c.change} ${c.path}`)).toEqual([
      'removed categories[supply-chain]',
      'changed phases[detection].checklist[acknowledge-receipt].required',
      'order roles',
    ]);
  });
});

describe('plan upkeep', () => {
  it('001-style quarterly tabletop counts from the last one; a plan without cadences has no reminders', () => {
    const platform = builtInPlan('iec62443-platform');
    const [, tabletop] = upkeepReminders(platform, { tabletop: '2026-01-15T10:00:00.000Z' }, '2025-01-01T00:00:00.000Z', new Date('2026-05-01T00:00:00Z'));
    expect(tabletop).toMatchObject({ kind: 'tabletop', dueAt: '2026-04-15T10:00:00.000Z', state: 'overdue' });
    expect(upkeepReminders(builtInPlan('nist-team-procedures'), {}, '2026-01-01T00:00:00.000Z', new Date())).toEqual([]);
  });
});
