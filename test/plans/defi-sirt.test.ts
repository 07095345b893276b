import { describe, expect, it } from 'vitest';
import { commanderRole, communicationsRole, requiredRoles } from '../../src/domain/plan/plan-rules.js';
import { expectWellFormed, item, loadPlan, phase, severity } from './plan-fixture.js';

const plan = loadPlan('defi-sirt');

describe('plan defi-sirt (seed 004)', () => {
  it('is well formed and its templates render', () => {
    expectWellFormed('defi-sirt', plan);
  });

  it('lists the five trigger events as categories and as examples', () => {
    expect(plan.categories.map((c) => c.id)).toEqual([
      'funds-exposed',
      'funds-access',
      'third-party',
      'confirmed-breach',
      'critical-infrastructure',
    ]);
    expect(plan.severities).toHaveLength(1);
    expect(severity(plan, 'critical').examples).toHaveLength(5);
  });

  it('runs the seven steps as phases', () => {
    expect(plan.phases.map((p) => p.id)).toEqual(['alert-sirt', 'war-room', 'evaluate', 'defend', 'communicate', 'fix', 'post-mortem']);
  });

  it('restricts incidents to the war room', () => {
    expect(plan.warRoom).toBe(true);
    expect(item(plan, 'invite-assigned').phase).toBe('war-room');
  });

  it('assigns Coordination, Tech Lead and Community Manager', () => {
    expect(commanderRole(plan).id).toBe('coordination');
    expect(communicationsRole(plan)?.id).toBe('community-manager');
    expect(requiredRoles(plan, 'critical').map((r) => r.id)).toEqual(['coordination', 'tech-lead', 'community-manager']);
  });

  it('pauses contracts and warns in the UI', () => {
    expect(phase(plan, 'defend').checklist.map((i) => i.id)).toEqual(['pause-contracts', 'ui-banner']);
    expect(item(plan, 'pause-contracts').required).toBe(true);
    expect(item(plan, 'ui-banner').required).toBe(true);
    expect(plan.templates.uiBanner).toBeDefined();
  });

  it('talks to the community on Discord, Telegram and Twitter', () => {
    const community = plan.audiences.find((a) => a.id === 'community');
    expect(community?.channels).toEqual(['discord', 'telegram', 'twitter']);
  });

  it('has patches tested and reviewed by auditors before disclosure', () => {
    expect(item(plan, 'auditor-review')).toMatchObject({ phase: 'fix', required: true, gates: ['advisory-publish'] });
    expect(item(plan, 'test-patches').gates).toEqual(['advisory-publish']);
  });

  it('ends by dismantling the war room', () => {
    const last = phase(plan, 'post-mortem').checklist.at(-1);
    expect(last).toMatchObject({ id: 'dismantle-war-room', role: 'coordination', required: true });
  });
});
