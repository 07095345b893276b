/**
 * The provable record as a use case: make a signed checkpoint over every chain's head,
 * append it to the checkpoint log and hand it to the witnesses; check the store against
 * a checkpoint (one given by an auditor, or the last one witnessed) and name each incident
 * whose log no longer extends what was signed; remember the last self-check for the
 * dashboard and /metrics.
 */
import { verifyAdvisoryChain } from '../../domain/advisory/advisory-chain.js';
import type { ChainVerdict } from '../../domain/chain/hash-chain.js';
import { FirebreakError } from '../../domain/errors.js';
import type { ChainLeaf } from '../../domain/record/chain-leaf.js';
import {
  type CheckpointFile,
  CheckpointFormatError,
  checkpointBody,
  checkpointFileText,
  checkpointOf,
  leavesMatch,
  parseCheckpointFile,
  signatureLine,
  signedBy,
  leafHashes,
  type VerifierKey,
  verifierKeyText,
} from '../../domain/record/checkpoint.js';
import { leafText, orderLeaves } from '../../domain/record/chain-leaf.js';
import { inclusionProof } from '../../domain/record/merkle-tree.js';
import { canonicalJson } from '../../domain/chain/canonical-json.js';
import { loadEvents } from '../../store/incident-store.js';
import { loadAdvisoryEvents } from '../../store/advisory-store.js';
import { appendCheckpoint, eventHashAt, latestCheckpoint, loadChainHeads, loadPlanContent, planContentHash, type StoredCheckpoint } from '../../store/checkpoint-store.js';
import type { Store } from '../../store/store.js';
import type { IncidentService } from '../incident-service.js';
import type { TimeSource } from '../time-source.js';
import type { CheckpointKeyring } from './checkpoint-key.js';

/** One thing that no longer matches a checkpoint, named as precisely as the store allows. */
export interface RecordProblem {
  /** `incident INC-…`, `advisory ESA-…`, `plan id@version`, or `checkpoint`. */
  readonly chain: string;
  /** The incident concerned (for a plan: each incident that ran under it). */
  readonly incidentId?: string;
  /** The first missing or different event, when one can be named. */
  readonly seq?: number;
  readonly reason: string;
}

export interface CheckpointVerdict {
  readonly ok: boolean;
  readonly origin: string;
  readonly size: number;
  readonly root: string;
  /** The `time` extension line, when present. */
  readonly time?: string;
  /** Names of the keys whose signature checked out. */
  readonly signedBy: readonly string[];
  readonly problems: readonly RecordProblem[];
}

/** Where a new checkpoint goes besides the log: append-only files, webhooks, mail, other instances. */
export interface CheckpointWitness {
  readonly name: string;
  publish(checkpoint: { seq: number; createdAt: string; text: string }): Promise<void>;
}

/** The last scheduled self-check, for the dashboard and the `firebreak_record_mismatch` gauge. */
export interface SelfCheck {
  readonly at: string;
  readonly checkpointSeq: number | null;
  readonly ok: boolean;
  readonly problems: readonly RecordProblem[];
}

export class RecordService {
  private readonly witnesses: CheckpointWitness[] = [];
  private last: SelfCheck | undefined;

  constructor(
    private readonly store: Store,
    private readonly incidents: IncidentService,
    readonly keyring: CheckpointKeyring,
    private readonly time: TimeSource,
  ) {}

  addWitness(witness: CheckpointWitness): void {
    this.witnesses.push(witness);
  }

  /** The chain heads as stored now, in no particular order (checkpoints sort them). */
  async leaves(): Promise<ChainLeaf[]> {
    return loadChainHeads(this.store.db);
  }

  /**
   * Signs and appends a checkpoint when any chain head moved since the last one (or when
   * there is none yet), then publishes it to every witness. Returns the latest checkpoint.
   */
  async checkpoint(): Promise<{ checkpoint: StoredCheckpoint; created: boolean }> {
    const made = await this.store.transaction(async (trx) => {
      const leaves = await loadChainHeads(trx);
      const previous = await latestCheckpoint(trx);
      // Never sign over a store that no longer extends the last checkpoint: that would
      // launder a cut or a rewrite into a new, valid-looking checkpoint.
      const refused = previous ? await extensionProblems(trx, parseCheckpointFile(previous.text).leaves, leaves) : [];
      if (refused.length > 0) {
        this.last = { at: this.time.now().toISOString(), checkpointSeq: previous!.seq, ok: false, problems: refused };
        throw new FirebreakError('FB_ERR_CHECKPOINT_DIVERGED', `the store no longer extends checkpoint ${previous!.seq}: ${refused.map((p) => `${p.chain}: ${p.reason}`).join('; ')}`);
      }
      const key = this.keyring.signing;
      const createdAt = this.time.now().toISOString();
      const checkpoint = checkpointOf(key.name, leaves, [`time ${createdAt}`]);
      const root = checkpoint.root.toString('base64');
      if (previous && previous.root === root && previous.tree_size === checkpoint.size) return { checkpoint: previous, created: false };
      const body = checkpointBody(checkpoint);
      const text = checkpointFileText(body, [signatureLine(body, key.name, key.privateKey, key.publicKey)], leaves);
      const row: StoredCheckpoint = { seq: (previous?.seq ?? 0) + 1, created_at: createdAt, tree_size: checkpoint.size, root, key_id: key.keyId.toString('hex'), text };
      await appendCheckpoint(trx, row);
      return { checkpoint: row, created: true };
    });
    if (made.created) {
      const { seq, created_at: createdAt, text } = made.checkpoint;
      // A witness that is down must not stop the record: each one is tried, the first failure reported.
      const failures: unknown[] = [];
      for (const witness of this.witnesses) await witness.publish({ seq, createdAt, text }).catch((error: unknown) => failures.push(error));
      if (failures.length > 0) throw new AggregateError(failures, `checkpoint ${seq} was stored but ${failures.length} witness(es) refused it`);
    }
    return made;
  }

  async latest(): Promise<StoredCheckpoint | undefined> {
    return latestCheckpoint(this.store.db);
  }

  /** Checks the store against a checkpoint file's text; `keys` defaults to this instance's keys. */
  async verifyCheckpoint(text: string, keys: readonly VerifierKey[] = this.keyring.verifierKeys): Promise<CheckpointVerdict> {
    const file = parseOrRefuse(text);
    const problems: RecordProblem[] = [];
    const signers = signedBy(file, keys).map((k) => k.name);
    if (signers.length === 0) problems.push({ chain: 'checkpoint', reason: 'no signature on it verifies with the given public keys' });
    if (!leavesMatch(file)) {
      problems.push({ chain: 'checkpoint', reason: `its ${file.leaves.length} leaf lines do not rebuild the signed tree of ${file.checkpoint.size} with root ${file.checkpoint.root.toString('base64')}` });
    } else {
      for (const leaf of file.leaves) problems.push(...(await this.checkLeaf(leaf)));
    }
    return verdictOf(file, signers, problems);
  }

  /**
   * The offline bundle of one incident (docs/bundles.md): its events, the plan version it
   * ran under, a fresh checkpoint's signed note, inclusion proofs of the incident's head and
   * of the plan version, and the signing public key, as canonical JSON and a newline, so
   * that tools/verify-bundle.mjs can check it with no database and any changed byte shows.
   */
  async bundle(incidentId: string): Promise<string> {
    const { checkpoint } = await this.checkpoint();
    const [body, signatures] = checkpoint.text.split('\n\n') as [string, string];
    const file = parseCheckpointFile(checkpoint.text);
    const leaves = orderLeaves(file.leaves);
    const hashes = leafHashes(leaves);
    const proofOf = (kind: ChainLeaf['kind'], id: string) => {
      const index = leaves.findIndex((l) => l.kind === kind && l.id === id);
      if (index < 0) throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `no ${kind} ${id} in checkpoint ${checkpoint.seq}`);
      return { leaf: leaves[index]!, proof: { leaf: leafText(leaves[index]!), index, path: inclusionProof(hashes, index).map((h) => h.toString('base64')) } };
    };
    const incident = proofOf('incident', incidentId);
    const events = (await loadEvents(this.store.db, incidentId)).slice(0, incident.leaf.size);
    const reported = events[0];
    if (reported?.type !== 'reported') throw new FirebreakError('FB_ERR_INCIDENT_NOT_FOUND', `incident ${incidentId} has no reported event`);
    const { planId, planVersion } = reported.data;
    const plan = proofOf('plan', `${planId}@${planVersion}`);
    const signer = this.keyring.verifierKeys.find((k) => file.signatures.some((s) => s.keyId.equals(k.keyId) && s.name === k.name));
    if (!signer) throw new Error(`checkpoint ${checkpoint.seq} is signed by no key this instance knows`);
    const bundle = {
      format: 'firebreak-bundle/1',
      incidentId,
      events: events.map((e) => ({ incidentId: e.incidentId, seq: e.seq, type: e.type, data: e.data, occurredAt: e.occurredAt, recordedAt: e.recordedAt, actor: e.actor, prevHash: e.prevHash, hash: e.hash })),
      plan: { id: planId, version: planVersion, content: await loadPlanContent(this.store.db, planId, planVersion) },
      checkpoint: `${body}\n\n${signatures}\n`,
      proofs: [incident.proof, plan.proof],
      publicKey: verifierKeyText(signer.name, signer.publicKey),
    };
    return `${canonicalJson(bundle)}\n`;
  }

  /** The scheduled self-check: the store against the given (witnessed) checkpoint, else the last one in the log. */
  async selfCheck(witnessed?: { seq: number; text: string }): Promise<SelfCheck> {
    const against = witnessed ?? (await this.latest()) ?? undefined;
    const at = this.time.now().toISOString();
    if (!against) {
      this.last = { at, checkpointSeq: null, ok: true, problems: [] };
      return this.last;
    }
    const verdict = await this.verifyCheckpoint(against.text);
    this.last = { at, checkpointSeq: against.seq, ok: verdict.ok, problems: verdict.problems };
    return this.last;
  }

  /**
   * Every `intervalMs`: a checkpoint when the store moved (refused, and reported, when it
   * no longer extends the last one); every `selfCheckEvery`-th time also the full check of
   * the store against the last witnessed checkpoint. Returns the function that stops it.
   */
  startCheckpoints(intervalMs: number, options: { selfCheckEvery: number; witnessed?: () => Promise<{ seq: number; text: string } | undefined>; report: (problem: string) => void }): () => void {
    if (intervalMs <= 0) return () => {};
    let ticks = 0;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        if (ticks++ % Math.max(1, options.selfCheckEvery) === 0) {
          const check = await this.selfCheck(await options.witnessed?.());
          if (!check.ok) options.report(`the store does not match checkpoint ${check.checkpointSeq}: ${check.problems.map((p) => `${p.chain}: ${p.reason}`).join('; ')}`);
          if (!check.ok) return;
        }
        await this.checkpoint();
      } catch (error) {
        options.report(error instanceof Error ? error.message : String(error));
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), intervalMs);
    timer.unref();
    void tick();
    return () => clearInterval(timer);
  }

  /** The last self-check, if one ran. */
  get lastSelfCheck(): SelfCheck | undefined {
    return this.last;
  }

  private async checkLeaf(leaf: ChainLeaf): Promise<RecordProblem[]> {
    const chain = `${leaf.kind} ${leaf.id}`;
    if (leaf.kind === 'incident') {
      const found = await this.incidents.verifyOne(leaf.id).catch((error: unknown) => {
        if (error instanceof FirebreakError && error.code === 'FB_ERR_INCIDENT_NOT_FOUND') return undefined;
        throw error;
      });
      if (!found) return [{ chain, incidentId: leaf.id, seq: 1, reason: `missing from the store: the checkpoint covers ${leaf.size} events, none remain` }];
      const { verdict, events } = found;
      const problems = headProblems(chain, leaf, verdict.verdict, events).map((p) => ({ ...p, incidentId: leaf.id }));
      if (verdict.verdict.ok && !verdict.projectionMatches && problems.length === 0) problems.push({ chain, incidentId: leaf.id, reason: 'its stored state differs from a replay of its log' });
      for (const reason of verdict.problems) problems.push({ chain, incidentId: leaf.id, reason });
      return problems;
    }
    if (leaf.kind === 'advisory') {
      const events = await loadAdvisoryEvents(this.store.db, leaf.id);
      if (events.length === 0) return [{ chain, seq: 1, reason: `missing from the store: the checkpoint covers ${leaf.size} events, none remain` }];
      return headProblems(chain, leaf, verifyAdvisoryChain(leaf.id, events), events);
    }
    const at = leaf.id.lastIndexOf('@');
    const [planId, version] = [leaf.id.slice(0, at), leaf.id.slice(at + 1)];
    const content = await loadPlanContent(this.store.db, planId, version);
    const reason = content === undefined ? 'this plan version is missing from the store' : planContentHash(content) !== leaf.head ? 'the stored content of this plan version differs from the checkpoint' : undefined;
    if (!reason) return [];
    const pinned = await this.store.db.selectFrom('incidents').select('id').where('plan_id', '=', planId).where('plan_version', '=', version).orderBy('id').execute();
    return [{ chain, reason }, ...pinned.map((r) => ({ chain, incidentId: r.id, reason: `ran under plan ${leaf.id}: ${reason}` }))];
  }
}

/**
 * The cheap check made before every new checkpoint: each chain of the previous checkpoint
 * is still there, no shorter, and its event at the old size still has the old head. One
 * indexed read per chain that grew; the full walk is `verifyCheckpoint`.
 */
async function extensionProblems(db: Parameters<typeof eventHashAt>[0], previous: readonly ChainLeaf[], now: readonly ChainLeaf[]): Promise<RecordProblem[]> {
  const current = new Map(now.map((leaf) => [`${leaf.kind} ${leaf.id}`, leaf]));
  const problems: RecordProblem[] = [];
  for (const old of previous) {
    const chain = `${old.kind} ${old.id}`;
    const named = old.kind === 'incident' ? { incidentId: old.id } : {};
    const leaf = current.get(chain);
    if (!leaf) problems.push({ chain, ...named, seq: 1, reason: `missing from the store: the checkpoint covers ${old.size} events, none remain` });
    else if (leaf.size < old.size) problems.push({ chain, ...named, seq: leaf.size + 1, reason: `event #${leaf.size + 1} is missing: the log ends at #${leaf.size}, the checkpoint covers #${old.size}` });
    else if (leaf.size === old.size ? leaf.head !== old.head : old.kind !== 'plan' && (await eventHashAt(db, old.kind, old.id, old.size)) !== old.head) {
      problems.push({ chain, ...named, seq: old.size, reason: `event #${old.size} differs from the checkpoint (it, or an event before it, was rewritten and re-hashed)` });
    }
  }
  return problems;
}

/** Whether a chain read from the store still verifies and passes through the checkpoint's head. */
function headProblems(chain: string, leaf: ChainLeaf, verdict: ChainVerdict, events: readonly { seq: number; hash: string }[]): RecordProblem[] {
  if (!verdict.ok) return [{ chain, seq: verdict.seq, reason: `event #${verdict.seq}: ${verdict.reason}` }];
  if (events.length < leaf.size) {
    return [{ chain, seq: events.length + 1, reason: `event #${events.length + 1} is missing: the log ends at #${events.length}, the checkpoint covers #${leaf.size}` }];
  }
  if (events[leaf.size - 1]!.hash !== leaf.head) {
    return [{ chain, seq: leaf.size, reason: `event #${leaf.size} differs from the checkpoint (it, or an event before it, was rewritten and re-hashed)` }];
  }
  return [];
}

function parseOrRefuse(text: string): CheckpointFile {
  try {
    return parseCheckpointFile(text);
  } catch (error) {
    if (!(error instanceof CheckpointFormatError)) throw error;
    throw new FirebreakError('FB_ERR_CHECKPOINT_INVALID', `not a checkpoint file: ${error.message}`, [{ path: 'checkpoint', message: error.message }]);
  }
}

function verdictOf(file: CheckpointFile, signers: string[], problems: RecordProblem[]): CheckpointVerdict {
  const time = file.checkpoint.extensions.find((l) => l.startsWith('time '))?.slice(5);
  return {
    ok: problems.length === 0,
    origin: file.checkpoint.origin,
    size: file.checkpoint.size,
    root: file.checkpoint.root.toString('base64'),
    ...(time ? { time } : {}),
    signedBy: signers,
    problems,
  };
}
