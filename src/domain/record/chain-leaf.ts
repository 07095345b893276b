/**
 * What a checkpoint's Merkle tree is made of: one leaf per hash chain, naming the chain and
 * its head (how many entries, the last hash). A checkpoint therefore commits to every chain
 * at once, so a chain that later lacks its checkpointed head was cut, rewritten or removed.
 *
 * Leaf data (the bytes hashed as RFC 9162 leaf data) is the UTF-8 text
 * `<kind> <id> <size> <head>`, with head lower-case hex. Leaves are ordered by kind
 * (`advisory`, `incident`, `plan`), then by id in byte order, so anyone holding the same
 * chains builds the same tree.
 */

export const LEAF_KINDS = ['advisory', 'incident', 'plan'] as const;
export type LeafKind = (typeof LEAF_KINDS)[number];

export interface ChainLeaf {
  readonly kind: LeafKind;
  /** An incident or advisory id, or `planId@version` for a plan version's content. */
  readonly id: string;
  /** Entries in the chain at the checkpoint (events; 1 for a plan version). */
  readonly size: number;
  /** Hex SHA-256: the last event's hash, or the plan version's content hash. */
  readonly head: string;
}

const ID = /^[\x21-\x7e]+$/;
const HEAD = /^[0-9a-f]{64}$/;

/** The leaf's text, as hashed into the tree and written in a checkpoint file's leaf lines. */
export function leafText(leaf: ChainLeaf): string {
  if (!ID.test(leaf.id)) throw new Error(`a chain id must be printable ASCII without spaces: ${JSON.stringify(leaf.id)}`);
  if (!HEAD.test(leaf.head)) throw new Error(`a chain head must be 64 lower-case hex digits: ${leaf.head}`);
  if (!Number.isInteger(leaf.size) || leaf.size < 0) throw new Error(`a chain size must be a whole number: ${leaf.size}`);
  return `${leaf.kind} ${leaf.id} ${leaf.size} ${leaf.head}`;
}

/** Reads `leafText` back; undefined when the text is not a leaf. */
export function parseLeafText(text: string): ChainLeaf | undefined {
  const parts = text.split(' ');
  if (parts.length !== 4) return undefined;
  const [kind, id, size, head] = parts as [string, string, string, string];
  if (!(LEAF_KINDS as readonly string[]).includes(kind) || !ID.test(id) || !/^(0|[1-9][0-9]*)$/.test(size) || !HEAD.test(head)) return undefined;
  return { kind: kind as LeafKind, id, size: Number(size), head };
}

/** Byte order of ASCII ids, kind first: the one order every tree is built in. */
export function compareLeaves(a: ChainLeaf, b: ChainLeaf): number {
  const kind = LEAF_KINDS.indexOf(a.kind) - LEAF_KINDS.indexOf(b.kind);
  if (kind !== 0) return kind;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The leaves in tree order (a new array). */
export function orderLeaves(leaves: readonly ChainLeaf[]): ChainLeaf[] {
  return [...leaves].sort(compareLeaves);
}
