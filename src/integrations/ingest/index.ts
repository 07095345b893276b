/** The ingest parsers, one per source kind. */
import type { ParsedDelivery } from '../../domain/intake/alert.js';
import { parseAlertmanager } from './alertmanager.js';
import { parseGeneric } from './generic.js';
import { parseGitHub } from './github.js';
import type { IngestRequest } from './ingest-input.js';
import { parseSarif } from './sarif.js';

export const INGEST_KINDS = ['github', 'alertmanager', 'sarif', 'generic'] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

export const PARSERS: Readonly<Record<IngestKind, (request: IngestRequest) => ParsedDelivery>> = {
  github: parseGitHub,
  alertmanager: parseAlertmanager,
  sarif: parseSarif,
  generic: parseGeneric,
};

export { GenericIngestBodySchema } from './generic.js';
export { type IngestRequest, rawExcerpt } from './ingest-input.js';
export { signBody, verifyBearer, verifyHmac } from './signature.js';
