/**
 * Evidence use cases: add a file (streamed into storage, size-limited) or a text/link
 * item, list, view, download, export, transfer custody, report the chain of custody and
 * re-hash stored bytes for `verify`. Every access and transfer is an event on the
 * incident's log, appended before any bytes are handed out. The `evidence_items` table is
 * a projection of those events, written in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Selectable, Transaction } from 'kysely';
import { type CustodyReport, custodyReport } from '../domain/evidence/custody.js';
import { type EvidenceMeta, EvidenceMetaSchema, type TextEvidence, TextEvidenceSchema } from '../domain/evidence/evidence-input.js';
import { FirebreakError } from '../domain/errors.js';
import type { EvidenceAccessAction, EvidenceKind, IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentState } from '../domain/incident/state.js';
import { parseInput } from '../domain/parse-input.js';
import type { EvidenceStorage } from '../integrations/evidence-storage/evidence-storage.js';
import type { Database, EvidenceItemsTable } from '../store/database.js';
import type { Store } from '../store/store.js';
import type { CommandOptions, IncidentService, TransactionalProjection } from './incident-service.js';

export interface EvidenceItem {
  readonly id: string;
  readonly incidentId: string;
  readonly kind: EvidenceKind;
  readonly sha256: string;
  readonly size: number;
  readonly description: string;
  readonly source: string;
  readonly collector: string;
  readonly collectedAt: string;
  readonly recordedBy: string;
  readonly filename: string | null;
  readonly mediaType: string | null;
  readonly custodian: string;
}

export interface AccessOptions extends CommandOptions {
  /** Why the item is being accessed, for the custody report. */
  readonly purpose?: string;
}

function toItem(row: Selectable<EvidenceItemsTable>): EvidenceItem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind as EvidenceKind,
    sha256: row.sha256,
    size: Number(row.size),
    description: row.description,
    source: row.source,
    collector: row.collector,
    collectedAt: row.collected_at,
    recordedBy: row.recorded_by,
    filename: row.filename,
    mediaType: row.media_type,
    custodian: row.custodian,
  };
}

/** Keeps `evidence_items` in step with the `evidence_*` events. */
export const evidenceProjection: TransactionalProjection = {
  name: 'evidence-items',
  async project(trx: Transaction<Database>, _state: IncidentState, events: readonly IncidentEventEnvelope[]) {
    for (const event of events) {
      if (event.type === 'evidence_added') {
        const d = event.data;
        await trx
          .insertInto('evidence_items')
          .values({
            id: d.evidenceId,
            incident_id: event.incidentId,
            kind: d.kind,
            sha256: d.sha256,
            size: d.size,
            description: d.description,
            source: d.source,
            collector: d.collector,
            collected_at: event.occurredAt,
            recorded_by: event.actor,
            filename: d.filename ?? null,
            media_type: d.mediaType ?? null,
            custodian: d.collector,
          })
          .execute();
      } else if (event.type === 'evidence_transferred') {
        await trx.updateTable('evidence_items').set({ custodian: event.data.to }).where('id', '=', event.data.evidenceId).execute();
      }
    }
  },
};

export function newEvidenceId(): string {
  return `EV-${randomBytes(5).toString('hex').toUpperCase()}`;
}

export class EvidenceService {
  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    readonly storage: EvidenceStorage,
    private readonly maxBytes: number,
  ) {}

  /** Streams a file into storage, then records it on the incident's log. */
  async addFile(incidentId: string, stream: Readable, meta: EvidenceMeta, options: CommandOptions): Promise<EvidenceItem> {
    const valid = parseInput(EvidenceMetaSchema, meta);
    await this.incidents.get(incidentId);
    const blob = await this.storage.put(stream, { maxBytes: this.maxBytes });
    return this.record(incidentId, 'file', blob, valid, options);
  }

  /** Records a log excerpt or a link; its bytes are the UTF-8 text. */
  async addText(incidentId: string, input: TextEvidence, meta: EvidenceMeta, options: CommandOptions): Promise<EvidenceItem> {
    const text = parseInput(TextEvidenceSchema, input);
    const valid = parseInput(EvidenceMetaSchema, meta);
    await this.incidents.get(incidentId);
    const blob = await this.storage.put(Readable.from([Buffer.from(text.text, 'utf8')]), { maxBytes: this.maxBytes });
    return this.record(incidentId, text.kind, blob, { ...valid, mediaType: valid.mediaType ?? (text.kind === 'link' ? 'text/uri-list' : 'text/plain; charset=utf-8') }, options);
  }

  private async record(incidentId: string, kind: EvidenceKind, blob: { sha256: string; size: number }, meta: EvidenceMeta, options: CommandOptions): Promise<EvidenceItem> {
    const evidenceId = newEvidenceId();
    await this.incidents.execute(
      incidentId,
      {
        type: 'add_evidence',
        evidenceId,
        kind,
        sha256: blob.sha256,
        size: blob.size,
        description: meta.description,
        source: meta.source,
        ...(meta.collector ? { collector: meta.collector } : {}),
        ...(meta.filename ? { filename: meta.filename } : {}),
        ...(meta.mediaType ? { mediaType: meta.mediaType } : {}),
      },
      options,
    );
    return this.get(evidenceId);
  }

  /** Metadata only (no bytes), so listing is not an access. */
  async list(incidentId: string): Promise<EvidenceItem[]> {
    await this.incidents.get(incidentId);
    const rows = await this.store.db.selectFrom('evidence_items').selectAll().where('incident_id', '=', incidentId).orderBy('collected_at').orderBy('id').execute();
    return rows.map(toItem);
  }

  /** Metadata of one item (no bytes, no custody event). */
  async get(evidenceId: string): Promise<EvidenceItem> {
    const row = await this.store.db.selectFrom('evidence_items').selectAll().where('id', '=', evidenceId).executeTakeFirst();
    if (!row) throw new FirebreakError('FB_ERR_EVIDENCE_NOT_FOUND', `no evidence ${evidenceId}`, [{ path: 'evidenceId', message: `unknown evidence "${evidenceId}"` }]);
    return toItem(row);
  }

  private async access(evidenceId: string, action: EvidenceAccessAction, options: AccessOptions): Promise<EvidenceItem> {
    const item = await this.get(evidenceId);
    if (!(await this.storage.exists(item.sha256))) {
      throw new FirebreakError('FB_ERR_EVIDENCE_MISSING_BYTES', `the stored bytes of evidence ${evidenceId} are missing; run verify`);
    }
    await this.incidents.execute(item.incidentId, { type: 'access_evidence', evidenceId, action, ...(options.purpose ? { purpose: options.purpose } : {}) }, options);
    return item;
  }

  /** Shows the item (text and links inline); recorded as a view. */
  async view(evidenceId: string, options: AccessOptions): Promise<{ item: EvidenceItem; text: string | null }> {
    const item = await this.access(evidenceId, 'view', options);
    if (item.kind === 'file') return { item, text: null };
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storage.get(item.sha256)) chunks.push(chunk as Buffer);
    return { item, text: Buffer.concat(chunks).toString('utf8') };
  }

  /** The bytes, for saving a copy; recorded as a download before any byte leaves. */
  async download(evidenceId: string, options: AccessOptions): Promise<{ item: EvidenceItem; stream: Readable }> {
    const item = await this.access(evidenceId, 'download', options);
    return { item, stream: await this.storage.get(item.sha256) };
  }

  /** The bytes, for handing outside the team (e.g. to counsel or law enforcement); recorded as an export. */
  async export(evidenceId: string, options: AccessOptions): Promise<{ item: EvidenceItem; stream: Readable }> {
    const item = await this.access(evidenceId, 'export', options);
    return { item, stream: await this.storage.get(item.sha256) };
  }

  /** Moves custody from the current custodian to `to`, with the reason on record. */
  async transfer(evidenceId: string, to: string, reason: string, options: CommandOptions): Promise<EvidenceItem> {
    const item = await this.get(evidenceId);
    await this.incidents.execute(item.incidentId, { type: 'transfer_evidence', evidenceId, to, reason }, options);
    return this.get(evidenceId);
  }

  async custody(evidenceId: string): Promise<CustodyReport> {
    const item = await this.get(evidenceId);
    const report = custodyReport(await this.incidents.timeline(item.incidentId), evidenceId);
    if (!report) throw new FirebreakError('FB_ERR_EVIDENCE_NOT_FOUND', `evidence ${evidenceId} is not on the log of ${item.incidentId}`);
    return report;
  }

  /** For `verify`: re-hashes the stored bytes of every item on the incident's log. */
  readonly verifier = async (_state: IncidentState, events: readonly IncidentEventEnvelope[]): Promise<string[]> => {
    const problems: string[] = [];
    for (const event of events) {
      if (event.type !== 'evidence_added') continue;
      const { evidenceId, sha256, size, description } = event.data;
      const found = await this.storage.rehash(sha256);
      const name = `evidence ${evidenceId} ("${description}")`;
      if (!found) problems.push(`${name}: stored bytes are missing (expected sha256 ${sha256})`);
      else if (found.sha256 !== sha256 || found.size !== size) {
        problems.push(`${name}: stored bytes changed: sha256 is now ${found.sha256} (${found.size} bytes), recorded ${sha256} (${size} bytes)`);
      }
    }
    return problems;
  };
}
