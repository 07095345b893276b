/**
 * A server for `bench/ingest.ts` to load, run in its own process so the load generator
 * does not share its event loop: `bare` is a Fastify route that parses the JSON body and
 * answers 202; `ingest [DATABASE]` is the real Firebreak server on DATABASE (a SQLite
 * path or a postgres:// URL; a fresh SQLite file when omitted), which adds the `bench`
 * generic ingest source unless `--join` says another process already did. Prints
 * `{ port, token, database }` as one JSON line when ready; on SIGINT/SIGTERM prints
 * `{ transactions }` (store transactions run, so the bench can tell requests per commit)
 * and exits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createApp } from '../src/app/firebreak-app.js';
import { buildServer } from '../src/http/server.js';

const [mode, databaseArg, joinFlag] = process.argv.slice(2);
/** Store transactions run, printed as a last JSON line on exit (requests per commit, in the bench). */
let transactions = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stdout.write(`${JSON.stringify({ transactions })}\n`, () => process.exit(0));
  });
}

function announce(port: number, token: string, database: string): void {
  process.stdout.write(`${JSON.stringify({ port, token, database })}\n`);
}

if (mode === 'bare') {
  const server = Fastify({ logger: false, bodyLimit: 1_048_576 });
  server.post('/api/v1/ingest/:source', async (_request, reply) => reply.code(202).send({ accepted: true }));
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  announce(typeof address === 'object' && address ? address.port : 0, '', '');
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
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  announce(typeof address === 'object' && address ? address.port : 0, secret, database);
} else {
  process.stderr.write('usage: ingest-target.ts bare | ingest [DATABASE|-] [--join]\n');
  process.exit(2);
}
