/**
 * Routing rules: which plan an alert runs under, what severity to propose to triage, or
 * which open incident it belongs to. Rules are tried in order; the first whose every
 * given condition matches decides, and whatever it leaves out falls back to the ingest
 * source's own plan. Pure: the rules and the alert come in, a decision goes out.
 */
import type { NormalisedAlert } from './alert.js';

export interface RoutingMatch {
  /** The ingest source's name or the alert's source (`github:dependabot_alert`); glob. */
  readonly source?: string | null;
  /** The source's severity word, case-insensitive; glob. */
  readonly severityLabel?: string | null;
  /** `owner/name`, case-insensitive; glob. */
  readonly repository?: string | null;
  /** File path in the repository; glob (`*` within a directory, `**` across them). */
  readonly path?: string | null;
}

export interface RoutingAction {
  readonly plan?: string | null;
  readonly severity?: string | null;
  /** Attach matching alerts as a note to this open incident instead of opening new work. */
  readonly attachTo?: string | null;
}

export interface RoutingRule {
  readonly id: number;
  readonly match: RoutingMatch;
  readonly action: RoutingAction;
}

export interface RouteDecision {
  readonly ruleId: number | null;
  readonly planId: string;
  readonly proposedSeverity: string | null;
  readonly attachTo: string | null;
}

const globCache = new Map<string, RegExp>();

/** `*` matches within one path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regexp = new RegExp(`^${pattern}$`, 'i');
  globCache.set(glob, regexp);
  return regexp;
}

function matches(glob: string | null | undefined, ...values: (string | null | undefined)[]): boolean {
  if (glob === null || glob === undefined || glob === '') return true;
  const regexp = globToRegExp(glob);
  return values.some((v) => v !== null && v !== undefined && regexp.test(v));
}

export function ruleMatches(rule: RoutingRule, alert: NormalisedAlert, ingestSource: string): boolean {
  const m = rule.match;
  return (
    matches(m.source, ingestSource, alert.source) &&
    matches(m.severityLabel, alert.severityLabel) &&
    matches(m.repository, alert.resource.repository) &&
    matches(m.path, alert.resource.path)
  );
}

export function routeAlert(alert: NormalisedAlert, ingestSource: string, defaultPlan: string, rules: readonly RoutingRule[]): RouteDecision {
  const rule = rules.find((r) => ruleMatches(r, alert, ingestSource));
  if (!rule) return { ruleId: null, planId: defaultPlan, proposedSeverity: null, attachTo: null };
  return {
    ruleId: rule.id,
    planId: rule.action.plan || defaultPlan,
    proposedSeverity: rule.action.severity || null,
    attachTo: rule.action.attachTo || null,
  };
}
