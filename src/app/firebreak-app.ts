/**
 * Wires the application together: a store, the plan catalogue and the use cases. The
 * CLI and the HTTP server each build one of these and talk only to it.
 */
import { AdvisoryService } from './advisory-service.js';
import { DeliveryService, type DeliveryOptions } from '../integrations/delivery/delivery-service.js';
import { dirname, join } from 'node:path';
import { type EvidenceStorage, evidenceMaxBytes } from '../integrations/evidence-storage/evidence-storage.js';
import { FsEvidenceStorage } from '../integrations/evidence-storage/fs-evidence-storage.js';
import { isPostgresUrl } from '../store/store.js';
import { ActionItemService } from './action-item-service.js';
import { EvidenceService, evidenceProjection } from './evidence-service.js';
import { DrillService } from './drill-service.js';
import { MetricsService } from './metrics-service.js';
import { PlanUpkeepService } from './plan-upkeep-service.js';
import { ReviewService, reviewProjection } from './review-service.js';
import { SearchService, searchProjection } from './search-service.js';
import { IncidentService } from './incident-service.js';
import { IntakeService } from './intake-service.js';
import { PublicReportService } from './public-report-service.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import { MessageService, sitrepDeliveryProjection } from './messages/index.js';
import { Pager } from './paging/pager.js';
import { PagingService } from './paging/paging-service.js';
import { BUILT_IN_PLANS_DIR, PlanCatalog } from './plan-catalog.js';
import { openStore, type Store } from '../store/store.js';
import { FileWitness } from '../integrations/record/file-witness.js';
import { CheckpointKeyring } from './record/checkpoint-key.js';
import { RecordService } from './record/record-service.js';
import { systemTime, type TimeSource } from './time-source.js';
import { ScheduleService } from './paging/index.js';

export interface AppOptions {
  /** SQLite file path or `postgres://` URL. */
  readonly database: string;
  /** Extra plan directories loaded after the built-in ones. */
  readonly planDirs?: readonly string[];
  readonly time?: TimeSource;
  /** Outbound messages: SMTP settings, retry policy, jitter source. */
  readonly delivery?: DeliveryOptions;
  readonly scheduler?: SchedulerOptions;
  /** Where files live (evidence); default: $FIREBREAK_DATA_DIR, else beside the SQLite file, else ./data. */
  readonly dataDir?: string;
  /** Evidence bytes; default: the file system under `<dataDir>/evidence`. */
  readonly evidenceStorage?: EvidenceStorage;
  /** Largest evidence upload; default $FIREBREAK_EVIDENCE_MAX_BYTES or 100 MB. */
  readonly evidenceMaxBytes?: number;
  /** Where checkpoints are appended besides the log; default $FIREBREAK_CHECKPOINT_WITNESS_FILE. */
  readonly checkpointWitnessFile?: string;
}

/** The data directory for files, derived from the options and the environment. */
export function dataDirectory(options: AppOptions): string {
  if (options.dataDir) return options.dataDir;
  if (process.env['FIREBREAK_DATA_DIR']) return process.env['FIREBREAK_DATA_DIR'];
  if (isPostgresUrl(options.database) || options.database === ':memory:') return './data';
  return dirname(options.database);
}

export interface FirebreakApp {
  readonly store: Store;
  readonly plans: PlanCatalog;
  readonly incidents: IncidentService;
  readonly evidence: EvidenceService;
  readonly actions: ActionItemService;
  readonly reviews: ReviewService;
  readonly metrics: MetricsService;
  readonly drills: DrillService;
  readonly upkeep: PlanUpkeepService;
  readonly search: SearchService;
  readonly advisories: AdvisoryService;
  readonly intake: IntakeService;
  readonly reports: PublicReportService;
  readonly time: TimeSource;
  /** Keeps clock rows current after every commit; `start()` it to fire them (the server does). */
  readonly scheduler: Scheduler;
  readonly deliveries: DeliveryService;
  /** Signed checkpoints over every chain, and verification against them. */
  readonly record: RecordService;
  /** Plan messages composed, reviewed and sent to audiences. */
  readonly messages: MessageService;
  /** On-call schedules; also the `OnCallLookup` escalation asks who is on call. */
  readonly schedules: ScheduleService;
  /** Escalation policies, acknowledge links, reachability; `paging.pager` pages each step. */
  readonly paging: PagingService;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<FirebreakApp> {
  const time = options.time ?? systemTime;
  const store = await openStore(options.database);
  try {
    const plans = new PlanCatalog(store, time);
    await plans.load([BUILT_IN_PLANS_DIR, ...(options.planDirs ?? [])]);
    const incidents = new IncidentService(store, plans, time);
    const storage = options.evidenceStorage ?? new FsEvidenceStorage(join(dataDirectory(options), 'evidence'));
    const evidence = new EvidenceService(store, incidents, storage, options.evidenceMaxBytes ?? evidenceMaxBytes());
    incidents.addProjection(evidenceProjection);
    incidents.addVerifier(evidence.verifier);
    const actions = new ActionItemService(store, incidents, time);
    const reviews = new ReviewService(store, incidents, actions, time);
    incidents.addProjection(reviewProjection);
    incidents.addProjection(searchProjection);
    const metrics = new MetricsService(store, incidents, actions, time);
    const drills = new DrillService(store, incidents, time);
    const upkeep = new PlanUpkeepService(store, plans, drills, time);
    const search = new SearchService(store);
    const advisories = new AdvisoryService(store, plans, incidents, time);
    const intake = new IntakeService(store, incidents, plans, time);
    const reports = new PublicReportService(store, incidents, time);
    const deliveries = new DeliveryService(store, incidents, time, options.delivery);
    incidents.addProjection(sitrepDeliveryProjection(plans, deliveries));
    const messages = new MessageService(store, incidents, deliveries, time);
    const schedules = new ScheduleService(store, time);
    const pager = new Pager(schedules);
    deliveries.setPreparer(pager.prepare);
    const paging = new PagingService(store, plans, incidents, pager, time);
    schedules.refuseDeletionWhen((trx, scheduleId) => paging.refuseIfPaged(trx, scheduleId));
    const scheduler = new Scheduler({ store, plans, incidents, deliveries, time, upkeep, pager }, options.scheduler);
    scheduler.attach();
    const record = new RecordService(store, incidents, await CheckpointKeyring.open(dataDirectory(options)), time);
    const witnessFile = options.checkpointWitnessFile ?? process.env['FIREBREAK_CHECKPOINT_WITNESS_FILE'];
    if (witnessFile) record.addWitness(new FileWitness(witnessFile));
    const close = async () => {
      await scheduler.close();
      deliveries.close();
      await store.close();
    };
    return { store, plans, incidents, advisories, intake, reports, time, scheduler, deliveries, messages, evidence, actions, reviews, metrics, drills, upkeep, search, schedules, paging, record, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}
