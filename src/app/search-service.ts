/**
 * Full-text search over incidents (title and summary), notes, sitreps, other timeline
 * entries and evidence descriptions. The index is a projection written in the same
 * transaction as the events (SQLite FTS5; on PostgreSQL a generated tsvector with a GIN
 * index). Searching honours access rules: the caller passes the incidents it may see
 * (a set of ids, or a predicate), and nothing else is returned.
 */
import { type Transaction, sql } from 'kysely';
import { fieldError } from '../domain/errors.js';
import { describeEvent } from '../domain/incident/describe.js';
import type { IncidentEventEnvelope } from '../domain/incident/events.js';
import type { IncidentState } from '../domain/incident/state.js';
import type { Database } from '../store/database.js';
import { toEnvelope } from '../store/incident-store.js';
import type { Store } from '../store/store.js';
import type { TransactionalProjection } from './incident-service.js';

export type SearchKind = 'incident' | 'note' | 'sitrep' | 'timeline' | 'evidence';

export interface SearchHit {
  readonly incidentId: string;
  readonly incidentTitle: string;
  readonly drill: boolean;
  readonly kind: SearchKind;
  /** The incident id, the event's seq, or the evidence id. */
  readonly ref: string;
  readonly occurredAt: string;
  /** The matching passage, matches wrapped in [ and ]. */
  readonly snippet: string;
}

export interface SearchOptions {
  /** The incidents the caller may see: a set of ids or a predicate. Omit only for full access. */
  readonly visible?: ReadonlySet<string> | ((incidentId: string) => boolean);
  readonly limit?: number;
  readonly includeDrills?: boolean;
}

/** The text each event contributes to the index, or null when it adds nothing searchable. */
export function searchEntry(event: IncidentEventEnvelope): { kind: SearchKind; ref: string; body: string } | null {
  switch (event.type) {
    case 'reported':
      return { kind: 'incident', ref: event.incidentId, body: [event.data.title, event.data.summary].filter(Boolean).join('\n') };
    case 'note_added':
      return { kind: 'note', ref: String(event.seq), body: event.data.text };
    case 'sitrep_posted':
      return { kind: 'sitrep', ref: String(event.seq), body: event.data.text };
    case 'evidence_added':
      return { kind: 'evidence', ref: event.data.evidenceId, body: [event.data.description, event.data.source, event.data.filename].filter(Boolean).join('\n') };
    case 'evidence_accessed':
    case 'review_completed':
      return null;
    default: {
      const data = event.data as { note?: string; briefing?: string; summary?: string };
      return { kind: 'timeline', ref: String(event.seq), body: [describeEvent(event), data.note, data.briefing, data.summary].filter(Boolean).join('\n') };
    }
  }
}

export const searchProjection: TransactionalProjection = {
  name: 'search-index',
  async project(trx: Transaction<Database>, _state: IncidentState, events: readonly IncidentEventEnvelope[]) {
    const rows = events.flatMap((event) => {
      const entry = searchEntry(event);
      return entry ? [{ incident_id: event.incidentId, kind: entry.kind, ref: entry.ref, occurred_at: event.occurredAt, body: entry.body }] : [];
    });
    if (rows.length) await trx.insertInto('search_index').values(rows).execute();
  },
};

/** Rebuilds the whole index from the log in `trx` (after a restore or a copy between stores). */
export async function rebuildSearchIndex(trx: Transaction<Database>, batchSize = 5000): Promise<number> {
  await trx.deleteFrom('search_index').execute();
  let after = 0;
  let written = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('events')
      .select(['position', 'incident_id', 'seq', 'type', 'data', 'occurred_at', 'recorded_at', 'actor', 'prev_hash', 'hash'])
      .where('position', '>', after)
      .orderBy('position')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return written;
    after = Number(rows.at(-1)!.position);
    const entries = rows.flatMap((row) => {
      const entry = searchEntry(toEnvelope(row));
      return entry ? [{ incident_id: row.incident_id, kind: entry.kind, ref: entry.ref, occurred_at: row.occurred_at, body: entry.body }] : [];
    });
    for (let i = 0; i < entries.length; i += 500) await trx.insertInto('search_index').values(entries.slice(i, i + 500)).execute();
    written += entries.length;
  }
}

/** Words of the query (letters, digits, underscore); anything else is dropped, so no query syntax leaks through. */
export function queryTerms(text: string): string[] {
  return (text.normalize('NFKC').match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 20).map((t) => t.toLowerCase());
}

interface RawHit {
  incident_id: string;
  kind: string;
  ref: string;
  occurred_at: string;
  snippet: string;
  title: string;
  drill: number | boolean;
}

export class SearchService {
  constructor(private readonly store: Store) {}

  async search(text: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const terms = queryTerms(text);
    if (!terms.length) throw fieldError('FB_ERR_INPUT_INVALID', 'text', 'give at least one word to search for');
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw fieldError('FB_ERR_INPUT_INVALID', 'limit', 'must be between 1 and 500');
    const ids = options.visible instanceof Set ? [...options.visible] : null;
    if (ids && ids.length === 0) return [];
    const predicate = typeof options.visible === 'function' ? options.visible : null;
    // With a predicate the filter runs here, so fetch more than asked and cut afterwards.
    const fetch = predicate ? Math.min(limit * 10, 5000) : limit;
    const idFilter = ids ? sql`AND search_index.incident_id IN (${sql.join(ids)})` : sql``;
    const drillFilter = options.includeDrills === false ? sql`AND incidents.drill = 0` : sql``;
    let rows: RawHit[];
    if (this.store.dialect === 'sqlite') {
      const match = terms.map((t) => `"${t}"*`).join(' ');
      rows = (
        await sql<RawHit>`SELECT search_index.incident_id, search_index.kind, search_index.ref, search_index.occurred_at,
            snippet(search_index, 4, '[', ']', '…', 16) AS snippet, incidents.title, incidents.drill
          FROM search_index JOIN incidents ON incidents.id = search_index.incident_id
          WHERE search_index MATCH ${match} ${idFilter} ${drillFilter}
          ORDER BY bm25(search_index), search_index.occurred_at DESC LIMIT ${fetch}`.execute(this.store.db)
      ).rows;
    } else {
      const query = terms.map((t) => `${t}:*`).join(' & ');
      rows = (
        await sql<RawHit>`SELECT search_index.incident_id, search_index.kind, search_index.ref, search_index.occurred_at,
            ts_headline('simple', search_index.body, q, 'StartSel=[, StopSel=], MaxWords=16, MinWords=4') AS snippet, incidents.title, incidents.drill
          FROM search_index JOIN incidents ON incidents.id = search_index.incident_id, to_tsquery('simple', ${query}) q
          WHERE search_index.body_tsv @@ q ${idFilter} ${drillFilter}
          ORDER BY ts_rank(search_index.body_tsv, q) DESC, search_index.occurred_at DESC LIMIT ${fetch}`.execute(this.store.db)
      ).rows;
    }
    return rows
      .filter((r) => !predicate || predicate(r.incident_id))
      .slice(0, limit)
      .map((r) => ({
        incidentId: r.incident_id,
        incidentTitle: r.title,
        drill: Number(r.drill) === 1,
        kind: r.kind as SearchKind,
        ref: r.ref,
        occurredAt: r.occurred_at,
        snippet: r.snippet,
      }));
  }
}
