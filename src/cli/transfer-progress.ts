/**
 * Progress of a long copy (`restore`, `migrate-store`) on stderr: a bar (cli-progress)
 * when stderr is a terminal, otherwise a plain line at every tenth, so logs stay readable.
 */
import cliProgress from 'cli-progress';
import type { TransferProgress } from '../app/store-transfer.js';

export interface ProgressDisplay {
  readonly update: TransferProgress;
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: 'copying {bar} {percentage}% | {value}/{total} rows | {table}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, table) {
        if (!started) {
          bar.start(total, 0, { table });
          started = true;
        }
        bar.update(done, { table });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done, total, table) {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`copied ${done}/${total} rows (${tenth * 10}%), now ${table}\n`);
    },
    stop: () => undefined,
  };
}
