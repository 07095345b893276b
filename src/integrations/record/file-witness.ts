/**
 * A witness that appends each checkpoint to a file, one JSON line each
 * (`{"seq":…,"createdAt":"…","checkpoint":"<checkpoint file text>"}`). Point it at storage
 * the operator of the database cannot rewrite (another machine's mount, an append-only
 * bucket, a WORM volume); `firebreak verify --checkpoint FILE` reads the last line.
 */
import { appendFile } from 'node:fs/promises';

export class FileWitness {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file ${path}`;
  }

  async publish(checkpoint: { seq: number; createdAt: string; text: string }): Promise<void> {
    await appendFile(this.path, `${JSON.stringify({ seq: checkpoint.seq, createdAt: checkpoint.createdAt, checkpoint: checkpoint.text })}\n`, { mode: 0o644 });
  }
}

/** The last checkpoint in a witness file's text (JSON lines), or the text itself when it is a checkpoint file. */
export function lastWitnessed(text: string): { seq: number | null; text: string } {
  if (!text.trimStart().startsWith('{')) return { seq: null, text };
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const last = JSON.parse(lines[lines.length - 1]!) as { seq?: unknown; checkpoint?: unknown };
  if (typeof last.checkpoint !== 'string') throw new Error('the last line of the witness file has no "checkpoint" text');
  return { seq: typeof last.seq === 'number' ? last.seq : null, text: last.checkpoint };
}
