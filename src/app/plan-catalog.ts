/**
 * The plans Firebreak runs: the built-in ones in `plans/`, any extra directory the
 * operator names, and every version ever stored (incidents pin the version they started
 * under). Loading validates each file and refuses to change a stored version in place.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirebreakError } from '../domain/errors.js';
import { parsePlanText } from '../domain/plan/plan-parse.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import { canonicalDigest } from '../domain/chain/canonical-json.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import { findPlanByFileHash, findStoredPlan, insertPlan } from '../store/plan-store.js';
import type { Store } from '../store/store.js';
import { PACKAGE_ROOT } from './package-root.js';
import type { TimeSource } from './time-source.js';

export const BUILT_IN_PLANS_DIR = join(PACKAGE_ROOT, 'plans');

export interface PlanFileProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export function planHash(plan: Plan): string {
  return canonicalDigest(plan);
}

function fileHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The `*.yaml`/`*.yml` files of a plan directory, sorted. */
export function planFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => join(dir, name));
}

export interface LoadedPlanFile {
  readonly plan: Plan;
  readonly file: string;
  readonly fileHash: string;
}

/** Reads and validates plan files, collecting every problem of every file. */
export function readPlanFiles(files: readonly string[]): { plans: LoadedPlanFile[]; problems: PlanFileProblem[] } {
  const plans: LoadedPlanFile[] = [];
  const problems: PlanFileProblem[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const result = parsePlanText(text);
    if (result.ok) plans.push({ plan: result.plan, file, fileHash: fileHash(text) });
    else problems.push(...result.problems.map((p) => ({ file, ...p })));
  }
  return { plans, problems };
}

export class PlanCatalog {
  private readonly cache = new Map<string, Plan>();
  private readonly latest = new Map<string, Plan>();
  /** Things an operator should know about the loaded plans (printed at start-up). */
  readonly warnings: string[] = [];

  constructor(
    private readonly store: Store,
    private readonly time: TimeSource,
  ) {}

  /**
   * Loads plan files into the store. A file whose exact text was loaded before is taken
   * from the store without validating it again, which keeps CLI start-up fast.
   */
  async load(dirs: readonly string[] = [BUILT_IN_PLANS_DIR]): Promise<void> {
    for (const dir of dirs) {
      const known: Plan[] = [];
      const unknownFiles: string[] = [];
      for (const file of planFiles(dir)) {
        const plan = await findPlanByFileHash(this.store.db, fileHash(readFileSync(file, 'utf8')));
        if (plan) known.push(plan);
        else unknownFiles.push(file);
      }
      for (const plan of known) {
        this.cache.set(`${plan.id}@${plan.version}`, plan);
        this.latest.set(plan.id, plan);
      }
      if (unknownFiles.length === 0) continue;
      const { plans, problems } = readPlanFiles(unknownFiles);
      if (problems.length > 0) {
        throw new FirebreakError(
          'FB_ERR_PLAN_INVALID',
          `plan files in ${dir} are invalid:\n${problems.map((p) => `  ${p.file}: ${p.path || '(file)'}: ${p.message}`).join('\n')}`,
          problems.map((p) => ({ path: p.path, message: `${p.file}: ${p.message}` })),
        );
      }
      for (const loaded of plans) await this.register(loaded.plan, loaded.file, loaded.fileHash);
    }
  }

  /**
   * Stores a plan version. A file whose content changed without a new version is kept
   * as `<version>+<hash>` rather than refused, so a server never fails to start over an
   * edit, and incidents pinned to the old content keep running by it.
   */
  async register(plan: Plan, source: string | null, sourceHash: string | null = null): Promise<Plan> {
    const hash = planHash(plan);
    const stored = await findStoredPlan(this.store.db, plan.id, plan.version);
    let registered = plan;
    if (stored && stored.contentHash !== hash) {
      registered = { ...plan, version: `${plan.version}+${hash.slice(0, 8)}` };
      this.warnings.push(`plan ${plan.id} ${plan.version} changed without a new version; stored as ${registered.version}`);
      if (!(await findStoredPlan(this.store.db, plan.id, registered.version))) {
        await insertPlan(this.store.db, registered, { content: hash, file: sourceHash }, source, this.time.now().toISOString());
      }
    } else if (!stored) {
      await insertPlan(this.store.db, plan, { content: hash, file: sourceHash }, source, this.time.now().toISOString());
    }
    this.cache.set(`${registered.id}@${registered.version}`, registered);
    this.latest.set(registered.id, registered);
    return registered;
  }

  /** The version of each plan loaded from its file now. */
  list(): Plan[] {
    return [...this.latest.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A plan by id, at a pinned version or the newest. */
  /** `db` lets a caller inside a transaction read through it (SQLite has one connection). */
  async get(id: string, version?: string, db: Kysely<Database> | Transaction<Database> = this.store.db): Promise<Plan> {
    if (version === undefined) {
      const plan = this.latest.get(id);
      if (!plan) throw new FirebreakError('FB_ERR_PLAN_NOT_FOUND', `no plan "${id}"; known plans: ${[...this.latest.keys()].join(', ') || 'none'}`, [{ path: 'plan', message: `unknown plan "${id}"` }]);
      return plan;
    }
    const key = `${id}@${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const stored = await findStoredPlan(db, id, version);
    if (!stored) throw new FirebreakError('FB_ERR_PLAN_NOT_FOUND', `no plan "${id}" version ${version}`);
    this.cache.set(key, stored.plan);
    return stored.plan;
  }
}
