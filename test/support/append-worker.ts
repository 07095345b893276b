/**
 * A separate Firebreak process for concurrency tests: opens the database itself and runs
 * N concurrent clients, each appending notes to one incident. Prints one JSON line with
 * what it appended. Run: node --import tsx test/support/append-worker.ts DB INCIDENT TAG CLIENTS NOTES
 */
import { createApp } from '../../src/app/firebreak-app.js';

const [database, incidentId, tag, clients, notes] = process.argv.slice(2);
if (!database || !incidentId || !tag || !clients || !notes) {
  process.stderr.write('usage: append-worker DB INCIDENT TAG CLIENTS NOTES\n');
  process.exit(2);
}
const app = await createApp({ database });
const appended: string[] = [];
try {
  await Promise.all(
    Array.from({ length: Number(clients) }, async (_, client) => {
      for (let n = 0; n < Number(notes); n += 1) {
        const text = `${tag}-${client}-${n}`;
        await app.incidents.execute(incidentId, { type: 'add_note', text }, { actor: `${tag}-client-${client}` });
        appended.push(text);
      }
    }),
  );
} finally {
  await app.close();
}
process.stdout.write(`${JSON.stringify({ tag, appended })}\n`);
