import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, leafHash, treeRoot, verifyConsistency, verifyInclusion } from './merkle-tree.js';

/**
 * The eight leaves and roots of the Certificate Transparency reference tests
 * (certificate-transparency merkle_tree_test / transparency-dev merkle testonly), which
 * every RFC 9162 implementation reproduces.
 */
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const hashes = CT_LEAVES.map(leafHash);

describe('treeRoot', () => {
  it('gives SHA-256 of nothing for the empty tree', () => {
    expect(treeRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('reproduces the Certificate Transparency reference roots for 1 to 8 leaves', () => {
    expect(CT_ROOTS.map((_, i) => treeRoot(hashes.slice(0, i + 1)).toString('hex'))).toEqual(CT_ROOTS);
  });
});

describe('inclusion proofs', () => {
  it('gives the reference audit path of leaf 0 in the tree of 8', () => {
    expect(inclusionProof(hashes, 0).map((h) => h.toString('hex'))).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('verifies for every leaf of every tree and fails for any other leaf, index or root', () => {
    fc.assert(
      // Distinct leaves, so that a proof for one index cannot also be one for another.
      fc.property(fc.uniqueArray(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 40, selector: (d) => Buffer.from(d).toString('hex') }), fc.nat(), (data, pick) => {
        const leaves = data.map(leafHash);
        const index = pick % leaves.length;
        const root = treeRoot(leaves);
        const proof = inclusionProof(leaves, index);
        expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, root)).toBe(true);
        expect(verifyInclusion(leafHash(Buffer.from('not a leaf')), index, leaves.length, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, leafHash(Buffer.from('other root')))).toBe(false);
        if (leaves.length > 1) expect(verifyInclusion(leaves[index]!, (index + 1) % leaves.length, leaves.length, proof, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('consistency proofs', () => {
  it('gives the reference proof between the trees of 6 and 8', () => {
    expect(consistencyProof(hashes, 6).map((h) => h.toString('hex'))).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('verifies for every prefix of every tree and fails when a leaf of the prefix changed', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 8 }), { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat(), (data, a, b) => {
        const leaves = data.map(leafHash);
        const oldSize = 1 + (a % leaves.length);
        const proof = consistencyProof(leaves, oldSize);
        const oldRoot = treeRoot(leaves.slice(0, oldSize));
        const newRoot = treeRoot(leaves);
        expect(verifyConsistency(oldSize, leaves.length, oldRoot, newRoot, proof)).toBe(true);
        const changed = [...leaves];
        changed[b % oldSize] = leafHash(Buffer.from('rewritten'));
        if (!changed[b % oldSize]!.equals(leaves[b % oldSize]!)) {
          expect(verifyConsistency(oldSize, leaves.length, treeRoot(changed.slice(0, oldSize)), newRoot, proof)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
