/**
 * Where `firebreak login` keeps API tokens: `~/.config/firebreak/credentials.json`
 * ($XDG_CONFIG_HOME respected), readable by you alone (0600, directory 0700), one entry
 * per server URL. FIREBREAK_TOKEN overrides the file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface StoredCredential {
  readonly token: string;
  readonly tokenId: string;
  readonly user: string;
  readonly savedAt: string;
}

interface CredentialFile {
  servers: Record<string, StoredCredential>;
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const config = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(config, 'firebreak', 'credentials.json');
}

/** Server URLs are compared without a trailing slash. */
export function serverKey(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

function read(path: string): CredentialFile {
  if (!existsSync(path)) return { servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CredentialFile>;
    return { servers: parsed.servers ?? {} };
  } catch {
    return { servers: {} };
  }
}

export function loadCredential(server: string, env: NodeJS.ProcessEnv = process.env): StoredCredential | undefined {
  return read(credentialsPath(env)).servers[serverKey(server)];
}

export function saveCredential(server: string, credential: StoredCredential, env: NodeJS.ProcessEnv = process.env): string {
  const path = credentialsPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const file = read(path);
  file.servers[serverKey(server)] = credential;
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function forgetCredential(server: string, env: NodeJS.ProcessEnv = process.env): StoredCredential | undefined {
  const path = credentialsPath(env);
  const file = read(path);
  const key = serverKey(server);
  const found = file.servers[key];
  if (!found) return undefined;
  delete file.servers[key];
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return found;
}
