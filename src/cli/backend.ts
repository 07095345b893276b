/**
 * What the CLI needs from Firebreak. Two implementations: `LocalBackend` opens the
 * database directly; a remote one (with `--server`) goes through the HTTP API. Commands
 * are written once against this interface.
 */
import type { CheckpointVerdict } from '../app/record/record-service.js';
import type { ScheduleBackend } from './schedule-backend.js';
import type { AdvisoryBackend } from './advisory-backend.js';
import type { MessageBackend } from './message-backend.js';
import type { FirebreakApp } from '../app/firebreak-app.js';
import type { IncidentVerdict } from '../app/incident-service.js';
import type { AddSourceInput, AddSourceResult, IngestSourceView, RoutingRuleInput } from '../app/intake-service.js';
import type { ThreadMessage } from '../app/public-report-service.js';
import type { RoutingRule } from '../domain/intake/routing.js';
import type { AlertFilter, AlertRow } from '../store/intake-store.js';
import type { IncidentView } from '../app/incident-view.js';
import type { Clock } from '../domain/clocks/clocks.js';
import type { IncidentCommand, ReportCommand } from '../domain/incident/commands.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { Plan } from '../domain/plan/plan-schema.js';

export interface CliCommandOptions {
  readonly actor: string;
  readonly occurredAt?: string;
}

export interface ListFilter {
  readonly status?: readonly string[];
  readonly severity?: readonly string[];
}

export interface CliBackend {
  listPlans(): Promise<Plan[]>;
  getPlan(id: string): Promise<Plan>;
  report(planId: string, command: ReportCommand, options: CliCommandOptions): Promise<IncidentView>;
  command(incidentId: string, command: IncidentCommand, options: CliCommandOptions): Promise<IncidentView>;
  /** Renders the plan's sitrep template for the incident as it is now. */
  draftSitrep(incidentId: string): Promise<string>;
  get(incidentId: string): Promise<IncidentView>;
  list(filter: ListFilter): Promise<IncidentView[]>;
  clocks(incidentId: string, at?: string): Promise<Clock[]>;
  timeline(incidentId: string): Promise<IncidentEventEnvelope[]>;
  verify(incidentId?: string): Promise<IncidentVerdict[]>;
  /** Evidence, reviews, action items, metrics, drills, plan upkeep and search (local only for now). */
  after?(): AfterServices;
  /** Signed checkpoints: the latest, the public keys, a check of the store against one. */
  record(): RecordBackend;
  /** Advisories and the VEX register over the API (`--server`); local mode opens the app itself. */
  advisories?(): AdvisoryBackend;
  /** Plan messages and an incident's deliveries over the API (`--server`). */
  messages?(): MessageBackend;
  schedules?(): ScheduleBackend;
  addIngestSource(input: AddSourceInput): Promise<AddSourceResult>;
  listIngestSources(): Promise<IngestSourceView[]>;
  addRoute(input: RoutingRuleInput): Promise<RoutingRule>;
  listRoutes(): Promise<RoutingRule[]>;
  removeRoute(id: number): Promise<void>;
  listAlerts(filter: AlertFilter): Promise<AlertRow[]>;
  /** Replies to the reporter of a public report, through their private link. */
  reporterReply(incidentId: string, text: string, actor: string): Promise<readonly ThreadMessage[]>;
  reporterThread(incidentId: string): Promise<readonly ThreadMessage[]>;
  close(): Promise<void>;
}

/** The after-incident services the CLI's `after-commands` use. */
export type AfterServices = Pick<FirebreakApp, 'incidents' | 'evidence' | 'actions' | 'reviews' | 'metrics' | 'drills' | 'upkeep' | 'search' | 'time'>;

/** `firebreak checkpoint …` and `firebreak verify --checkpoint`, locally or over the API. */
export interface RecordBackend {
  /** The latest checkpoint file text (one is made first when the store moved on). */
  latestCheckpoint(): Promise<string>;
  verifyCheckpoint(text: string): Promise<CheckpointVerdict>;
  /** Verifier key lines, oldest first. */
  verifierKeys(): Promise<string[]>;
  /** A new signing key (local only: the key lives in the data directory). */
  rotateKey?(): Promise<string>;
}
