/**
 * `firebreak sessions list|end`, `firebreak tokens list|revoke` and
 * `firebreak sign-out-everywhere`: your own sessions and API tokens on a server
 * (`--server`, with the token `firebreak login` kept or $FIREBREAK_TOKEN), so a lost
 * laptop or a leaked token can be cut off from a terminal.
 */
import type { Command } from 'commander';
import type { ApiTokenInfo, SessionInfo } from '../../app/auth/auth-service.js';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import { loadCredential } from '../credentials.js';
import type { CliIo, GlobalOptions } from '../program.js';
import { callWithToken } from '../remote-login.js';

export function registerCredentialCommands(program: Command, io: CliIo): void {
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const print = (value: unknown, text: () => string) => io.out(globals().json ? JSON.stringify(value, null, 2) : text());
  const call = (method: string, path: string) => {
    const server = globals().server;
    if (!server) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'is required: sessions and tokens live on a server');
    const token = io.env['FIREBREAK_TOKEN'] || loadCredential(server, io.env)?.token;
    if (!token) throw new FirebreakError('FB_ERR_AUTH_REQUIRED', `not signed in to ${server}: run firebreak login --server ${server}`);
    return callWithToken(server, token, method, path);
  };

  const sessions = program.command('sessions').description('your browser sessions on --server');
  sessions
    .command('list')
    .description('sessions that have not expired (never their cookies)')
    .action(async () => {
      const { items } = (await call('GET', '/auth/sessions')) as { items: SessionInfo[] };
      print(items, () => (items.length === 0 ? 'No browser sessions.' : items.map((s) => `${s.id}  signed in ${s.createdAt}  ends ${s.expiresAt}`).join('\n')));
    });
  sessions
    .command('end <id>')
    .description('end one session (the id from sessions list)')
    .action(async (id: string) => {
      await call('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
      print({ ended: id }, () => `Ended session ${id}.`);
    });

  const tokens = program.command('tokens').description('your API tokens on --server');
  tokens
    .command('list')
    .description('tokens that can act as you (never their secrets)')
    .action(async () => {
      const { items } = (await call('GET', '/tokens')) as { items: ApiTokenInfo[] };
      const live = items.filter((t) => t.revokedAt === null);
      print(live, () => (live.length === 0 ? 'No API tokens.' : live.map((t) => `${t.id}  ${t.prefix}…  ${t.name}  last used ${t.lastUsedAt ?? 'never'}  expires ${t.expiresAt ?? 'never'}`).join('\n')));
    });
  tokens
    .command('revoke <id>')
    .description('revoke one token (takes effect at once)')
    .action(async (id: string) => {
      const revoked = (await call('DELETE', `/tokens/${encodeURIComponent(id)}`)) as ApiTokenInfo;
      print(revoked, () => `Revoked token ${revoked.id} (${revoked.name}).`);
    });

  program
    .command('sign-out-everywhere')
    .description('end all your sessions and revoke all your API tokens on --server, the CLI one included')
    .action(async () => {
      const ended = (await call('POST', '/auth/sign-out-everywhere')) as { sessions: number; tokens: number };
      print(ended, () => `Ended ${ended.sessions} session(s) and revoked ${ended.tokens} token(s); sign in again with firebreak login.`);
    });
}
