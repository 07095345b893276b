/**
 * Wires the application together: a store, the plan catalogue and the use cases. The
 * CLI and the HTTP server each build one of these and talk only to it.
 */
import { AdvisoryService } from './advisory-service.js';
import { DeliveryService, type DeliveryOptions } from '../integrations/delivery/delivery-service.js';
import { IncidentService } from './incident-service.js';
import { IntakeService } from './intake-service.js';
import { PublicReportService } from './public-report-service.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import { BUILT_IN_PLANS_DIR, PlanCatalog } from './plan-catalog.js';
import { openStore, type Store } from '../store/store.js';
import { systemTime, type TimeSource } from './time-source.js';

export interface AppOptions {
  /** SQLite file path or `postgres://` URL. */
  readonly database: string;
  /** Extra plan directories loaded after the built-in ones. */
  readonly planDirs?: readonly string[];
  readonly time?: TimeSource;
  /** Outbound messages: SMTP settings, retry policy, jitter source. */
  readonly delivery?: DeliveryOptions;
  readonly scheduler?: SchedulerOptions;
}

export interface FirebreakApp {
  readonly store: Store;
  readonly plans: PlanCatalog;
  readonly incidents: IncidentService;
  readonly advisories: AdvisoryService;
  readonly intake: IntakeService;
  readonly reports: PublicReportService;
  readonly time: TimeSource;
  /** Keeps clock rows current after every commit; `start()` it to fire them (the server does). */
  readonly scheduler: Scheduler;
  readonly deliveries: DeliveryService;
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<FirebreakApp> {
  const time = options.time ?? systemTime;
  const store = await openStore(options.database);
  try {
    const plans = new PlanCatalog(store, time);
    await plans.load([BUILT_IN_PLANS_DIR, ...(options.planDirs ?? [])]);
    const incidents = new IncidentService(store, plans, time);
    const advisories = new AdvisoryService(store, plans, time);
    const intake = new IntakeService(store, incidents, plans, time);
    const reports = new PublicReportService(store, incidents, time);
    const deliveries = new DeliveryService(store, incidents, time, options.delivery);
    const scheduler = new Scheduler({ store, plans, incidents, deliveries, time }, options.scheduler);
    scheduler.attach();
    const close = async () => {
      await scheduler.close();
      deliveries.close();
      await store.close();
    };
    return { store, plans, incidents, advisories, intake, reports, time, scheduler, deliveries, close };
  } catch (error) {
    await store.close();
    throw error;
  }
}
