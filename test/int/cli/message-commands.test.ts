/**
 * `firebreak message …` through the real command-line program: on a local database
 * (preview, a refused placeholder with its exit code, review and approval, the record) and
 * with `--server` through the HTTP API (the token's owner is the author), with bad
 * arguments named.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';
import { setChannelEndpoint } from '../../../src/integrations/delivery/contact-points.js';
import { type InProcessRun, runCliInProcess } from '../../support/cli-in-process.js';
import { createHttpHarness, type HttpHarness } from '../../support/http-harness.js';

let h: HttpHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function cli(database: string, token: string | undefined, ...args: string[]): Promise<InProcessRun> {
  return runCliInProcess(database, token ?? 'fbt_unused', args);
}

async function setUp(): Promise<{ harness: HttpHarness; id: string }> {
  const harness = await createHttpHarness();
  h = harness;
  await setChannelEndpoint(harness.app.store.db, { channel: 'responders-chat', kind: 'slack', target: 'http://127.0.0.1:9/hook' }, harness.app.time.now());
  await setChannelEndpoint(harness.app.store.db, { channel: 'leadership-mail', kind: 'email', target: 'leaders@example.org' }, harness.app.time.now());
  return { harness, id: await harness.report('responder') };
}

describe('firebreak message', () => {
  it('previews, refuses a placeholder, and sends an external disclosure once two others approve it (local database)', async () => {
    const { harness, id } = await setUp();
    const db = harness.app.database;
    const preview = await cli(db, undefined, 'message', 'preview', id, '--template', 'broadcast');
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('broadcast to responders (slack http://127.0.0.1:9/hook); sent at once');

    const refused = await cli(db, undefined, '--as', 'alice', 'message', 'send', id, '--template', 'externalDisclosure', '--audience', 'leadership', '--body', 'Fixed in version [TBD].');
    expect(refused.code).toBe(exitCodeFor('invalid'));
    expect(refused.err).toContain('body: still holds an unfilled placeholder (line 1: [TBD])');
    expect(await harness.app.messages.list(id)).toEqual([]);

    const sent = await cli(db, undefined, '--as', 'alice', '--json', 'message', 'send', id, '--template', 'externalDisclosure', '--audience', 'leadership', '--body', 'Fixed in version 2.4.1.');
    expect(sent.code).toBe(0);
    const messageId = (JSON.parse(sent.out) as { id: string }).id;
    expect((await cli(db, undefined, 'message', 'approve', messageId, '--by', 'alice')).err).toContain('alice wrote message');
    expect((await cli(db, undefined, 'message', 'approve', messageId, '--by', 'bob')).out).toContain('review (1/2 approved)');
    expect((await cli(db, undefined, 'message', 'approve', messageId, '--by', 'carol')).out).toContain(': sent');
    const deliveries = await cli(db, undefined, 'message', 'deliveries', id);
    expect(deliveries.out).toContain('queued   externalDisclosure to audience:leadership (email leaders@example.org), 0 attempts');
  });

  it('goes through the API with --server, the token owner being the author', async () => {
    const { harness, id } = await setUp();
    const base = await harness.listen();
    const sent = await cli(harness.app.database, harness.tokens.responder, '--server', base, '--json', 'message', 'send', id, '--template', 'broadcast', '--body', 'Build server isolated.');
    expect(sent.err).toBe('');
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.out)).toMatchObject({ status: 'sent', author: 'responder' });
    const listed = await cli(harness.app.database, harness.tokens.responder, '--server', base, 'message', 'list', id);
    expect(listed.out).toContain('broadcast to responders by responder: sent');
  });

  it('names the bad argument', async () => {
    const { harness, id } = await setUp();
    const db = harness.app.database;
    expect((await cli(db, undefined, 'message', 'preview', id, '--template', 'broadcast', '--var', 'impact')).err).toContain('--var: "impact" is not name=value');
    expect((await cli(db, undefined, 'message', 'preview', id, '--template', 'nope')).err).toContain('template: "nope" is not a message template');
    expect((await cli(db, undefined, 'message', 'preview', id)).err).toContain("required option '--template <name>' not specified");
    expect((await cli(db, undefined, 'message', 'send', id, '--template', 'broadcast', '--body-file', '/nonexistent/body.md')).err).toContain('--body-file: cannot read /nonexistent/body.md');
    expect((await cli(db, undefined, 'message', 'reject', 'no-such-message', '--reason', 'x')).code).toBe(exitCodeFor('not_found'));
  });
});
