/**
 * Ingest without HTTP: `concurrency` callers each calling `app.intake.ingest` with one
 * alert in a loop for 5 s, on a fresh SQLite file (or DATABASE_URL), so the group commit's
 * cost can be measured apart from Fastify and the load generator. Prints alerts/s.
 *
 *   npx tsx bench/ingest-in-process.ts 100            # repeats of one fingerprint
 *   npx tsx bench/ingest-in-process.ts 10 distinct    # each alert a new triage event
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app/firebreak-app.js';
import { PARSERS } from '../src/integrations/ingest/index.js';

const concurrency = Number(process.argv[2] ?? 10);
const distinct = process.argv[3] === 'distinct';
const database = process.env['DATABASE_URL'] ?? join(mkdtempSync(join(tmpdir(), 'firebreak-bench-')), 'firebreak.db');
const app = await createApp({ database });
await app.intake.addSource({ name: 'bench', kind: 'generic', plan: 'nist-800-61r3', actor: 'bench' });
const source = await app.intake.source('bench');
const alert = { title: 'Signer answered 403 to an unknown client', rule: 'signer-forbidden', severity: 'critical', host: 'signer-1' };

let sent = 0;
const start = performance.now();
const end = start + 5000;
async function caller(): Promise<void> {
  while (performance.now() < end) {
    const body = distinct ? { ...alert, host: `signer-${sent}` } : alert;
    sent += 1;
    await app.intake.ingest(source, PARSERS.generic({ body, headers: {}, query: {} }));
  }
}
await Promise.all(Array.from({ length: concurrency }, caller));
const seconds = (performance.now() - start) / 1000;
console.log(`${concurrency} concurrent callers, ${distinct ? 'each alert a new triage event' : 'repeats of one fingerprint'}: ${Math.round(sent / seconds)} alerts/s committed`);
await app.close();
