import { describe, expect, it } from 'vitest';
import { WalFlush } from './wal-flush.js';

/** A datasync whose calls finish only when the test says so. */
function controlledDatasync() {
  const calls: { finish: () => void; fail: (error: Error) => void }[] = [];
  const datasync = () =>
    new Promise<void>((resolve, reject) => {
      calls.push({ finish: resolve, fail: reject });
    });
  return { datasync, calls };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WalFlush', () => {
  it('resolves a flush only after the datasync it started has finished', async () => {
    const { datasync, calls } = controlledDatasync();
    const flush = new WalFlush(datasync);
    let done = false;
    const flushed = flush.flush().then(() => {
      done = true;
    });
    await settle();
    expect(calls).toHaveLength(1);
    expect(done).toBe(false);
    calls[0]!.finish();
    await flushed;
    expect(done).toBe(true);
  });

  it('makes a flush asked for during a running one wait for the next datasync, shared by everyone who asked meanwhile', async () => {
    const { datasync, calls } = controlledDatasync();
    const flush = new WalFlush(datasync);
    const order: string[] = [];
    const first = flush.flush().then(() => order.push('first'));
    const second = flush.flush().then(() => order.push('second'));
    const third = flush.flush().then(() => order.push('third'));
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await first;
    await settle();
    // The running datasync may have started before the second and third commits were written.
    expect(order).toEqual(['first']);
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await Promise.all([second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
    expect(calls).toHaveLength(2);
  });

  it('reports a failed datasync to the commits that waited for it, and the next flush tries again', async () => {
    const { datasync, calls } = controlledDatasync();
    const flush = new WalFlush(datasync);
    const failing = flush.flush();
    const waiting = flush.flush();
    await settle();
    calls[0]!.fail(new Error('EIO: i/o error, fdatasync'));
    await expect(failing).rejects.toThrow('EIO');
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await expect(waiting).resolves.toBeUndefined();
    const later = flush.flush();
    await settle();
    expect(calls).toHaveLength(3);
    calls[2]!.finish();
    await expect(later).resolves.toBeUndefined();
  });
});
