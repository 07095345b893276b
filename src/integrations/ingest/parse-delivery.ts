/**
 * From an ingest request's raw body to the alerts it carries: decode the JSON (or a form
 * post's `payload` field), then run the source kind's parser.
 *
 * An alert storm is one body sent again and again: a monitor or script repeating the same
 * alert. For the kinds whose parser reads nothing but the body (generic JSON and
 * Alertmanager), the same bytes always give the same delivery, so the deliveries of the
 * last few small bodies are remembered by their exact text and decoding and validating
 * them again is skipped. A remembered delivery is frozen all the way down, so no request
 * can change what the next one is given. Bodies that fail to parse are never remembered:
 * each one gets its own error.
 */
import type { ParsedDelivery } from '../../domain/intake/alert.js';
import { fieldError } from '../../domain/errors.js';
import { type IngestKind, PARSERS } from './index.js';

/** Kinds whose parser depends on the body alone (not on headers such as X-GitHub-Event, nor the query). */
const BODY_ONLY_KINDS: ReadonlySet<IngestKind> = new Set(['generic', 'alertmanager']);
/** Largest body remembered (bytes): a storm's alert is small, and a large batch rarely repeats. */
const REMEMBERED_BODY_LIMIT = 8 * 1024;
/** Most bodies remembered; the memo is emptied when it is full, so it stays small. */
const REMEMBERED_LIMIT = 64;

export interface DeliveryRequest {
  readonly kind: IngestKind;
  readonly raw: Buffer;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
}

const remembered = new Map<string, ParsedDelivery>();

export function parseDelivery(request: DeliveryRequest): ParsedDelivery {
  const { kind, raw, headers, query } = request;
  const contentType = headers['content-type'];
  const isForm = contentType?.startsWith('application/x-www-form-urlencoded') === true;
  if (raw.length === 0) throw fieldError('FB_ERR_INGEST_MALFORMED', '(body)', 'is empty; send the alert JSON');
  const text = raw.toString('utf8');
  const memoKey = !isForm && raw.length <= REMEMBERED_BODY_LIMIT && BODY_ONLY_KINDS.has(kind) ? `${kind}\n${text}` : undefined;
  if (memoKey !== undefined) {
    const delivery = remembered.get(memoKey);
    if (delivery !== undefined) return delivery;
  }
  const delivery = PARSERS[kind]({ body: decodeJson(isForm ? formPayload(text) : text), headers, query });
  if (memoKey !== undefined) {
    if (remembered.size >= REMEMBERED_LIMIT) remembered.clear();
    remembered.set(memoKey, deepFreeze(delivery));
  }
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
    return JSON.parse(text);
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
