/**
 * Where evidence bytes live. Content-addressed by SHA-256, so the same bytes are stored
 * once and any later change is exposed by re-hashing. The interface is small enough for
 * an S3-compatible backend to implement later; `FsEvidenceStorage` is the default.
 */
import type { Readable } from 'node:stream';

export interface StoredBlob {
  readonly sha256: string;
  readonly size: number;
}

export interface PutOptions {
  /** Refuse (and store nothing) when the stream is longer than this. */
  readonly maxBytes: number;
}

export interface EvidenceStorage {
  /** Streams the bytes in, hashing on the way; stores them under their SHA-256. */
  put(stream: Readable, options: PutOptions): Promise<StoredBlob>;
  /** The stored bytes; fails with FB_ERR_EVIDENCE_MISSING_BYTES when absent. */
  get(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Re-reads the stored bytes and hashes them again; null when they are missing. */
  rehash(sha256: string): Promise<StoredBlob | null>;
}

/** Default size limit: FIREBREAK_EVIDENCE_MAX_BYTES, or 100 MB. */
export function evidenceMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['FIREBREAK_EVIDENCE_MAX_BYTES'];
  if (raw === undefined || raw.trim() === '') return 100 * 1024 * 1024;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`FIREBREAK_EVIDENCE_MAX_BYTES must be a positive whole number of bytes, not "${raw}"`);
  }
  return value;
}
