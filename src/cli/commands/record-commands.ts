/**
 * `firebreak checkpoint [key|rotate-key]` and `firebreak verify --checkpoint FILE|URL`: the
 * signed record from the command line. A checkpoint source may be a checkpoint file, a
 * witness file (JSON lines; the last one is used) or an http(s) URL serving either.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CheckpointVerdict } from '../../app/record/record-service.js';
import { fieldError } from '../../domain/errors.js';
import { lastWitnessed } from '../../integrations/record/file-witness.js';
import type { CliBackend } from '../backend.js';
import { EXIT } from '../exit-codes.js';

export interface RecordCommandDeps {
  withBackend<T>(work: (backend: CliBackend) => Promise<T>): Promise<T>;
  print(value: unknown, text: () => string): void;
}

/** The checkpoint text behind a file path or URL. */
export async function readCheckpointSource(source: string, option = '--checkpoint'): Promise<string> {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    // The operator names this URL on the command line; it is fetched once, redirects refused.
    const response = await fetch(source, { redirect: 'error' }).catch((error: unknown) => {
      throw fieldError('FB_ERR_INPUT_INVALID', option, `cannot fetch ${source}: ${String((error as { cause?: unknown }).cause ?? error)}`);
    });
    if (!response.ok) throw fieldError('FB_ERR_INPUT_INVALID', option, `${source} answered HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw fieldError('FB_ERR_INPUT_INVALID', option, `cannot read ${source}: ${error.code ?? error.message}`);
    });
  }
  try {
    return lastWitnessed(text).text;
  } catch (error) {
    throw fieldError('FB_ERR_INPUT_INVALID', option, `${source} is not a checkpoint or witness file: ${(error as Error).message}`);
  }
}

export function formatCheckpointVerdict(verdict: CheckpointVerdict): string {
  const head = `${verdict.ok ? 'ok    ' : 'BROKEN'}  checkpoint of ${verdict.origin}, ${verdict.size} chains${verdict.time ? `, signed ${verdict.time}` : ''}${verdict.signedBy.length ? ` by ${verdict.signedBy.join(', ')}` : ', signature NOT verified'}`;
  const lines = verdict.problems.map((p) => `BROKEN  ${p.incidentId && !p.chain.endsWith(p.incidentId) ? `${p.incidentId} (${p.chain})` : p.chain}  ${p.reason}`);
  return [head, ...lines, verdict.ok ? 'Every chain the checkpoint covers is present and extends it.' : `${verdict.problems.length} problem(s): the store does not extend this checkpoint.`].join('\n');
}

export async function verifyAgainstCheckpoint(backend: CliBackend, source: string, deps: Pick<RecordCommandDeps, 'print'>): Promise<void> {
  const verdict = await backend.record().verifyCheckpoint(await readCheckpointSource(source));
  deps.print(verdict, () => formatCheckpointVerdict(verdict));
  if (!verdict.ok) process.exitCode = EXIT.verifyFailed;
}

export function registerRecordCommands(program: Command, deps: RecordCommandDeps): void {
  const checkpoint = program
    .command('checkpoint')
    .description('print the latest signed checkpoint over every chain (made first when the store moved on); see docs/checkpoints.md')
    .action(() =>
      deps.withBackend(async (b) => {
        const text = await b.record().latestCheckpoint();
        deps.print({ checkpoint: text }, () => text.trimEnd());
      }),
    );
  checkpoint
    .command('key')
    .description("print the instance's checkpoint public keys (C2SP verifier keys, oldest first), as /.well-known/firebreak-checkpoint-key serves them")
    .action(() =>
      deps.withBackend(async (b) => {
        const keys = await b.record().verifierKeys();
        deps.print({ keys }, () => keys.join('\n'));
      }),
    );
  checkpoint
    .command('rotate-key')
    .description('make a new checkpoint signing key; old public keys are kept so old checkpoints still verify')
    .action(() =>
      deps.withBackend(async (b) => {
        const rotate = b.record().rotateKey;
        if (!rotate) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'the signing key lives in the data directory; rotate it with --db on the server machine');
        const key = await rotate();
        deps.print({ key }, () => `New checkpoint key: ${key}`);
      }),
    );
}
