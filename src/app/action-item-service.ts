/**
 * Action items: add, update (status changes checked by the domain), list per incident,
 * list overdue across incidents for the dashboard. Items of drills are marked as such
 * so they can be told apart (and left out of real metrics).
 */
import { FirebreakError, fieldError } from '../domain/errors.js';
import { parseInput } from '../domain/parse-input.js';
import {
  type ActionItem,
  type ActionItemInput,
  ActionItemInputSchema,
  type ActionItemPatch,
  ActionItemPatchSchema,
  type ActionPriority,
  type ActionStatus,
  dateIn,
  isOverdue,
  statusChangeProblem,
} from '../domain/review/action-item.js';
import type { Selectable } from 'kysely';
import type { ActionItemsTable } from '../store/database.js';
import { nextCounter } from '../store/incident-store.js';
import type { Store } from '../store/store.js';
import type { IncidentService } from './incident-service.js';
import type { TimeSource } from './time-source.js';

type Row = Selectable<ActionItemsTable>;

function toItem(row: Row): ActionItem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    title: row.title,
    owner: row.owner,
    dueDate: row.due_date,
    priority: row.priority as ActionPriority,
    trackerUrl: row.tracker_url,
    status: row.status as ActionStatus,
    statusReason: row.status_reason,
    planId: row.plan_id,
    planVersion: row.plan_version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

export interface OverdueActionItem extends ActionItem {
  readonly incidentTitle: string;
  readonly drill: boolean;
}

export class ActionItemService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    private readonly time: TimeSource,
  ) {}

  async add(incidentId: string, input: ActionItemInput, actor: string): Promise<ActionItem> {
    const valid = parseInput(ActionItemInputSchema, input);
    const state = await this.incidents.get(incidentId);
    if (valid.planVersion && !valid.planId) throw fieldError('FB_ERR_INPUT_INVALID', 'planId', 'is required with planVersion');
    if (valid.planId) await this.incidents.planVersion(valid.planId, valid.planVersion);
    const now = this.time.now().toISOString();
    return this.store.transaction(async (trx) => {
      const n = await nextCounter(trx, 'action-item');
      const row: Row = {
        id: `ACT-${String(n).padStart(4, '0')}`,
        incident_id: state.id,
        title: valid.title,
        owner: valid.owner ?? null,
        due_date: valid.dueDate ?? null,
        priority: valid.priority,
        tracker_url: valid.trackerUrl ?? null,
        status: 'open',
        status_reason: null,
        plan_id: valid.planId ?? null,
        plan_version: valid.planVersion ?? null,
        created_at: now,
        created_by: actor,
        updated_at: now,
        completed_at: null,
      };
      await trx.insertInto('action_items').values(row).execute();
      return toItem(row);
    });
  }

  async get(id: string): Promise<ActionItem> {
    const row = await this.store.db.selectFrom('action_items').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_ACTION_NOT_FOUND', `no action item ${id}`, [{ path: 'id', message: `unknown action item "${id}"` }]);
    return toItem(row);
  }

  async update(id: string, patch: ActionItemPatch, _actor: string): Promise<ActionItem> {
    const valid = parseInput(ActionItemPatchSchema, patch);
    const item = await this.get(id);
    if (valid.status && valid.status !== item.status) {
      const problem = statusChangeProblem(item.status, valid.status, valid.reason);
      if (problem) throw fieldError('FB_ERR_INPUT_INVALID', problem.path, problem.message);
    }
    const now = this.time.now().toISOString();
    const status = valid.status ?? item.status;
    const set = {
      ...(valid.title !== undefined ? { title: valid.title } : {}),
      ...(valid.owner !== undefined ? { owner: valid.owner } : {}),
      ...(valid.dueDate !== undefined ? { due_date: valid.dueDate } : {}),
      ...(patch.priority !== undefined ? { priority: valid.priority } : {}),
      ...(valid.trackerUrl !== undefined ? { tracker_url: valid.trackerUrl } : {}),
      ...(valid.planId !== undefined ? { plan_id: valid.planId } : {}),
      ...(valid.planVersion !== undefined ? { plan_version: valid.planVersion } : {}),
      status,
      status_reason: valid.status && valid.status !== item.status ? (valid.reason ?? null) : item.statusReason,
      completed_at: status === 'done' ? (item.completedAt ?? now) : null,
      updated_at: now,
    };
    await this.store.transaction((trx) => trx.updateTable('action_items').set(set).where('id', '=', item.id).execute());
    return this.get(item.id);
  }

  async list(incidentId: string): Promise<ActionItem[]> {
    const rows = await this.store.db.selectFrom('action_items').selectAll().where('incident_id', '=', incidentId).orderBy('id').execute();
    return rows.map(toItem);
  }

  async listAll(): Promise<ActionItem[]> {
    const rows = await this.store.db.selectFrom('action_items').selectAll().orderBy('id').execute();
    return rows.map(toItem);
  }

  /** Open items past their due date (the plan's time zone decides what "today" is). */
  async overdue(at: Date = this.time.now()): Promise<OverdueActionItem[]> {
    const rows = await this.store.db
      .selectFrom('action_items')
      .innerJoin('incidents', 'incidents.id', 'action_items.incident_id')
      .selectAll('action_items')
      .select(['incidents.title as incident_title', 'incidents.drill as incident_drill', 'incidents.plan_id as incident_plan', 'incidents.plan_version as incident_plan_version'])
      .where('action_items.status', 'in', ['open', 'in_progress'])
      .where('action_items.due_date', 'is not', null)
      .orderBy('action_items.due_date')
      .execute();
    const out: OverdueActionItem[] = [];
    for (const row of rows) {
      const plan = await this.incidents.planVersion(row.incident_plan, row.incident_plan_version);
      const item = toItem(row);
      if (isOverdue(item, dateIn(at, plan.timeZone))) out.push({ ...item, incidentTitle: row.incident_title, drill: Number(row.incident_drill) === 1 });
    }
    return out;
  }
}
