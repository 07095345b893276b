/**
 * Plan upkeep: record that a plan was reviewed, exercised or its contacts verified;
 * remind when the next one is due (a drill of the plan counts as a tabletop); and show
 * what changed between two stored versions of a plan.
 */
import { FirebreakError, fieldError } from '../domain/errors.js';
import { diffPlans, type PlanChange } from '../domain/plan/plan-diff.js';
import { UPKEEP_KINDS, type UpkeepKind, type UpkeepReminder, upkeepReminders } from '../domain/plan/upkeep.js';
import { listStoredPlans } from '../store/plan-store.js';
import { desiredPlanSchedule, planScope } from './scheduler/plan-clocks.js';
import { syncSchedule } from './scheduler/schedule-store.js';
import type { Store } from '../store/store.js';
import type { DrillService } from './drill-service.js';
import type { PlanCatalog } from './plan-catalog.js';
import type { TimeSource } from './time-source.js';

export interface PlanActivity {
  readonly planId: string;
  readonly kind: UpkeepKind;
  readonly doneAt: string;
  readonly doneBy: string;
  readonly note: string | null;
}

export class PlanUpkeepService {
  constructor(
    private readonly store: Store,
    private readonly plans: PlanCatalog,
    private readonly drills: DrillService,
    private readonly time: TimeSource,
  ) {}

  async record(planId: string, kind: string, actor: string, note?: string, doneAt?: string): Promise<PlanActivity> {
    const plan = await this.plans.get(planId);
    if (!(UPKEEP_KINDS as readonly string[]).includes(kind)) throw fieldError('FB_ERR_INPUT_INVALID', 'kind', `must be one of ${UPKEEP_KINDS.join(', ')}`);
    const at = doneAt ?? this.time.now().toISOString();
    if (Number.isNaN(new Date(at).getTime())) throw fieldError('FB_ERR_INPUT_INVALID', 'at', `"${doneAt}" is not an ISO 8601 date-time`);
    const activity = { planId: plan.id, kind: kind as UpkeepKind, doneAt: new Date(at).toISOString(), doneBy: actor, note: note?.trim() || null };
    await this.store.transaction((trx) =>
      trx.insertInto('plan_activities').values({ plan_id: activity.planId, kind: activity.kind, done_at: activity.doneAt, done_by: actor, note: activity.note }).execute(),
    );
    await this.syncSchedule(plan.id);
    return activity;
  }

  /**
   * Brings the plan-cadence clock rows (scope `plan:<id>`) in line with the reminders:
   * doing an activity cancels its pending row and schedules the next cycle. Run at the
   * scheduler's start-up and after each recorded activity. Returns the earliest due time.
   */
  async syncSchedule(planId?: string): Promise<string | undefined> {
    const reminders = await this.reminders(planId);
    const plans = planId ? [await this.plans.get(planId)] : this.plans.list();
    const now = this.time.now();
    let earliest: string | undefined;
    for (const plan of plans) {
      const outcome = await this.store.transaction((trx) => syncSchedule(trx, planScope(plan.id), desiredPlanSchedule(plan, reminders), now));
      if (outcome.earliestDue && (!earliest || outcome.earliestDue < earliest)) earliest = outcome.earliestDue;
    }
    return earliest;
  }

  async reminders(planId?: string): Promise<UpkeepReminder[]> {
    const plans = planId ? [await this.plans.get(planId)] : this.plans.list();
    const stored = await listStoredPlans(this.store.db);
    const out: UpkeepReminder[] = [];
    for (const plan of plans) {
      const rows = await this.store.db.selectFrom('plan_activities').select(['kind', 'done_at']).where('plan_id', '=', plan.id).where('kind', 'in', [...UPKEEP_KINDS]).orderBy('done_at', 'desc').execute();
      const last: Partial<Record<UpkeepKind, string>> = {};
      for (const row of rows) last[row.kind as UpkeepKind] ??= row.done_at;
      const drill = await this.drills.lastDrillOf(plan.id);
      if (drill && (!last.tabletop || drill > last.tabletop)) last.tabletop = drill;
      const since = stored.filter((s) => s.plan.id === plan.id).map((s) => s.loadedAt).sort()[0] ?? this.time.now().toISOString();
      out.push(...upkeepReminders(plan, last, since, this.time.now()));
    }
    return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  async versions(planId: string): Promise<{ version: string; loadedAt: string; contentHash: string }[]> {
    const stored = (await listStoredPlans(this.store.db)).filter((s) => s.plan.id === planId);
    if (!stored.length) throw new FirebreakError('FB_ERR_PLAN_NOT_FOUND', `no plan "${planId}"`, [{ path: 'plan', message: `unknown plan "${planId}"` }]);
    return stored.map((s) => ({ version: s.plan.version, loadedAt: s.loadedAt, contentHash: s.contentHash }));
  }

  async diff(planId: string, from: string, to: string): Promise<PlanChange[]> {
    const a = await this.plans.get(planId, from);
    const b = await this.plans.get(planId, to);
    return diffPlans(a, b);
  }
}
