/**
 * Evidence on the local file system: `<root>/ab/cd/<sha256>`. A put streams into a
 * temporary file in `<root>/tmp` while hashing and counting, then renames it into place,
 * so a half-written or oversized upload never appears under a hash. Stored files are made
 * read-only as a guard against accidents (the re-hash in `verify` is the real check).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FirebreakError } from '../../domain/errors.js';
import type { EvidenceStorage, PutOptions, StoredBlob } from './evidence-storage.js';

const SHA256 = /^[0-9a-f]{64}$/;

class TooLarge extends Error {}

export class FsEvidenceStorage implements EvidenceStorage {
  constructor(readonly root: string) {}

  /** The path of a stored blob (exposed for tests and operators). */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new FirebreakError('FB_ERR_INPUT_INVALID', `"${sha256}" is not a SHA-256 hex digest`, [{ path: 'sha256', message: 'must be 64 lower-case hex digits' }]);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(stream: Readable, options: PutOptions): Promise<StoredBlob> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) {
          callback(new TooLarge());
          return;
        }
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(tmp, { force: true });
      if (error instanceof TooLarge) {
        stream.destroy();
        throw new FirebreakError('FB_ERR_EVIDENCE_TOO_LARGE', `the evidence is larger than the limit of ${options.maxBytes} bytes (FIREBREAK_EVIDENCE_MAX_BYTES); nothing was stored`, [
          { path: 'file', message: `larger than ${options.maxBytes} bytes` },
        ]);
      }
      throw error;
    }
    const sha256 = hash.digest('hex');
    const target = this.pathOf(sha256);
    if (await this.exists(sha256)) {
      await rm(tmp, { force: true });
    } else {
      await mkdir(join(this.root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
      await chmod(tmp, 0o400);
      await rename(tmp, target);
    }
    return { sha256, size };
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    if (!(await this.exists(sha256))) {
      throw new FirebreakError('FB_ERR_EVIDENCE_MISSING_BYTES', `the stored bytes for ${sha256} are missing from ${this.root}`);
    }
    return createReadStream(path);
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async rehash(sha256: string): Promise<StoredBlob | null> {
    if (!(await this.exists(sha256))) return null;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(this.pathOf(sha256))) {
      size += (chunk as Buffer).length;
      hash.update(chunk as Buffer);
    }
    return { sha256: hash.digest('hex'), size };
  }
}
