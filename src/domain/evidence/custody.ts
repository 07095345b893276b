/**
 * The chain of custody of one evidence item, read from its incident's log: who collected
 * it, every view, download, export and transfer, and who holds it after each step.
 * Pure: the log is the only input, so the report is as trustworthy as the hash chain.
 */
import type { EvidenceAddedData, IncidentEventEnvelope } from '../incident/events.js';

export type CustodyAction = 'collected' | 'viewed' | 'downloaded' | 'exported' | 'transferred';

export interface CustodyEntry {
  readonly seq: number;
  readonly at: string;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: CustodyAction;
  /** The custodian after this step. */
  readonly custodian: string;
  readonly detail: string;
  /** Hash of the log event that records this step. */
  readonly eventHash: string;
}

export interface CustodyReport {
  readonly evidenceId: string;
  readonly incidentId: string;
  readonly item: EvidenceAddedData;
  readonly collectedAt: string;
  readonly custodian: string;
  readonly entries: readonly CustodyEntry[];
}

const ACCESS_VERB = { view: 'viewed', download: 'downloaded', export: 'exported' } as const;

/** Builds the custody report of `evidenceId`; undefined when the log never added it. */
export function custodyReport(events: readonly IncidentEventEnvelope[], evidenceId: string): CustodyReport | undefined {
  let report: { item: EvidenceAddedData; collectedAt: string; incidentId: string } | undefined;
  let custodian = '';
  const entries: CustodyEntry[] = [];
  for (const event of events) {
    const base = { seq: event.seq, at: event.occurredAt, recordedAt: event.recordedAt, actor: event.actor, eventHash: event.hash };
    if (event.type === 'evidence_added' && event.data.evidenceId === evidenceId) {
      report = { item: event.data, collectedAt: event.occurredAt, incidentId: event.incidentId };
      custodian = event.data.collector;
      const recorder = event.actor === event.data.collector ? '' : `, recorded by ${event.actor}`;
      entries.push({ ...base, action: 'collected', custodian, detail: `collected by ${event.data.collector} from ${event.data.source}${recorder}; sha256 ${event.data.sha256}, ${event.data.size} bytes` });
    } else if (report && event.type === 'evidence_accessed' && event.data.evidenceId === evidenceId) {
      entries.push({ ...base, action: ACCESS_VERB[event.data.action], custodian, detail: event.data.purpose ?? '' });
    } else if (report && event.type === 'evidence_transferred' && event.data.evidenceId === evidenceId) {
      custodian = event.data.to;
      entries.push({ ...base, action: 'transferred', custodian, detail: `${event.data.from} → ${event.data.to}: ${event.data.reason}` });
    }
  }
  if (!report) return undefined;
  return { evidenceId, incidentId: report.incidentId, item: report.item, collectedAt: report.collectedAt, custodian, entries };
}
