/**
 * The checkpoint text format, modelled on C2SP signed-note and checkpoint
 * (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint), so that a Go
 * `golang.org/x/mod/sumdb/note` verifier or an auditor's own script can check ours:
 *
 *   <origin>\n <tree size>\n <base64 root>\n [<extension line>\n ...]   ← the signed body
 *   \n
 *   — <key name> <base64(key id (4 bytes) || Ed25519 signature (64 bytes))>\n   (one or more)
 *
 * Firebreak's checkpoint *file* adds, after the signature lines, a blank line and one
 * `leaf <kind> <id> <size> <head>` line per leaf in tree order. The leaves are not signed
 * themselves: the signed root commits to them, and anyone can rebuild it from them.
 * docs/checkpoints.md describes the format for auditors.
 *
 * Signing and checking are pure computations over given keys; reading keys is app/'s job.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { type ChainLeaf, leafText, orderLeaves, parseLeafText } from './chain-leaf.js';
import { leafHash, treeRoot } from './merkle-tree.js';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
  /** Extension lines, e.g. `time 2026-12-07T12:00:00.000Z`; opaque to generic verifiers. */
  readonly extensions: readonly string[];
}

export interface NoteSignature {
  readonly name: string;
  /** First four bytes of SHA-256(name || 0x0A || 0x01 || public key), as signed-note defines. */
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

export interface CheckpointFile {
  /** The exact signed bytes. */
  readonly body: string;
  readonly checkpoint: Checkpoint;
  readonly signatures: readonly NoteSignature[];
  /** Empty when the file carries no leaf lines (e.g. a note as a witness keeps it). */
  readonly leaves: readonly ChainLeaf[];
}

/** A public key with the name it signs under (a C2SP verifier key). */
export interface VerifierKey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: KeyObject;
}

const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_TYPE = 0x01;

/** The hex leaf hash of each leaf, in tree order. */
export function leafHashes(leaves: readonly ChainLeaf[]): Buffer[] {
  return orderLeaves(leaves).map((leaf) => leafHash(Buffer.from(leafText(leaf), 'utf8')));
}

/** The checkpoint over these chain leaves (sorted into tree order first). */
export function checkpointOf(origin: string, leaves: readonly ChainLeaf[], extensions: readonly string[] = []): Checkpoint {
  if (!origin || /[\n\s]/.test(origin)) throw new Error('a checkpoint origin is one word of printable text');
  for (const line of extensions) if (!line || line.includes('\n')) throw new Error(`an extension line cannot be empty or span lines: ${JSON.stringify(line)}`);
  return { origin, size: leaves.length, root: treeRoot(leafHashes(leaves)), extensions };
}

/** The signed body: origin, size, base64 root and extension lines, each ending in a newline. */
export function checkpointBody(checkpoint: Checkpoint): string {
  return [checkpoint.origin, String(checkpoint.size), checkpoint.root.toString('base64'), ...checkpoint.extensions].map((l) => `${l}\n`).join('');
}

/** The raw 32 bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('checkpoint keys are Ed25519');
  return Buffer.from(jwk.x, 'base64url');
}

/** signed-note's key id: SHA-256(name || "\n" || 0x01 || key)[0:4]. */
export function keyIdOf(name: string, publicKey: KeyObject): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ED25519_TYPE])).update(rawPublicKey(publicKey)).digest().subarray(0, 4);
}

/** The verifier key text `<name>+<hex key id>+<base64(0x01 || key)>`: what /.well-known/firebreak-checkpoint-key serves. */
export function verifierKeyText(name: string, publicKey: KeyObject): string {
  return `${name}+${keyIdOf(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), rawPublicKey(publicKey)]).toString('base64')}`;
}

/** Reads `verifierKeyText`; throws naming what is wrong. */
export function parseVerifierKey(text: string): VerifierKey {
  // The key's base64 may itself contain '+': only the first two separate fields.
  const match = /^([^+\s]+)\+([0-9a-fA-F]{8})\+(\S+)$/.exec(text.trim());
  if (!match) throw new Error(`a verifier key is <name>+<key id>+<key>, got ${JSON.stringify(text.trim().slice(0, 80))}`);
  const [, name, hexId, b64] = match as unknown as [string, string, string, string];
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519_TYPE) throw new Error(`verifier key ${name}: not an Ed25519 key`);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(1).toString('base64url') }, format: 'jwk' });
  const keyId = keyIdOf(name, publicKey);
  if (keyId.toString('hex') !== hexId.toLowerCase()) throw new Error(`verifier key ${name}: key id ${hexId} does not match the key`);
  return { name, keyId, publicKey };
}

/** One signature line for `body`, made with an Ed25519 private key. */
export function signatureLine(body: string, name: string, privateKey: KeyObject, publicKey: KeyObject): string {
  const signature = sign(null, Buffer.from(body, 'utf8'), privateKey);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([keyIdOf(name, publicKey), signature]).toString('base64')}\n`;
}

/** The checkpoint file: signed body, signature lines, then the leaf lines. */
export function checkpointFileText(body: string, signatureLines: readonly string[], leaves: readonly ChainLeaf[]): string {
  const leafLines = orderLeaves(leaves).map((leaf) => `leaf ${leafText(leaf)}\n`).join('');
  return `${body}\n${signatureLines.join('')}${leafLines ? `\n${leafLines}` : ''}`;
}

export class CheckpointFormatError extends Error {}

/** Parses a checkpoint file (or a bare signed note); throws CheckpointFormatError naming the line. */
export function parseCheckpointFile(text: string): CheckpointFile {
  const split = text.indexOf('\n\n');
  if (split < 0) throw new CheckpointFormatError('no blank line between the checkpoint and its signatures');
  const body = text.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin) throw new CheckpointFormatError('line 1: the origin is missing');
  if (!sizeText || !/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new CheckpointFormatError(`line 2: the tree size must be a whole number, got ${JSON.stringify(sizeText ?? '')}`);
  const root = Buffer.from(rootText ?? '', 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) throw new CheckpointFormatError('line 3: the root must be 32 bytes in standard base64');
  const rest = text.slice(split + 2).split('\n');
  const signatures: NoteSignature[] = [];
  let i = 0;
  for (; i < rest.length && rest[i] !== ''; i++) {
    const line = rest[i]!;
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    const raw = match ? Buffer.from(match[2]!, 'base64') : undefined;
    if (!match || !raw || raw.length < 5) throw new CheckpointFormatError(`signature line ${i + 1}: expected "— <name> <base64 key id and signature>"`);
    signatures.push({ name: match[1]!, keyId: raw.subarray(0, 4), signature: raw.subarray(4) });
  }
  if (signatures.length === 0) throw new CheckpointFormatError('the checkpoint has no signature line');
  const leaves: ChainLeaf[] = [];
  for (i += 1; i < rest.length; i++) {
    const line = rest[i]!;
    if (line === '' && i === rest.length - 1) break;
    const leaf = line.startsWith('leaf ') ? parseLeafText(line.slice(5)) : undefined;
    if (!leaf) throw new CheckpointFormatError(`leaf line ${leaves.length + 1}: expected "leaf <kind> <id> <size> <head>", got ${JSON.stringify(line.slice(0, 80))}`);
    leaves.push(leaf);
  }
  return { body, checkpoint: { origin, size: Number(sizeText), root, extensions }, signatures, leaves };
}

/** The keys (of those given) whose valid signature the note carries. */
export function signedBy(file: Pick<CheckpointFile, 'body' | 'signatures'>, keys: readonly VerifierKey[]): VerifierKey[] {
  const body = Buffer.from(file.body, 'utf8');
  return keys.filter((key) =>
    file.signatures.some((s) => s.name === key.name && s.keyId.equals(key.keyId) && s.signature.length === 64 && verify(null, body, key.publicKey, s.signature)),
  );
}

/** Whether the file's leaf lines rebuild exactly the signed size and root. */
export function leavesMatch(file: CheckpointFile): boolean {
  return file.leaves.length === file.checkpoint.size && treeRoot(leafHashes(file.leaves)).equals(file.checkpoint.root);
}
