/** The provable record: Merkle trees over every chain's head, and signed checkpoints of them. */
export * from './chain-leaf.js';
export * from './checkpoint.js';
export * from './merkle-tree.js';
