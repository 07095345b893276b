/**
 * Flushing SQLite's write-ahead log to disk on the thread pool instead of inside COMMIT.
 *
 * With `synchronous = FULL` every COMMIT fsyncs the WAL on the one thread that also runs
 * the HTTP server, so while the disk works (0.2–1 ms here, far more on a busy disk)
 * no request is read, checked or answered. A transaction run through `Store.transaction`
 * instead commits with `synchronous = NORMAL` (the frames are written, not yet synced) and
 * is then flushed here with `fdatasync` on the WAL file from libuv's thread pool, and
 * `Store.transaction` resolves only after that: what was acknowledged is on disk exactly as
 * with FULL, while the event loop goes on serving.
 *
 * Flushes coalesce the way commits in a group do: a flush asked for while one is running
 * cannot count on it (that one may have started before this commit's frames were
 * written), so it waits for the next one, which every commit that arrived meanwhile
 * shares. After a power cut the WAL is replayed only up to its last intact commit, so an
 * unflushed commit is lost together with everything after it, never on its own.
 *
 * What this gives up: another reader (a request on this process, or the CLI) may see a
 * commit during the moment before its flush completes. Nobody has been told it is durable
 * then; if the power fails in that moment it vanishes, and its writer, never answered,
 * retries. And if the flush itself fails (a disk error), the transaction is reported as
 * failed although SQLite has committed it: whether it reached the disk is unknown, so it
 * must not be acknowledged.
 */
import { type FileHandle, open } from 'node:fs/promises';

export type Datasync = () => Promise<void>;

export class WalFlush {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly datasync: Datasync) {}

  /** Resolves once everything written to the WAL before this call is on disk. */
  flush(): Promise<void> {
    if (this.next) return this.next;
    if (!this.running) return this.start();
    // Whether it succeeds or fails, the running flush may predate this commit's frames.
    const after = () => {
      this.next = null;
      return this.start();
    };
    this.next = this.running.then(after, after);
    return this.next;
  }

  private start(): Promise<void> {
    const flush = this.datasync().finally(() => {
      if (this.running === flush) this.running = null;
    });
    this.running = flush;
    return flush;
  }
}

/**
 * The WAL file of the SQLite database at `databasePath`, opened once for flushing. Until it
 * can be opened (no WAL written yet) and for an in-memory database, `open` says false and
 * commits keep their own fsync.
 */
export class WalFile {
  private handle: Promise<FileHandle | null> | null = null;
  private readonly flusher = new WalFlush(async () => {
    const handle = await this.handle;
    await handle?.datasync();
  });

  constructor(private readonly databasePath: string) {}

  /** Opens the WAL file if it is not open yet; false when it cannot be (yet). */
  async open(): Promise<boolean> {
    if (this.databasePath === ':memory:' || this.databasePath === '') return false;
    // One shared attempt, so transactions starting together open one handle, not several.
    this.handle ??= open(`${this.databasePath}-wal`, 'r+').catch(() => null);
    const handle = await this.handle;
    if (handle === null) this.handle = null;
    return handle !== null;
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  async close(): Promise<void> {
    const handle = await this.handle;
    this.handle = null;
    await handle?.close();
  }
}
