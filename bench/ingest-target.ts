/**
 * A server for `bench/ingest.ts` to load, run in its own process so the load generator
 * does not share its event loop: `bare` is a Fastify route that parses the JSON body and
 * answers 202; `ingest` is the real Firebreak server on a fresh SQLite file with one
 * generic ingest source. Prints `{ port, token, database }` as one JSON line when ready.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { createApp } from '../src/app/firebreak-app.js';
import { buildServer } from '../src/http/server.js';

const mode = process.argv[2];

if (mode === 'bare') {
  const server = Fastify({ logger: false, bodyLimit: 1_048_576 });
  server.post('/api/v1/ingest/:source', async (_request, reply) => reply.code(202).send({ accepted: true }));
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, token: '', database: '' })}\n`);
} else if (mode === 'ingest') {
  const database = join(mkdtempSync(join(tmpdir(), 'firebreak-bench-')), 'firebreak.db');
  const app = await createApp({ database });
  const { secret } = await app.intake.addSource({ name: 'bench', kind: 'generic', plan: 'nist-800-61r3', actor: 'bench' });
  const server = await buildServer({ app, logger: false });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, token: secret, database })}\n`);
} else {
  process.stderr.write('usage: ingest-target.ts bare|ingest\n');
  process.exit(2);
}
