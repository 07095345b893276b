/**
 * The directory Firebreak is installed in (the one holding its package.json), found by
 * walking up from this module: the same answer from the sources, the compiled `dist/`
 * tree and the bundled CLI, so built-in plans and web assets are always found.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'firebreak') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Firebreak's package.json above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
