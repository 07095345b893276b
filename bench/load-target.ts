/**
 * The server that `load.ts`, `soak.ts` and `scaling.ts` measure, run in its own process so
 * the load generator does not share its event loop:
 *
 *   node --expose-gc --import tsx bench/load-target.ts firebreak <database> [source-prefix]
 *   node --import tsx bench/load-target.ts bare
 *
 * `firebreak` is the real server (`buildServer`, the same as `firebreak serve`) on the given
 * database (a SQLite file, possibly seeded by the parent), with rate limits raised so the
 * load is not answered 429, load shedding from the environment as `serve` reads it, an
 * administrator with an API token, and a generic ingest source. `bare` is a Fastify route answering a small JSON body: the floor of the stack.
 *
 * Bench-only hook, never part of the production server: when FIREBREAK_BENCH_HOOKS=1 this
 * script (not src/) adds `GET /__bench/heap`, which forces a GC (needs --expose-gc) and
 * answers `process.memoryUsage()`. Prints `{ port, token, ingestSource, ingestSecret }` as one JSON line.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { createApp } from '../src/app/firebreak-app.js';
import { overloadSettingsFromEnv } from '../src/http/server-config.js';
import { buildServer } from '../src/http/server.js';

const [mode, database, source = 'bench'] = process.argv.slice(2);

function portOf(server: FastifyInstance): number {
  const address = server.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function addBenchHooks(server: FastifyInstance): void {
  if (process.env['FIREBREAK_BENCH_HOOKS'] !== '1') return;
  server.get('/__bench/heap', { schema: { hide: true }, config: { access: 'public' } }, async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    return { gc: gc !== undefined, ...process.memoryUsage() };
  });
}

if (mode === 'bare') {
  const server = Fastify({ logger: false });
  server.get('/api/v1/incidents', async () => ({ items: [], nextCursor: null, total: 0 }));
  server.post('/api/v1/incidents/:id/notes', async (_request, reply) => reply.code(201).send({ ok: true }));
  addBenchHooks(server);
  await server.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ port: portOf(server), token: '', ingestSource: '', ingestSecret: '' })}\n`);
} else if (mode === 'firebreak' && database) {
  const app = await createApp({ database });
  const plentiful = { max: 100_000_000, timeWindow: '1 minute' };
  const server = await buildServer({
    app,
    logger: false,
    webDist: null,
    limits: { perMinute: 100_000_000, loginPerMinute: 1_000 },
    publicReports: { limits: { submit: plentiful, read: plentiful, message: plentiful } },
    // Load shedding as `firebreak serve` has it (FIREBREAK_MAX_IN_FLIGHT=0 … turns it off).
    overload: overloadSettingsFromEnv(process.env),
  });
  addBenchHooks(server);
  await server.ready();
  const auth = server.firebreak.auth;
  const tag = randomBytes(4).toString('hex');
  const admin = await auth.users.create({ email: `bench-${tag}@example.org`, name: 'Bench', handle: `bench-${tag}`, role: 'admin', password: `bench-password-${tag}` });
  const token = (await auth.createToken(admin, { name: 'bench' })).secret;
  const ingestSource = `${source}-${tag}`;
  const ingestSecret = (await app.intake.addSource({ name: ingestSource, kind: 'generic', plan: 'nist-800-61r3', actor: 'bench' })).secret ?? '';
  await server.listen({ host: '127.0.0.1', port: 0 });
  const stop = async () => {
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ port: portOf(server), token, ingestSource, ingestSecret })}\n`);
} else {
  process.stderr.write('usage: load-target.ts bare | firebreak <database> [ingest-source]\n');
  process.exit(2);
}
