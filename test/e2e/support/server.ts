/**
 * Starts the real Firebreak server for end-to-end tests (through test/support/serve-process.ts)
 * on a free loopback port, with a fresh SQLite file in a temp directory and the first
 * administrator from FIREBREAK_ADMIN_EMAIL / FIREBREAK_ADMIN_PASSWORD (created through
 * the first-run API when the server does not read those variables itself).
 * Needs `npm run build` first (the compiled server in dist/ and the app in web/dist/).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServeProcess } from '../../support/serve-process.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Account {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly handle: string;
}

export interface RunningServer {
  readonly url: string;
  readonly admin: Account | null;
  /** What the server printed so far, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export const ADMIN: Account = { email: 'alice@example.test', password: 'correct horse battery', name: 'Alice Admin', handle: 'alice' };

async function ensureAdmin(url: string, admin: Account): Promise<void> {
  const session = (await (await fetch(`${url}/api/v1/auth/session`)).json()) as { setupRequired?: boolean };
  if (!session.setupRequired) return;
  const response = await fetch(`${url}/api/v1/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, name: admin.name, handle: admin.handle, password: admin.password }),
  });
  if (!response.ok) throw new Error(`first-run setup failed: ${response.status} ${await response.text()}`);
}

export async function startServer(options: { withAdmin?: boolean } = {}): Promise<RunningServer> {
  const withAdmin = options.withAdmin ?? true;
  for (const built of ['dist/bundle/main.js', 'web/dist/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the e2e tests`);
  }
  const server = await startServeProcess({
    readyPath: '/api/health',
    env: withAdmin ? { FIREBREAK_ADMIN_EMAIL: ADMIN.email, FIREBREAK_ADMIN_PASSWORD: ADMIN.password, FIREBREAK_ADMIN_NAME: ADMIN.name, FIREBREAK_ADMIN_HANDLE: ADMIN.handle } : {},
  });
  try {
    if (withAdmin) await ensureAdmin(server.url, ADMIN);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.url, admin: withAdmin ? ADMIN : null, logs: server.logs, stop: server.stop };
}
