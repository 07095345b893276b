/**
 * Escalation policies: who is paged, in what order, while nobody acknowledges.
 *
 * A policy is levels; each level names targets (a schedule's current on-call person or
 * everyone on it, a user, or a plan role) and how long to wait for an acknowledgement
 * before the next level. The whole policy may repeat. Level 1 is paged the moment an
 * event is reported. A level whose targets reach nobody — a vacant role, a schedule in a
 * gap — falls through to the next level at once instead of notifying nobody.
 *
 * A plan's role path (`clocks.escalation.path`) is the same thing written shorter: one
 * level per role, each waiting `clocks.escalation.after`.
 * Pure: who holds what and who is on call arrive as arguments.
 */
import { z } from 'zod';
import { parseDuration } from '../time/duration.js';

export type EscalationTarget =
  | { readonly schedule: string; readonly mode: 'on-call' | 'everyone' }
  | { readonly user: string }
  | { readonly role: string };

export interface PolicyLevel {
  readonly targets: readonly EscalationTarget[];
  /** How long this level has to acknowledge before the next is paged, e.g. `10m`. */
  readonly wait: string;
}

export interface EscalationPolicy {
  readonly id: string;
  readonly name: string;
  readonly levels: readonly PolicyLevel[];
  /** How many more times the whole policy runs after the first pass (0 = once). */
  readonly repeat: number;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

/** Waits are elapsed time: minutes or hours, at most a day. */
export function waitMs(text: string): number | undefined {
  const parsed = parseDuration(text);
  if (!parsed.ok) return undefined;
  const { amount, unit } = parsed.duration;
  const ms = unit === 'minute' ? amount * 60_000 : unit === 'hour' ? amount * 3_600_000 : undefined;
  return ms !== undefined && ms >= 60_000 && ms <= 86_400_000 ? ms : undefined;
}

const TargetSchema = z.union([
  z.object({ schedule: z.string().regex(SLUG, 'must be a schedule id (lower-case letters, digits, -)'), mode: z.enum(['on-call', 'everyone']).default('on-call') }).strict(),
  z.object({ user: z.string().regex(HANDLE, 'must be a user handle') }).strict(),
  z.object({ role: z.string().regex(SLUG, 'must be a role id') }).strict(),
]);

export const EscalationPolicySchema = z
  .object({
    id: z.string().regex(SLUG, 'must be lower-case letters, digits and -, e.g. security-primary'),
    name: z.string().trim().min(1, 'must not be empty').max(200),
    levels: z
      .array(
        z
          .object({
            targets: z.array(TargetSchema).min(1, 'a level must name at least one schedule, user or role'),
            wait: z.string().refine((w) => waitMs(w) !== undefined, 'must be a wait between 1m and 24h, e.g. 10m or 1h'),
          })
          .strict(),
      )
      .min(1, 'a policy needs at least one level')
      .max(20, 'at most 20 levels'),
    repeat: z.number().int().min(0).max(9).default(0),
  })
  .strict();

/** One page of the ladder: level `level` (1-based, within the pass) of pass `pass`. */
export interface EscalationStep {
  /** Position in the whole ladder, 1-based; the scheduler's key. */
  readonly step: number;
  readonly level: number;
  readonly pass: number;
  readonly at: string;
}

/** When each level of each pass is paged, starting at `start` (the report). */
export function escalationSteps(policy: Pick<EscalationPolicy, 'levels' | 'repeat'>, start: Date): EscalationStep[] {
  const steps: EscalationStep[] = [];
  let at = start.getTime();
  for (let pass = 1; pass <= policy.repeat + 1; pass += 1) {
    policy.levels.forEach((level, index) => {
      steps.push({ step: steps.length + 1, level: index + 1, pass, at: new Date(at).toISOString() });
      at += waitMs(level.wait) ?? 0;
    });
  }
  return steps;
}

/** What a target resolves to now: people, or why nobody. */
export type TargetAnswer = { readonly people: readonly string[] } | { readonly nobody: string };

export interface LevelResolution {
  /** The level whose people are paged (a later one when earlier ones reached nobody). */
  readonly level: number;
  readonly people: readonly string[];
  /** Levels passed over, with why each reached nobody. */
  readonly fellThrough: readonly { readonly level: number; readonly reason: string }[];
}

export function describeTarget(target: EscalationTarget): string {
  if ('schedule' in target) return target.mode === 'everyone' ? `everyone on ${target.schedule}` : `on call for ${target.schedule}`;
  if ('user' in target) return target.user;
  return `role ${target.role}`;
}

/**
 * The people level `level` reaches, falling through to later levels (not wrapping past
 * the last) while a level reaches nobody. Undefined when no level from there on reaches anyone.
 */
export function resolveLevel(
  levels: readonly PolicyLevel[],
  level: number,
  answer: (target: EscalationTarget) => TargetAnswer,
): LevelResolution | undefined {
  const fellThrough: { level: number; reason: string }[] = [];
  for (let index = level - 1; index < levels.length; index += 1) {
    const people = new Set<string>();
    const reasons: string[] = [];
    for (const target of levels[index]!.targets) {
      const found = answer(target);
      if ('people' in found) for (const person of found.people) people.add(person);
      else reasons.push(found.nobody);
    }
    if (people.size > 0) return { level: index + 1, people: [...people], fellThrough };
    fellThrough.push({ level: index + 1, reason: reasons.join('; ') || 'nobody' });
  }
  return undefined;
}

/** A plan role path as a policy: one level per role, each waiting `after`. */
export function rolePathPolicy(path: readonly string[], after: string): Pick<EscalationPolicy, 'levels' | 'repeat'> {
  return { levels: path.map((role) => ({ targets: [{ role }], wait: after })), repeat: 0 };
}
