/**
 * Crash safety: a real `firebreak serve` child process takes concurrent mutating
 * requests (reports, notes, sitreps, handoffs, public reports, ingest batches) and is
 * killed with SIGKILL at a random moment, then started again on the same database; see
 * `crash-checks.ts` for what must hold afterwards. Runs on this leg's back end.
 *
 * CI form (default): 2 kill points × 150 requests, 16 in flight. Long form (`npm run
 * test:stress`, FIREBREAK_STRESS=1): 20 kill points × 2,000 requests, 1,000 in flight at
 * once (the first thousand go out together; the rest follow up on what they created).
 * FIREBREAK_CRASH_KILLS, FIREBREAK_CRASH_REQUESTS and FIREBREAK_CRASH_CONCURRENCY override
 * them; FIREBREAK_CRASH_SEED replays a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/cli.js';
import { createEmptyDatabase, type TestDatabase } from '../support/test-app.js';
import { testBackend } from '../support/postgres.js';
import { checkAfterRestart } from './crash-checks.js';
import { runWorkload, type SentRequest } from './crash-workload.js';
import { type ServeProcess, startServeProcess } from '../support/serve-process.js';
import { seedPrincipals } from './crash-principals.js';

const STRESS = process.env['FIREBREAK_STRESS'] === '1';
const KILLS = Number(process.env['FIREBREAK_CRASH_KILLS'] ?? (STRESS ? 20 : 2));
const REQUESTS = Number(process.env['FIREBREAK_CRASH_REQUESTS'] ?? (STRESS ? 2000 : 150));
const CONCURRENCY = Number(process.env['FIREBREAK_CRASH_CONCURRENCY'] ?? (STRESS ? 1000 : 16));
const SEED = Number(process.env['FIREBREAK_CRASH_SEED'] ?? Date.now() % 2 ** 31);

/** A small seeded generator with an even spread (fast-check's samples favour edge values). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`crash safety on ${testBackend()}`, () => {
  let database: TestDatabase | undefined;
  let server: ServeProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'firebreak-crash-data-'));
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`survives ${KILLS} SIGKILLs during ${REQUESTS} mutating requests each, ${CONCURRENCY} in flight`, { timeout: 60_000 + KILLS * 90_000 }, async () => {
    assertBuilt();
    const rand = mulberry32(SEED);
    database = await createEmptyDatabase();
    const principals = await seedPrincipals(database.location, dataDir);
    const started = Date.now();
    server = await startServeProcess({
      database: database.location,
      dataDir,
      // Public reports are rate-limited per address; the harness sends each from its own.
      env: { FIREBREAK_TRUST_PROXY: '1', FIREBREAK_ADMIN_EMAIL: '', FIREBREAK_ADMIN_PASSWORD: '' },
      startTimeoutMs: 30_000,
    });

    const known: string[] = [];
    const totals = { kills: 0, sent: 0, acknowledged: 0, unanswered: 0, refused: 0, shed: 0, verified: 0, clocks: 0 };
    for (let round = 1; round <= KILLS; round++) {
      // The kill comes after a random share (5–95 %) of this round's requests settled.
      const killAfter = Math.max(1, Math.floor(REQUESTS * (0.05 + 0.9 * rand())));
      const current = server;
      let killing: Promise<void> | undefined;
      const ledger: SentRequest[] = await runWorkload({
        baseUrl: current.url,
        principals,
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        knownIncidents: known,
        round,
        random: rand,
        onSettled: (done) => {
          if (done >= killAfter && !killing) killing = new Promise((r) => setTimeout(r, Math.floor(rand() * 15))).then(() => current.kill());
        },
      });
      // Every request settled before the kill point came (all sent): kill now.
      await (killing ?? current.kill());
      totals.kills += 1;
      await current.restart();
      const findings = await checkAfterRestart(database.location, current.url, principals.admin, ledger);
      for (const sent of ledger) if (sent.status !== null && sent.status < 300 && (sent.kind === 'report' || sent.kind === 'public-report') && sent.incidentId) known.push(sent.incidentId);
      totals.sent += ledger.length;
      totals.acknowledged += findings.acknowledged;
      totals.unanswered += findings.unanswered;
      totals.refused += findings.refused;
      totals.shed += findings.shed;
      totals.verified = findings.incidentsVerified;
      totals.clocks = findings.clocksFired;
      console.log(
        `crash round ${round}/${KILLS} (${testBackend()}, seed ${SEED}): killed after ${killAfter} settled; ${ledger.length} sent, ${findings.acknowledged} acknowledged, ${findings.refused} refused (${findings.shed} shed with 503) and left no trace, ${findings.unanswered} unanswered; ${findings.incidentsVerified} incidents verify; ${findings.clocksFired} clocks fired once`,
      );
      expect(findings.problems, `round ${round}, seed ${SEED}`).toEqual([]);
    }
    console.log(
      `crash safety (${testBackend()}, seed ${SEED}, ${CONCURRENCY} in flight, ${Math.round((Date.now() - started) / 1000)} s): ${totals.kills} kills survived; ${totals.sent} requests sent, ${totals.acknowledged} acknowledged and all present, ${totals.refused} refused (${totals.shed} shed with 503) and none left a trace, ${totals.unanswered} unanswered; ${totals.verified} incident chains verified; ${totals.clocks} clocks fired exactly once`,
    );
    expect(totals.kills).toBe(KILLS);
  });
});
