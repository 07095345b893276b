/**
 * What `firebreak schedule …` needs, written once: the local backend here (the
 * application on the database) and the remote one in remote-backend.ts (the HTTP API,
 * for `--server`). Both answer with the read model of src/app/paging/schedule-view.ts.
 */
import type { FirebreakApp } from '../app/firebreak-app.js';
import { presentSchedule, type ScheduleChange, type ScheduleDetail, scheduleDetail, type ScheduleSummary } from '../app/paging/index.js';
import type { ScheduleOverride } from '../domain/paging/on-call-schedule.js';

export interface ScheduleBackend {
  list(): Promise<ScheduleSummary[]>;
  show(id: string, from: string | undefined, days: number): Promise<ScheduleDetail>;
  create(definition: unknown, actor: string): Promise<ScheduleSummary>;
  replace(id: string, definition: unknown, actor: string): Promise<ScheduleSummary>;
  addOverride(id: string, input: { user: string; start: string; end: string }, actor: string): Promise<ScheduleOverride>;
  removeOverride(id: string, overrideId: string, actor: string): Promise<void>;
  history(id: string): Promise<ScheduleChange[]>;
  /** A new private calendar-feed link for `actor`'s shifts. */
  feed(actor: string): Promise<string>;
  close(): Promise<void>;
}

export class LocalScheduleBackend implements ScheduleBackend {
  constructor(
    private readonly app: FirebreakApp,
    private readonly publicUrl: string,
  ) {}

  async list(): Promise<ScheduleSummary[]> {
    const now = this.app.time.now();
    return (await this.app.schedules.list()).map((r) => presentSchedule(r, now));
  }

  show(id: string, from: string | undefined, days: number): Promise<ScheduleDetail> {
    const now = this.app.time.now();
    return scheduleDetail(this.app.schedules, id, now, from ? new Date(from) : now, days);
  }

  async create(definition: unknown, actor: string): Promise<ScheduleSummary> {
    return presentSchedule(await this.app.schedules.create(definition, actor), this.app.time.now());
  }

  async replace(id: string, definition: unknown, actor: string): Promise<ScheduleSummary> {
    return presentSchedule(await this.app.schedules.replace(id, definition, actor), this.app.time.now());
  }

  addOverride(id: string, input: { user: string; start: string; end: string }, actor: string): Promise<ScheduleOverride> {
    return this.app.schedules.addOverride(id, input, actor);
  }

  removeOverride(id: string, overrideId: string, actor: string): Promise<void> {
    return this.app.schedules.removeOverride(id, overrideId, actor);
  }

  history(id: string): Promise<ScheduleChange[]> {
    return this.app.schedules.history(id);
  }

  async feed(actor: string): Promise<string> {
    return `${this.publicUrl.replace(/\/+$/, '')}/calendar/${await this.app.schedules.issueFeed(actor)}.ics`;
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
