/**
 * SQLite transactions commit with synchronous=NORMAL and are flushed off the event loop
 * (src/store/wal-flush.ts): `Store.transaction` must resolve only after the WAL file's
 * datasync has finished, and every write outside it must keep synchronous=FULL. Real
 * SQLite file and real fdatasync; the spy only records the order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import { testBackend } from '../support/postgres.js';

/** `PRAGMA synchronous`: 1 is NORMAL, 2 is FULL. */
async function synchronousLevel(store: Store): Promise<number> {
  const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
  return rows[0]!.synchronous;
}

describe.skipIf(testBackend() === 'postgres')('SQLite transactions flushed off the event loop', () => {
  let dir: string;
  let store: Store;
  let fileHandlePrototype: { datasync(): Promise<void> };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-wal-flush-'));
    store = await openStore(join(dir, 'firebreak.db'));
    const probe = await open(join(dir, 'probe'), 'w');
    fileHandlePrototype = Object.getPrototypeOf(probe);
    await probe.close();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves a transaction only after the WAL file has been flushed', async () => {
    const order: string[] = [];
    const datasync = fileHandlePrototype.datasync;
    vi.spyOn(fileHandlePrototype, 'datasync').mockImplementation(async function (this: unknown) {
      order.push('flush started');
      await datasync.call(this);
      order.push('flush finished');
    });
    await store.transaction(async (trx) => {
      await trx.insertInto('counters').values({ name: 'answer', value: 42 }).execute();
    });
    order.push('transaction resolved');
    expect(order).toEqual(['flush started', 'flush finished', 'transaction resolved']);
    const row = await store.db.selectFrom('counters').select('value').where('name', '=', 'answer').executeTakeFirst();
    expect(Number(row?.value)).toBe(42);
  });

  it('lets concurrent transactions share flushes, each resolving after a flush that began after its commit', async () => {
    let flushes = 0;
    const datasync = fileHandlePrototype.datasync;
    vi.spyOn(fileHandlePrototype, 'datasync').mockImplementation(async function (this: unknown) {
      flushes += 1;
      await datasync.call(this);
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transaction(async (trx) => {
          await trx.insertInto('counters').values({ name: `test-${i}`, value: i }).execute();
        }),
      ),
    );
    const names = await store.db.selectFrom('counters').select('name').where('name', 'like', 'test-%').execute();
    expect(names).toHaveLength(20);
    expect(flushes).toBeGreaterThanOrEqual(1);
    expect(flushes).toBeLessThanOrEqual(20);
  });

  it('keeps synchronous=FULL for every write outside a transaction, also after one that failed', async () => {
    expect(await synchronousLevel(store)).toBe(2);
    await store.transaction(async (trx) => {
      await trx.insertInto('counters').values({ name: 'test-a', value: 1 }).execute();
    });
    expect(await synchronousLevel(store)).toBe(2);
    await expect(
      store.transaction(async (trx) => {
        await trx.insertInto('counters').values({ name: 'test-b', value: 2 }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await synchronousLevel(store)).toBe(2);
    const names = (await store.db.selectFrom('counters').select('name').where('name', 'like', 'test-%').execute()).map((r) => r.name);
    expect(names).toEqual(['test-a']);
  });
});
