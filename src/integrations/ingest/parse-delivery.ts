/**
 * From an ingest request's raw body to the alerts it carries: decode the JSON (or a form
 * post's `payload` field), then run the source kind's parser.
 *
 * An alert storm is one body sent again and again: a monitor or script repeating the same
 * alert. For the kinds whose parser reads nothing but the body (generic JSON and
 * Alertmanager), the same bytes always give the same delivery, so the deliveries of small
 * bodies that repeat are remembered by their exact text and decoding and validating them
 * again is skipped. A remembered delivery is frozen all the way down, so no request can
 * change what the next one is given. Bodies that fail to parse are never remembered: each
 * one gets its own error.
 */
import type { ParsedDelivery } from '../../domain/intake/alert.js';
import { fieldError } from '../../domain/errors.js';
import { type IngestKind, PARSERS } from './index.js';

/** Largest body remembered (bytes): a storm's alert is small, and a large batch rarely repeats. */
const REMEMBERED_BODY_LIMIT = 8 * 1024;
/** Most bodies remembered per kind; the memo is emptied when it is full, so it stays small. */
const REMEMBERED_LIMIT = 64;
/** How many of the latest bodies are kept to notice a repeat. */
const RECENT_LIMIT = 8;

/**
 * The deliveries of repeated bodies of one kind. A body is remembered only once it has
 * come again among the last few: freezing a delivery and keeping it costs more than
 * parsing it once, so bodies that never repeat (each alert with its own timestamp) are
 * only parsed, as they would be without the memo.
 */
class RepeatedBodies {
  private readonly deliveries = new Map<string, ParsedDelivery>();
  private readonly recent: string[] = [];
  private nextRecent = 0;

  get(text: string): ParsedDelivery | undefined {
    return this.deliveries.get(text);
  }

  saw(text: string, delivery: ParsedDelivery): void {
    if (!this.recent.includes(text)) {
      this.recent[this.nextRecent] = text;
      this.nextRecent = (this.nextRecent + 1) % RECENT_LIMIT;
      return;
    }
    if (this.deliveries.size >= REMEMBERED_LIMIT) this.deliveries.clear();
    this.deliveries.set(text, deepFreeze(delivery));
  }
}

/** Kinds whose parser depends on the body alone (not on headers such as X-GitHub-Event, nor the query). */
const MEMOS: ReadonlyMap<IngestKind, RepeatedBodies> = new Map([
  ['generic', new RepeatedBodies()],
  ['alertmanager', new RepeatedBodies()],
]);

export interface DeliveryRequest {
  readonly kind: IngestKind;
  readonly raw: Buffer;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export function parseDelivery(request: DeliveryRequest): ParsedDelivery {
  const { kind, raw, headers, query } = request;
  const isForm = headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true;
  if (raw.length === 0) throw fieldError('FB_ERR_INGEST_MALFORMED', '(body)', 'is empty; send the alert JSON');
  const text = raw.toString('utf8');
  const memo = isForm || raw.length > REMEMBERED_BODY_LIMIT ? undefined : MEMOS.get(kind);
  const remembered = memo?.get(text);
  if (remembered !== undefined) return remembered;
  const delivery = PARSERS[kind]({ body: decodeJson(isForm ? formPayload(text) : text), headers, query });
  memo?.saw(text, delivery);
  return delivery;
}

/** GitHub webhooks may be configured as form posts with the JSON in `payload`. */
function formPayload(text: string): string {
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null) throw fieldError('FB_ERR_INGEST_MALFORMED', 'payload', 'a form post must carry the JSON in its "payload" field');
  return payload;
}

function decodeJson(text: string): unknown {
  try {
    // A UTF-8 byte-order mark is allowed before JSON text (RFC 8259 §8.1 lets a parser
    // ignore it); Windows tools write SARIF with one.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw fieldError('FB_ERR_INGEST_MALFORMED', '(body)', `is not valid JSON (${(error as Error).message})`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
