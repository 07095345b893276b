/**
 * A server for `bench/ingest.ts` to load, run in its own process so the load generator
 * does not share its event loop: `bare` is a Fastify route that parses the JSON body and
 * answers 202; `ingest [DATABASE]` is the real Firebreak server on DATABASE (a SQLite
 * path or a postgres:// URL; a fresh SQLite file when omitted), which adds the `bench`
 * generic ingest source unless `--join` says another process already did; `ceiling` is
 * the bare route committing to a raw better-sqlite3 file (WAL, synchronous=FULL) the way
 * any durable design must: requests that arrive together share one transaction of one
 * `UPDATE … count = count + n`, and each is answered after its COMMIT — the most a
 * single-writer, answer-after-fsync ingest path can do on this machine. Prints
 * `{ port, token, database }` as one JSON line when ready; on SIGINT/SIGTERM prints
 * `{ transactions }` (store transactions run, so the bench can tell requests per commit)
 * and exits. SIGUSR2 zeroes the counters (after the bench's warm-up) and prints
 * `{ counting: true }`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { createApp } from '../src/app/firebreak-app.js';
import { buildServer } from '../src/http/server.js';

const [mode, databaseArg, joinFlag] = process.argv.slice(2);
/** Store transactions run, printed as a last JSON line on exit (requests per commit, in the bench). */
let transactions = 0;
/** CPU time (user + system) is counted from when the target is ready, so start-up is left out. */
let cpuAtStart: NodeJS.CpuUsage | undefined;
// SIGUSR2, after the bench's warm-up: count from now on, and say so.
process.on('SIGUSR2', () => {
  transactions = 0;
  cpuAtStart = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ counting: true })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const cpu = process.cpuUsage(cpuAtStart);
    process.stdout.write(`${JSON.stringify({ transactions, cpuMicros: cpu.user + cpu.system })}\n`, () => process.exit(0));
  });
}

/** Listens on a free loopback port and tells the bench where, with the token and database to use. */
async function listenAndAnnounce(server: FastifyInstance, token: string, database: string): Promise<void> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cpuAtStart = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ port, token, database })}\n`);
}

if (mode === 'bare') {
  const server = Fastify({ logger: false, bodyLimit: 1_048_576 });
  server.post('/api/v1/ingest/:source', async (_request, reply) => reply.code(202).send({ accepted: true }));
  await listenAndAnnounce(server, '', '');
} else if (mode === 'ceiling') {
  const db = new SqliteDatabase(join(mkdtempSync(join(tmpdir(), 'firebreak-bench-ceiling-')), 'ceiling.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE alerts (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, count INTEGER NOT NULL, last_seen TEXT NOT NULL)');
  db.prepare("INSERT INTO alerts (fingerprint, count, last_seen) VALUES ('bench', 0, '')").run();
  const bump = db.prepare('UPDATE alerts SET count = count + ?, last_seen = ? WHERE fingerprint = ? RETURNING count');
  const commitGroup = db.transaction((n: number) => (bump.get(n, new Date().toISOString(), 'bench') as { count: number }).count);
  let waiting: ((count: number) => void)[] = [];
  const commitWaiting = () => {
    const group = waiting;
    waiting = [];
    const count = commitGroup.immediate(group.length);
    transactions += 1;
    for (const answer of group) answer(count);
  };
  const server = Fastify({ logger: false, bodyLimit: 1_048_576 });
  server.post('/api/v1/ingest/:source', async (_request, reply) => {
    const count = await new Promise<number>((resolve) => {
      if (waiting.push(resolve) === 1) setImmediate(commitWaiting);
    });
    return reply.code(202).send({ accepted: true, count });
  });
  await listenAndAnnounce(server, '', '');
} else if (mode === 'ingest') {
  const database = databaseArg && databaseArg !== '-' ? databaseArg : join(mkdtempSync(join(tmpdir(), 'firebreak-bench-')), 'firebreak.db');
  const app = await createApp({ database });
  const transaction = app.store.transaction.bind(app.store);
  app.store.transaction = (work) => {
    transactions += 1;
    return transaction(work);
  };
  const secret = joinFlag === '--join' ? '' : ((await app.intake.addSource({ name: 'bench', kind: 'generic', plan: 'nist-800-61r3', actor: 'bench' })).secret ?? '');
  const server = await buildServer({ app, logger: false });
  await listenAndAnnounce(server, secret, database);
} else {
  process.stderr.write('usage: ingest-target.ts bare | ceiling | ingest [DATABASE|-] [--join]\n');
  process.exit(2);
}
