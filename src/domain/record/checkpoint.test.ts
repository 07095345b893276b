import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChainLeaf } from './chain-leaf.js';
import { checkpointBody, checkpointFileText, checkpointOf, leavesMatch, parseCheckpointFile, parseVerifierKey, signatureLine, signedBy, verifierKeyText } from './checkpoint.js';

const keys = generateKeyPairSync('ed25519');
const leaves: ChainLeaf[] = [
  { kind: 'incident', id: 'INC-2026-0002', size: 3, head: 'b'.repeat(64) },
  { kind: 'advisory', id: 'ESA-2026-001', size: 2, head: 'c'.repeat(64) },
  { kind: 'incident', id: 'INC-2026-0001', size: 7, head: 'a'.repeat(64) },
  { kind: 'plan', id: 'nist@1.0.0', size: 1, head: 'd'.repeat(64) },
];

function signedFile(origin = 'firebreak.example.org/record'): string {
  const body = checkpointBody(checkpointOf(origin, leaves, ['time 2026-12-07T12:00:00.000Z']));
  return checkpointFileText(body, [signatureLine(body, origin, keys.privateKey, keys.publicKey)], leaves);
}

describe('checkpoint files', () => {
  it('are written as signed-note text: origin, size, base64 root, extensions, blank line, em-dash signature, then leaf lines in tree order', () => {
    const lines = signedFile().split('\n');
    expect(lines.slice(0, 2)).toEqual(['firebreak.example.org/record', '4']);
    expect(Buffer.from(lines[2]!, 'base64')).toHaveLength(32);
    expect(lines[3]).toBe('time 2026-12-07T12:00:00.000Z');
    expect(lines[4]).toBe('');
    expect(lines[5]).toMatch(/^\u2014 firebreak\.example\.org\/record [A-Za-z0-9+/]{91}=$/);
    expect(lines.slice(6)).toEqual([
      '',
      `leaf advisory ESA-2026-001 2 ${'c'.repeat(64)}`,
      `leaf incident INC-2026-0001 7 ${'a'.repeat(64)}`,
      `leaf incident INC-2026-0002 3 ${'b'.repeat(64)}`,
      `leaf plan nist@1.0.0 1 ${'d'.repeat(64)}`,
      '',
    ]);
  });

  it('read back with a valid signature and leaves that rebuild the root', () => {
    const file = parseCheckpointFile(signedFile());
    const key = parseVerifierKey(verifierKeyText('firebreak.example.org/record', keys.publicKey));
    expect(signedBy(file, [key])).toHaveLength(1);
    expect(leavesMatch(file)).toBe(true);
    expect(file.checkpoint.extensions).toEqual(['time 2026-12-07T12:00:00.000Z']);
  });

  it('fail the signature when any byte of the signed body changes, and the root when any leaf line changes', () => {
    const text = signedFile();
    const key = parseVerifierKey(verifierKeyText('firebreak.example.org/record', keys.publicKey));
    const bodyEnd = text.indexOf('\n\n');
    fc.assert(
      fc.property(fc.nat({ max: bodyEnd - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bytes = Buffer.from(text, 'utf8');
        bytes[at] = bytes[at]! ^ flip;
        let file: ReturnType<typeof parseCheckpointFile>;
        try {
          file = parseCheckpointFile(bytes.toString('utf8'));
        } catch {
          return; // refused as malformed: also a failure to verify
        }
        expect(signedBy(file, [key])).toEqual([]);
      }),
    );
    const cut = text.replace(`leaf incident INC-2026-0002 3 ${'b'.repeat(64)}\n`, `leaf incident INC-2026-0002 2 ${'b'.repeat(64)}\n`);
    expect(leavesMatch(parseCheckpointFile(cut))).toBe(false);
  });

  it('does not accept a signature from another key or under another name', () => {
    const other = generateKeyPairSync('ed25519');
    const file = parseCheckpointFile(signedFile());
    expect(signedBy(file, [parseVerifierKey(verifierKeyText('firebreak.example.org/record', other.publicKey))])).toEqual([]);
    expect(signedBy(file, [parseVerifierKey(verifierKeyText('someone-else', keys.publicKey))])).toEqual([]);
  });

  it('refuses a malformed file naming the line', () => {
    expect(() => parseCheckpointFile('origin\nx\nroot\n\n')).toThrow(/line 2/);
    expect(() => parseCheckpointFile(`origin\n1\n${Buffer.alloc(32).toString('base64')}\n\n`)).toThrow(/no signature/);
    expect(() => parseVerifierKey('name+00000000+AAAA')).toThrow(/not an Ed25519 key/);
  });
});
