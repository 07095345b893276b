import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsEvidenceStorage } from '../../../src/integrations/evidence-storage/fs-evidence-storage.js';
import { createTestApp, minutes, type TestApp } from '../../support/test-app.js';

let app: TestApp;
let incidentId: string;

beforeEach(async () => {
  app = await createTestApp();
  const reported = await app.incidents.report('iec62443-platform', { type: 'report', title: 'Secret leaked to a public repository', reporter: { anonymous: false, name: 'alice' } }, { actor: 'alice' });
  incidentId = reported.state.id;
  await app.incidents.execute(incidentId, { type: 'triage', decision: 'confirm', severity: 'P0' }, { actor: 'alice' });
});

afterEach(async () => {
  await app.close();
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('evidence with chain of custody', () => {
  it('records upload, view, download and transfer as events and lists them in the custody report', async () => {
    const bytes = Buffer.from('2026-03-02T08:55:01Z git push --force origin main\n');
    const item = await app.evidence.addFile(incidentId, Readable.from([bytes]), { description: 'CI log around the force-push', source: 'ci-runner-3', filename: 'ci.log' }, { actor: 'alice' });
    expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item.size).toBe(bytes.length);
    expect(item.custodian).toBe('alice');

    app.time.advance(minutes(5));
    const viewed = await app.evidence.view(item.id, { actor: 'bob', purpose: 'triage' });
    expect(viewed.text).toBeNull();
    app.time.advance(minutes(5));
    const downloaded = await app.evidence.download(item.id, { actor: 'bob', purpose: 'forensic copy' });
    expect(await readAll(downloaded.stream)).toEqual(bytes);
    app.time.advance(minutes(5));
    const moved = await app.evidence.transfer(item.id, 'carol', 'handed to forensics', { actor: 'alice' });
    expect(moved.custodian).toBe('carol');

    const types = (await app.incidents.timeline(incidentId)).map((e) => e.type).filter((t) => t.startsWith('evidence_'));
    expect(types).toEqual(['evidence_added', 'evidence_accessed', 'evidence_accessed', 'evidence_transferred']);

    const report = await app.evidence.custody(item.id);
    expect(report.entries.map((e) => [e.action, e.actor, e.custodian])).toEqual([
      ['collected', 'alice', 'alice'],
      ['viewed', 'bob', 'alice'],
      ['downloaded', 'bob', 'alice'],
      ['transferred', 'alice', 'carol'],
    ]);
    expect(report.entries[3]!.detail).toBe('alice → carol: handed to forensics');
    expect(report.custodian).toBe('carol');
  });

  it('keeps text and link evidence and shows text inline on a view', async () => {
    const excerpt = await app.evidence.addText(incidentId, { kind: 'text', text: 'Feb 3 sshd: Accepted publickey for deploy' }, { description: 'auth.log excerpt', source: 'bastion', collector: 'dave' }, { actor: 'alice' });
    expect(excerpt.collector).toBe('dave');
    expect(excerpt.recordedBy).toBe('alice');
    app.time.advance(minutes(1));
    const link = await app.evidence.addText(incidentId, { kind: 'link', text: 'https://github.com/example/repo/commit/abc' }, { description: 'offending commit', source: 'GitHub' }, { actor: 'alice' });
    expect((await app.evidence.view(excerpt.id, { actor: 'bob' })).text).toBe('Feb 3 sshd: Accepted publickey for deploy');
    expect((await app.evidence.list(incidentId)).map((e) => e.id)).toEqual([excerpt.id, link.id]);
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    await expect(app.evidence.addText(incidentId, { kind: 'link', text: 'javascript:alert(1)' }, { description: 'x', source: 'y' }, { actor: 'a' })).rejects.toMatchObject({
      code: 'FB_ERR_INPUT_INVALID',
      fields: [{ path: 'text' }],
    });
    await expect(app.evidence.addText(incidentId, { kind: 'text', text: 'x' }, { description: ' ', source: 'y' }, { actor: 'a' })).rejects.toMatchObject({
      fields: [{ path: 'description' }],
    });
    await expect(app.evidence.addText('INC-2026-9999', { kind: 'text', text: 'x' }, { description: 'd', source: 's' }, { actor: 'a' })).rejects.toMatchObject({ code: 'FB_ERR_INCIDENT_NOT_FOUND' });
    await expect(app.evidence.transfer('EV-NOPE', 'x', 'y', { actor: 'a' })).rejects.toMatchObject({ code: 'FB_ERR_EVIDENCE_NOT_FOUND' });
    expect(await app.evidence.list(incidentId)).toEqual([]);
  });

  it('refuses an upload over the size limit and leaves nothing behind', async () => {
    const small = await createTestApp();
    try {
      const limited = await import('../../../src/app/evidence-service.js');
      const service = new limited.EvidenceService(small.store, small.incidents, small.evidence.storage, 10);
      const r = await small.incidents.report('iec62443-platform', { type: 'report', title: 't', reporter: { anonymous: true } }, { actor: 'a' });
      await expect(service.addFile(r.state.id, Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), { description: 'd', source: 's' }, { actor: 'a' })).rejects.toMatchObject({
        code: 'FB_ERR_EVIDENCE_TOO_LARGE',
        kind: 'too_large',
      });
      expect(await service.list(r.state.id)).toEqual([]);
      expect((await small.incidents.timeline(r.state.id)).length).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('verify re-hashes stored bytes and names the item whose file changed by one byte', async () => {
    const item = await app.evidence.addFile(incidentId, Readable.from([Buffer.from('original log line\n')]), { description: 'registry access log', source: 'registry' }, { actor: 'alice' });
    let [verdict] = await app.incidents.verify([incidentId]);
    expect(verdict!.problems).toEqual([]);

    const path = (app.evidence.storage as FsEvidenceStorage).pathOf(item.sha256);
    const bytes = readFileSync(path);
    bytes[0] = bytes[0]! ^ 1;
    chmodSync(path, 0o600);
    writeFileSync(path, bytes);

    [verdict] = await app.incidents.verify([incidentId]);
    expect(verdict!.verdict.ok).toBe(true);
    expect(verdict!.problems).toHaveLength(1);
    expect(verdict!.problems[0]).toContain(`evidence ${item.id} ("registry access log"): stored bytes changed`);
  });

  it('stores identical bytes once, content-addressed under ab/cd/<sha256>', async () => {
    const a = await app.evidence.addText(incidentId, { kind: 'text', text: 'same' }, { description: 'first', source: 's' }, { actor: 'a' });
    const b = await app.evidence.addText(incidentId, { kind: 'text', text: 'same' }, { description: 'second', source: 's' }, { actor: 'a' });
    expect(a.sha256).toBe(b.sha256);
    const path = (app.evidence.storage as FsEvidenceStorage).pathOf(a.sha256);
    expect(path).toMatch(new RegExp(`evidence/${a.sha256.slice(0, 2)}/${a.sha256.slice(2, 4)}/${a.sha256}$`));
  });
});
