import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './errors.js';

describe('error catalogue', () => {
  it('has stable, well-formed, documented codes', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^FB_ERR_[A-Z]+_[A-Z_]+$/);
      expect(entry.doc.length).toBeGreaterThan(10);
    }
  });

  it('has no duplicate codes (keys differing only in case)', () => {
    const codes = Object.keys(ERROR_CATALOGUE).map((c) => c.toUpperCase());
    expect(new Set(codes).size).toBe(codes.length);
  });
});
