/**
 * The instance's checkpoint signing key: Ed25519, made on first use in the data directory
 * (`checkpoint-key.pem`, owner-only 0600) with its public half appended to
 * `checkpoint-keys.pub` (one C2SP verifier key a line, newest last). Rotating writes a
 * new private key and appends its public key; old public keys stay, so checkpoints signed
 * before a rotation still verify. The private key is never logged or served.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile, appendFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { keyIdOf, parseVerifierKey, type VerifierKey, verifierKeyText } from '../../domain/record/checkpoint.js';

export interface SigningKey {
  readonly name: string;
  readonly keyId: Buffer;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export const PRIVATE_KEY_FILE = 'checkpoint-key.pem';
export const PUBLIC_KEYS_FILE = 'checkpoint-keys.pub';

/** The key name (and checkpoint origin) a new instance uses: the setting, else firebreak-<host name>. */
export function defaultKeyName(env: NodeJS.ProcessEnv = process.env): string {
  const name = env['FIREBREAK_CHECKPOINT_ORIGIN']?.trim() || `firebreak-${hostname()}`;
  if (!/^[\x21-\x2a\x2c-\x7e]+$/.test(name)) throw new Error(`FIREBREAK_CHECKPOINT_ORIGIN: "${name}" must be printable ASCII without spaces or '+'`);
  return name;
}

export class CheckpointKeyring {
  private constructor(
    private readonly dir: string,
    private current: SigningKey,
    private known: VerifierKey[],
  ) {}

  /** Opens the keyring in `dir`, creating the first key when there is none. */
  static async open(dir: string, name: string = defaultKeyName()): Promise<CheckpointKeyring> {
    await mkdir(dir, { recursive: true });
    let pem: string | undefined;
    try {
      pem = await readFile(join(dir, PRIVATE_KEY_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (pem === undefined) return CheckpointKeyring.create(dir, name, []);
    const known = await readVerifierKeys(dir);
    const privateKey = createPrivateKey(pem);
    const publicKey = createPublicKey(privateKey);
    const mine = [...known].reverse().find((k) => k.publicKey.equals(publicKey));
    const keyName = mine?.name ?? name;
    if (!mine) {
      await appendFile(join(dir, PUBLIC_KEYS_FILE), `${verifierKeyText(keyName, publicKey)}\n`);
      known.push(parseVerifierKey(verifierKeyText(keyName, publicKey)));
    }
    return new CheckpointKeyring(dir, { name: keyName, keyId: keyIdOf(keyName, publicKey), privateKey, publicKey }, known);
  }

  private static async create(dir: string, name: string, known: VerifierKey[]): Promise<CheckpointKeyring> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const path = join(dir, PRIVATE_KEY_FILE);
    // Written beside and renamed, so a crash never leaves half a key; 0600 from the start.
    await writeFile(`${path}.new`, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    await chmod(`${path}.new`, 0o600);
    const line = verifierKeyText(name, publicKey);
    await appendFile(join(dir, PUBLIC_KEYS_FILE), `${line}\n`, { mode: 0o644 });
    await rename(`${path}.new`, path);
    return new CheckpointKeyring(dir, { name, keyId: keyIdOf(name, publicKey), privateKey, publicKey }, [...known, parseVerifierKey(line)]);
  }

  /** The key new checkpoints are signed with. */
  get signing(): SigningKey {
    return this.current;
  }

  /** Every public key this instance has signed with, oldest first. */
  get verifierKeys(): readonly VerifierKey[] {
    return this.known;
  }

  /** The verifier key lines, oldest first (what the well-known URL serves). */
  verifierKeyLines(): string[] {
    return this.known.map((k) => verifierKeyText(k.name, k.publicKey));
  }

  /** A new signing key under the same name; the old public key stays for old checkpoints. */
  async rotate(): Promise<SigningKey> {
    const next = await CheckpointKeyring.create(this.dir, this.current.name, this.known);
    this.current = next.current;
    this.known = next.known;
    return this.current;
  }
}

/** The verifier keys in `<dir>/checkpoint-keys.pub` (none when the file is missing). */
export async function readVerifierKeys(dir: string): Promise<VerifierKey[]> {
  let text = '';
  try {
    text = await readFile(join(dir, PUBLIC_KEYS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return text.split('\n').filter((l) => l.trim() !== '').map(parseVerifierKey);
}
