#!/usr/bin/env node
/**
 * Checks a Firebreak incident bundle with nothing but Node's built-ins: no database, no
 * Firebreak code. Copy this one file anywhere and run
 *
 *   node verify-bundle.mjs BUNDLE.json [--key '<name>+<key id>+<key>']
 *
 * Exit 0: the bundle is intact, its events form an unbroken hash chain, the checkpoint is
 * signed by the key, and the incident's head and its plan version are in the signed tree.
 * Exit 1: it is not (the reason is printed). The format is in docs/bundles.md.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** Keys sorted by UTF-16 code units, no white space, undefined members dropped. */
function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value).sort().filter((k) => value[k] !== undefined);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

function strictBase64(text, what) {
  const bytes = Buffer.from(String(text), 'base64');
  if (bytes.toString('base64') !== text) throw new Error(`${what} is not standard base64`);
  return bytes;
}

function parseVerifierKey(line) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(String(line).trim());
  if (!m) throw new Error('the public key is not <name>+<key id>+<key>');
  const raw = strictBase64(m[3], 'the public key');
  if (raw.length !== 33 || raw[0] !== 0x01) throw new Error('the public key is not an Ed25519 key');
  const keyId = sha256(Buffer.from(m[1], 'utf8'), Buffer.from([0x0a, 0x01]), raw.subarray(1)).subarray(0, 4);
  if (keyId.toString('hex') !== m[2]) throw new Error('the public key id does not match the key');
  return { name: m[1], keyId, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.subarray(1).toString('base64url') }, format: 'jwk' }) };
}

/** RFC 9162 §2.1.3.2. */
function verifyInclusion(leaf, index, size, path, root) {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(Buffer.from([0x01]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = sha256(Buffer.from([0x01]), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** Throws naming the first thing wrong; returns a one-line summary when all is well. */
export function verifyBundle(bytes, options = {}) {
  const text = Buffer.from(bytes).toString('utf8');
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch {
    throw new Error('the bundle is not JSON');
  }
  if (!Buffer.from(`${canonicalJson(bundle)}\n`, 'utf8').equals(Buffer.from(bytes))) throw new Error('the bundle is not in canonical form (it was edited)');
  if (bundle.format !== 'firebreak-bundle/1') throw new Error(`unknown bundle format ${JSON.stringify(bundle.format)}`);
  const { incidentId, events, plan, checkpoint, proofs } = bundle;

  // The signed checkpoint note.
  const key = parseVerifierKey(bundle.publicKey);
  if (options.key !== undefined && parseVerifierKey(options.key).publicKey.export({ format: 'jwk' }).x !== key.publicKey.export({ format: 'jwk' }).x) {
    throw new Error('the bundle is signed with another key than the one given');
  }
  const split = String(checkpoint).indexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no signature');
  const body = checkpoint.slice(0, split + 1);
  const [origin, sizeText, rootText] = body.split('\n');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText ?? '')) throw new Error('the checkpoint tree size is not a number');
  const size = Number(sizeText);
  const root = strictBase64(rootText, 'the checkpoint root');
  const signatures = checkpoint.slice(split + 2).split('\n').filter((l) => l !== '');
  const signed = signatures.some((line) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== key.name) return false;
    const raw = strictBase64(m[2], 'a signature');
    return raw.length === 68 && raw.subarray(0, 4).equals(key.keyId) && verify(null, Buffer.from(body, 'utf8'), key.publicKey, raw.subarray(4));
  });
  if (!signed) throw new Error(`the checkpoint of ${origin} is not signed by ${key.name}`);

  // The incident's hash chain.
  if (!Array.isArray(events) || events.length === 0) throw new Error('the bundle has no events');
  let prev = '0'.repeat(64);
  events.forEach((e, i) => {
    if (e.incidentId !== incidentId) throw new Error(`event #${i + 1} belongs to ${e.incidentId}`);
    if (e.seq !== i + 1) throw new Error(`expected event #${i + 1}, found #${e.seq}`);
    if (e.prevHash !== prev) throw new Error(`event #${e.seq}: its previous-hash does not match the event before it`);
    const content = { incidentId: e.incidentId, seq: e.seq, type: e.type, data: e.data, occurredAt: e.occurredAt, recordedAt: e.recordedAt, actor: e.actor, prevHash: e.prevHash };
    if (sha256(canonicalJson(content)).toString('hex') !== e.hash) throw new Error(`event #${e.seq}: its content does not match its hash`);
    prev = e.hash;
  });
  const reported = events[0];
  if (reported.type !== 'reported' || reported.data.planId !== plan.id || reported.data.planVersion !== plan.version) throw new Error('the plan in the bundle is not the one the incident started under');

  // The incident's head and its plan version are leaves of the signed tree.
  const expected = [`incident ${incidentId} ${events.length} ${prev}`, `plan ${plan.id}@${plan.version} 1 ${sha256(canonicalJson(plan.content)).toString('hex')}`];
  if (!Array.isArray(proofs) || proofs.length !== expected.length) throw new Error('the bundle needs one inclusion proof for the incident and one for its plan');
  proofs.forEach((proof, i) => {
    if (proof.leaf !== expected[i]) throw new Error(`proof ${i + 1} is for "${proof.leaf}", expected "${expected[i]}"`);
    const leafHash = sha256(Buffer.from([0x00]), Buffer.from(proof.leaf, 'utf8'));
    const path = proof.path.map((p, j) => strictBase64(p, `proof ${i + 1} step ${j + 1}`));
    if (!verifyInclusion(leafHash, proof.index, size, path, root)) throw new Error(`"${proof.leaf}" is not in the signed tree of ${size}`);
  });
  return `ok: ${incidentId}, ${events.length} events, head ${prev.slice(0, 16)}…, in the checkpoint of ${origin} (${size} chains) signed by ${key.name}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, flag, key] = process.argv.slice(2);
  if (!file || (flag !== undefined && (flag !== '--key' || !key))) {
    process.stderr.write('usage: node verify-bundle.mjs BUNDLE.json [--key <verifier key>]\n');
    process.exit(2);
  }
  try {
    process.stdout.write(`${verifyBundle(readFileSync(file), key ? { key } : {})}\n`);
  } catch (error) {
    process.stdout.write(`BROKEN: ${error.message}\n`);
    process.exit(1);
  }
}
