/**
 * Evidence files in a backup. The database holds each evidence item's SHA-256; the bytes
 * live content-addressed in the evidence storage under the data directory. A backup
 * `FILE` therefore gets a sibling directory `FILE.evidence/` holding one file per stored
 * blob (named by its SHA-256) and a `manifest.json` listing them with their sizes.
 *
 * Backing up re-hashes every blob as it is copied, so a damaged or missing stored file is
 * reported instead of being copied silently. Restoring re-hashes every file in the backup
 * BEFORE the store is touched (a damaged backup changes nothing), then stores the bytes
 * through the evidence storage (which hashes them again) and lists any evidence item of
 * the restored store whose bytes are still absent.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { FirebreakError } from '../domain/errors.js';
import type { EvidenceStorage } from '../integrations/evidence-storage/evidence-storage.js';
import type { Store } from '../store/store.js';

export const EVIDENCE_MANIFEST_FORMAT = 'firebreak-evidence';

const ManifestSchema = z.object({
  format: z.literal(EVIDENCE_MANIFEST_FORMAT),
  version: z.literal(1),
  files: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })),
});
type Manifest = z.infer<typeof ManifestSchema>;

export interface EvidenceProblem {
  readonly sha256: string;
  readonly problem: 'missing' | 'altered';
}

export interface EvidenceBackupSummary {
  readonly directory: string;
  readonly files: number;
  readonly bytes: number;
  /** Blobs named by evidence items that could not be copied: absent, or their bytes no longer match. */
  readonly problems: readonly EvidenceProblem[];
}

export interface EvidenceRestoreSummary {
  readonly directory: string;
  readonly files: number;
  readonly bytes: number;
  /** SHA-256s that evidence items of the restored store name but whose bytes are absent. */
  readonly missing: readonly string[];
}

/** Where the evidence files of backup `file` go. */
export function evidenceBackupDirectory(file: string): string {
  return `${file}.evidence`;
}

async function referencedBlobs(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('evidence_items').select('sha256').distinct().orderBy('sha256').execute();
  return rows.map((r) => r.sha256);
}

function hashingMeter(): { meter: Transform; result: () => { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { meter, result: () => ({ sha256: hash.digest('hex'), size }) };
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    size += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Copies every blob the store's evidence items name into `FILE.evidence/`, re-hashing each. */
export async function backupEvidence(store: Store, storage: EvidenceStorage, file: string): Promise<EvidenceBackupSummary> {
  const directory = evidenceBackupDirectory(file);
  const temp = join(dirname(directory), `.${basename(directory)}.partial-${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true, mode: 0o700 });
  try {
    const manifest: Manifest = { format: EVIDENCE_MANIFEST_FORMAT, version: 1, files: [] };
    const problems: EvidenceProblem[] = [];
    let bytes = 0;
    for (const sha256 of await referencedBlobs(store)) {
      if (!(await storage.exists(sha256))) {
        problems.push({ sha256, problem: 'missing' });
        continue;
      }
      const target = join(temp, sha256);
      const { meter, result } = hashingMeter();
      await pipeline(await storage.get(sha256), meter, createWriteStream(target, { mode: 0o600 }));
      const copied = result();
      if (copied.sha256 !== sha256) {
        await rm(target, { force: true });
        problems.push({ sha256, problem: 'altered' });
        continue;
      }
      manifest.files.push(copied);
      bytes += copied.size;
    }
    await writeFile(join(temp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await rm(directory, { recursive: true, force: true });
    await rename(temp, directory);
    return { directory, files: manifest.files.length, bytes, problems };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

export interface VerifiedEvidenceBackup {
  readonly directory: string;
  readonly files: Manifest['files'];
}

/**
 * Reads `FILE.evidence/manifest.json` and re-hashes every file it lists; throws
 * FB_ERR_TRANSFER_FILE_INVALID naming the first file that is absent or altered. Null when
 * the backup has no evidence directory (a backup made before evidence files were included).
 */
export async function verifyEvidenceBackup(file: string): Promise<VerifiedEvidenceBackup | null> {
  const directory = evidenceBackupDirectory(file);
  if (!existsSync(directory)) return null;
  const manifestPath = join(directory, 'manifest.json');
  const bad = (path: string, why: string) => new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${path}: ${why}; nothing was restored`, [{ path, message: why }]);
  let manifest: Manifest;
  try {
    const parsed = ManifestSchema.safeParse(JSON.parse(await readFile(manifestPath, 'utf8')));
    if (!parsed.success) throw bad(manifestPath, `not a Firebreak evidence manifest (${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
    manifest = parsed.data;
  } catch (error) {
    if (error instanceof FirebreakError) throw error;
    throw bad(manifestPath, `cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  for (const entry of manifest.files) {
    const path = join(directory, entry.sha256);
    if (!existsSync(path)) throw bad(path, 'the evidence file listed in the manifest is missing');
    const found = await hashFile(path);
    if (found.sha256 !== entry.sha256 || found.size !== entry.size) {
      throw bad(path, `the bytes no longer match their SHA-256 (found ${found.sha256}, ${found.size} bytes)`);
    }
  }
  return { directory, files: manifest.files };
}

/** Stores verified backup files into `storage`, then lists evidence items of `store` still without bytes. */
export async function restoreEvidence(store: Store, storage: EvidenceStorage, backup: VerifiedEvidenceBackup | null, file: string): Promise<EvidenceRestoreSummary> {
  let bytes = 0;
  for (const entry of backup?.files ?? []) {
    const stored = await storage.put(createReadStream(join(backup!.directory, entry.sha256)), { maxBytes: Number.MAX_SAFE_INTEGER });
    if (stored.sha256 !== entry.sha256) {
      // The file changed between the check and the copy; refuse rather than keep a mismatch.
      throw new FirebreakError('FB_ERR_TRANSFER_FILE_INVALID', `${join(backup!.directory, entry.sha256)} changed while it was being restored`);
    }
    bytes += stored.size;
  }
  const missing: string[] = [];
  for (const sha256 of await referencedBlobs(store)) if (!(await storage.exists(sha256))) missing.push(sha256);
  return { directory: backup?.directory ?? evidenceBackupDirectory(file), files: backup?.files.length ?? 0, bytes, missing };
}
