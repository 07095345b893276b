/** The CLI backend that opens the database itself (the default, without `--server`). */
import { createApp, type FirebreakApp } from '../app/firebreak-app.js';
import { presentIncident, type IncidentView } from '../app/incident-view.js';
import { loadIncidentTemplateContext } from '../app/messages/template-timeline.js';
import { renderPlanTemplate } from '../app/template-renderer.js';
import { deriveClocks } from '../domain/clocks/clocks.js';
import { fieldError } from '../domain/errors.js';
import type { IncidentState } from '../domain/incident/state.js';
import type { CliBackend } from './backend.js';

export class LocalBackend implements CliBackend {
  private constructor(private readonly app: FirebreakApp) {}

  static async open(database: string, planDirs: readonly string[] = []): Promise<LocalBackend> {
    return new LocalBackend(await createApp({ database, planDirs }));
  }

  private async view(state: IncidentState): Promise<IncidentView> {
    const plan = await this.app.incidents.planOf(state);
    return presentIncident(plan, state, deriveClocks(plan, state, this.app.time.now()), this.app.time.now());
  }

  async listPlans() {
    return this.app.plans.list();
  }

  async getPlan(id: string) {
    return this.app.plans.get(id);
  }

  async report(...args: Parameters<CliBackend['report']>) {
    const [planId, command, options] = args;
    return this.view((await this.app.incidents.report(planId, command, options)).state);
  }

  async command(...args: Parameters<CliBackend['command']>) {
    const [id, command, options] = args;
    return this.view((await this.app.incidents.execute(id, command, options)).state);
  }

  async draftSitrep(incidentId: string) {
    const state = await this.app.incidents.get(incidentId);
    const plan = await this.app.incidents.planOf(state);
    return renderPlanTemplate(plan, 'sitrep', await loadIncidentTemplateContext(this.app.incidents, plan, state, 'sitrep', this.app.time.now())).body;
  }

  record() {
    const record = this.app.record;
    return {
      latestCheckpoint: async () => (await record.checkpoint()).checkpoint.text,
      verifyCheckpoint: (text: string) => record.verifyCheckpoint(text),
      verifierKeys: async () => record.keyring.verifierKeyLines(),
      rotateKey: async () => {
        const key = await record.keyring.rotate();
        return record.keyring.verifierKeyLines().at(-1) ?? key.name;
      },
    };
  }

  async get(incidentId: string) {
    return this.view(await this.app.incidents.get(incidentId));
  }

  async list(filter: { status?: readonly string[]; severity?: readonly string[] }) {
    const states = await this.app.incidents.list(filter);
    return Promise.all(states.map((s) => this.view(s)));
  }

  async clocks(incidentId: string, at?: string) {
    let instant: Date | undefined;
    if (at !== undefined) {
      instant = new Date(at);
      if (Number.isNaN(instant.getTime())) throw fieldError('FB_ERR_INPUT_INVALID', 'at', `"${at}" is not an ISO 8601 date-time`);
    }
    return this.app.incidents.clocks(incidentId, instant);
  }

  async timeline(incidentId: string) {
    return this.app.incidents.timeline(incidentId);
  }

  async verify(incidentId?: string) {
    return this.app.incidents.verify(incidentId ? [incidentId] : undefined);
  }

  after() {
    return this.app;
  }

  async addIngestSource(...args: Parameters<CliBackend['addIngestSource']>) {
    return this.app.intake.addSource(...args);
  }

  async listIngestSources() {
    return this.app.intake.listSources();
  }

  async addRoute(...args: Parameters<CliBackend['addRoute']>) {
    return this.app.intake.addRoute(...args);
  }

  async listRoutes() {
    return this.app.intake.listRoutes();
  }

  async removeRoute(id: number) {
    return this.app.intake.removeRoute(id);
  }

  async listAlerts(...args: Parameters<CliBackend['listAlerts']>) {
    return this.app.intake.listAlerts(...args);
  }

  async reporterReply(incidentId: string, text: string, actor: string) {
    await this.app.reports.teamReply(incidentId, { text }, actor);
    return (await this.app.reports.thread(incidentId)).messages;
  }

  async reporterThread(incidentId: string) {
    return (await this.app.reports.thread(incidentId)).messages;
  }

  async close() {
    await this.app.close();
  }
}
