/**
 * Who sends the crash tests' traffic: the first users, their API tokens and an ingest
 * source, written before the first `firebreak serve` start through the app layer itself,
 * as the server would find them.
 */
import type { User } from '../../src/app/auth/user.js';
import { createApp } from '../../src/app/firebreak-app.js';
import { buildServer } from '../../src/http/server.js';

export interface Principals {
  /** API token of the administrator. */
  readonly admin: string;
  /** Handle → API token of each responder. */
  readonly responders: ReadonlyArray<{ readonly handle: string; readonly token: string }>;
  /** Ingest source name and its bearer secret. */
  readonly ingest: { readonly source: string; readonly secret: string };
}

/** Users, tokens and an ingest source, written through the app as a first admin would. */
export async function seedPrincipals(database: string, dataDir: string, responders = 4): Promise<Principals> {
  const app = await createApp({ database, dataDir });
  const server = await buildServer({ app, logger: false, webDist: null });
  try {
    await server.ready();
    const auth = server.firebreak.auth;
    const make = async (handle: string, role: User['role']) => {
      const user = await auth.users.create({ email: `${handle}@example.org`, name: handle, handle, role, password: `${handle}-password-123` });
      return (await auth.createToken(user, { name: 'crash-test' })).secret;
    };
    const admin = await make('crash-admin', 'admin');
    const list: { handle: string; token: string }[] = [];
    for (let i = 1; i <= responders; i++) list.push({ handle: `crash-r${i}`, token: await make(`crash-r${i}`, 'responder') });
    const source = await app.intake.addSource({ name: 'crash-alerts', kind: 'generic', plan: 'nist-team-procedures', auth: 'bearer', actor: 'crash-admin' });
    if (!source.secret) throw new Error('the ingest source got no secret');
    return { admin, responders: list, ingest: { source: 'crash-alerts', secret: source.secret } };
  } finally {
    await server.close();
    await app.close();
  }
}
