/**
 * What `firebreak advisory …` and `firebreak vex …` need, written once: the local backend
 * here (the application on the database) and the remote one in remote-backend.ts (the
 * HTTP API, for `--server`). Both answer with the read model of src/app/advisory-view.ts,
 * so the commands print the same either way.
 */
import type { ExportFormat, ExportOptions } from '../app/advisory-service.js';
import { type AdvisorySummary, type AdvisoryVerdict, type AdvisoryView, presentAdvisorySummary, presentAdvisoryVerdict } from '../app/advisory-view.js';
import type { FirebreakApp } from '../app/firebreak-app.js';
import type { AdvisoryCommand } from '../domain/advisory/commands.js';
import type { VexStatement } from '../domain/vex/vex-statement.js';

export type { AdvisoryVerdict };

export interface AdvisoryBackend {
  draft(incidentId: string, content: unknown, actor: string): Promise<AdvisoryView>;
  get(advisoryId: string): Promise<AdvisoryView>;
  list(filter: { incidentId?: string }): Promise<AdvisorySummary[]>;
  execute(advisoryId: string, command: AdvisoryCommand, actor: string): Promise<AdvisoryView>;
  export(advisoryId: string, format: ExportFormat, options: ExportOptions): Promise<string>;
  verify(advisoryId: string): Promise<AdvisoryVerdict>;
  recordVex(input: Record<string, unknown>, actor: string): Promise<VexStatement>;
  vex(filter: { vulnerability?: string; history?: boolean }): Promise<VexStatement[]>;
  exportVex(format: 'csaf' | 'openvex'): Promise<string>;
  close(): Promise<void>;
}

/** The application on a local database; `actor` is whoever `--by`/`--as` names. */
export class LocalAdvisoryBackend implements AdvisoryBackend {
  constructor(private readonly app: FirebreakApp) {}

  async draft(incidentId: string, content: unknown, actor: string): Promise<AdvisoryView> {
    return this.app.advisories.view((await this.app.advisories.draft(incidentId.trim().toUpperCase(), content, { actor })).state);
  }

  async get(advisoryId: string): Promise<AdvisoryView> {
    return this.app.advisories.view(await this.app.advisories.get(advisoryId));
  }

  async list(filter: { incidentId?: string }): Promise<AdvisorySummary[]> {
    const now = this.app.time.now();
    return (await this.app.advisories.list(filter.incidentId ? { incidentId: filter.incidentId.toUpperCase() } : {})).map((s) => presentAdvisorySummary(s, now));
  }

  async execute(advisoryId: string, command: AdvisoryCommand, actor: string): Promise<AdvisoryView> {
    return this.app.advisories.view((await this.app.advisories.execute(advisoryId, command, { actor })).state);
  }

  export(advisoryId: string, format: ExportFormat, options: ExportOptions): Promise<string> {
    return this.app.advisories.export(advisoryId, format, options);
  }

  async verify(advisoryId: string): Promise<AdvisoryVerdict> {
    return presentAdvisoryVerdict(advisoryId, await this.app.advisories.verify(advisoryId));
  }

  recordVex(input: Record<string, unknown>, actor: string): Promise<VexStatement> {
    return this.app.advisories.recordVex(input, { actor });
  }

  vex(filter: { vulnerability?: string; history?: boolean }): Promise<VexStatement[]> {
    const only = filter.vulnerability ? { vulnerability: filter.vulnerability } : {};
    return filter.history ? this.app.advisories.vexHistory(only) : this.app.advisories.vexRegister(only);
  }

  exportVex(format: 'csaf' | 'openvex'): Promise<string> {
    return this.app.advisories.exportVex(format);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
