/**
 * The incident response plan as data. A plan file (YAML) is parsed, then validated by
 * `PlanSchema`: shape first, then the cross-references a person gets wrong (a checklist
 * naming a role that does not exist, two severities with one id). Every error carries the
 * path into the file (`phases[2].checklist[0].role`) so the author can find it.
 *
 * The same schema is exported as JSON Schema to `plans/plan.schema.json` for editors.
 */
import { z } from 'zod';
import { expandRegulatoryEntry, findRegulatoryEntry, REGULATORY_LIBRARY } from '../regulatory/library.js';
import { type Duration, parseDuration } from '../time/duration.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const Id = z
  .string()
  .regex(ID_PATTERN, 'must be letters, digits, "-" or "_", starting with a letter or digit')
  .max(64);

/** A duration written as people write it; validated here, parsed again where it is used. */
export const DurationText = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  })
  .describe('A duration such as 10m, 4h, 72h, 5 business days, 2w, 3 months, quarterly');

const Text = z.string().trim().min(1);

export const SeveritySchema = z.object({
  id: Id.describe('Short id used in commands, e.g. P1 or high'),
  name: Text,
  description: Text,
  examples: z.array(Text).default([]),
  ackWithin: DurationText.describe('How soon a report of this severity must be acknowledged'),
  respondWithin: DurationText.describe('How soon the response must start (an Incident Commander assigned)'),
  sitrepEvery: DurationText.optional().describe('Cadence of situation reports while the incident is active'),
  disruption: Text.optional().describe('What disruption to normal work this severity justifies'),
  notify: z.array(Id).default([]).describe('Audiences told when an incident of this severity is declared'),
});

export const CategorySchema = z.object({
  id: Id,
  name: Text,
  description: Text.optional(),
  examples: z.array(Text).default([]),
});

export const RoleSchema = z.object({
  id: Id,
  name: Text,
  duties: z.array(Text).min(1),
  requiredFrom: Id.optional().describe(
    'The least severe severity id at which this role must be filled; omit when never required',
  ),
  commander: z.boolean().default(false).describe('True for the role that leads the response (Incident Commander)'),
  communications: z.boolean().default(false).describe('True for the role that owns sitreps and outward messages'),
});

export const ChecklistItemSchema = z.object({
  id: Id,
  text: Text,
  role: Id.optional().describe('The role that owns the item'),
  required: z.boolean().default(false).describe('Must be done before the incident may leave this phase'),
  appliesTo: z
    .array(Id)
    .optional()
    .describe('Severity ids this item applies to; omit when it applies to every severity'),
  due: z
    .record(z.string(), DurationText)
    .optional()
    .describe('Due offset per severity id (or "default"), counted from when the incident was declared'),
  gates: z
    .array(z.enum(['advisory-publish']))
    .default([])
    .describe('Actions refused while this item is open, e.g. publishing an advisory'),
});

export const PhaseSchema = z.object({
  id: Id,
  name: Text,
  description: Text.optional(),
  checklist: z.array(ChecklistItemSchema).default([]),
});

export const EscalationSchema = z.object({
  after: DurationText.describe('Escalate to the next level when an acknowledgement is this late'),
  path: z.array(Id).min(1).describe('Role ids in the order they are escalated to (each level waits `after`; a vacant role falls through to the next); the fallback when `policy` is not defined on the server'),
  policy: Id.optional().describe(
    'An escalation policy defined on the server (`firebreak policies`): levels of on-call schedules, users and roles with their own waits, level 1 paged the moment an event is reported. When set, it replaces `path`; `path` is used only while the policy is missing',
  ),
});

export const ClocksSchema = z.object({
  triageWithin: DurationText.describe('How long an event may wait before it is confirmed or dismissed'),
  escalation: EscalationSchema,
  shiftMax: DurationText.optional().describe('Longest time one person should hold a role before a handoff'),
  retrospectiveDue: DurationText.describe('Post-incident review due this long after resolution (or closure)'),
  retrospectiveFrom: z.enum(['resolved', 'closed']).default('resolved'),
  planReview: DurationText.optional(),
  tabletop: DurationText.optional(),
  contactVerification: DurationText.optional(),
});

const TRIGGER = /^(reported|declared|flag:[a-z0-9_-]+)$/;
/** A regulatory stage may also start from the filing of another stage. */
const STAGE_START = /^(reported|declared|flag:[a-z0-9_-]+|filed:[a-z0-9][a-z0-9_-]*)$/;
const STAGE_START_MESSAGE = 'must be "reported", "declared", "flag:<name>" or "filed:<stage id>"';

const RegulatoryContentSchema = z.object({ id: Id, label: Text, citation: Text.optional() });

export const RegulatoryClockSchema = z.object({
  id: Id,
  name: Text,
  regulation: Text.describe('e.g. GDPR Art. 33'),
  citation: Text.optional().describe('The provision setting this stage, e.g. NIS2 Art. 23(4)(d)'),
  authority: Text.optional(),
  trigger: z
    .string()
    .regex(STAGE_START, STAGE_START_MESSAGE)
    .describe('What starts the clock: reported, declared, a flag such as flag:personal-data, or filed:<stage> (the latest filing of another stage)'),
  within: DurationText.optional().describe('The deadline; leave out where the text sets none ("without undue delay", "on request")'),
  notLaterThan: z
    .object({ within: DurationText, trigger: z.string().regex(STAGE_START, STAGE_START_MESSAGE) })
    .optional()
    .describe('A second limit; the stage is due at whichever comes first (DORA: 4 h from classification, no later than 24 h from awareness)'),
  follows: Id.optional().describe('The stage that must be filed before this one'),
  repeatable: z.boolean().default(false).describe('May be filed more than once (intermediate reports, amendments)'),
  regime: Id.optional().describe('Groups the stages of one regime; defaults to the clock id'),
  role: Id.optional().describe('The role that prepares and files it; reminders go to it'),
  remindBefore: z.array(DurationText).optional().describe('Remind the role this long before the deadline, e.g. [12h, 2h]'),
  library: z.object({ entry: Id, version: z.string(), checkedOn: z.string(), inForce: z.boolean() }).optional(),
  content: z.array(RegulatoryContentSchema).default([]).describe('What the report must contain'),
  description: Text.optional(),
});

type RegulatoryClockInput = z.infer<typeof RegulatoryClockSchema>;

/** A reference to the built-in library (`src/domain/regulatory/library.ts`) by id, pinning its version. */
export const RegulatoryReferenceSchema = z
  .object({
    use: z.string().describe(`Library entry: ${REGULATORY_LIBRARY.map((e) => `${e.id} (version ${e.version})`).join(', ')}`),
    version: z.string().optional().describe('The library version the plan was written against; a newer entry fails the plan until it is re-pinned'),
    trigger: z.string().regex(TRIGGER, 'must be "reported", "declared" or "flag:<name>"').optional(),
    role: Id.optional(),
    remindBefore: z.array(DurationText).optional(),
  })
  .strict();

/** Explicit entries stay as written; library references expand to one clock per stage. */
const RegulatoryListSchema = z
  .array(z.union([RegulatoryReferenceSchema, RegulatoryClockSchema]))
  .default([])
  .transform((entries, ctx) =>
    entries.flatMap((entry, index) => {
      if (!('use' in entry)) return [entry as RegulatoryClockInput];
      const found = findRegulatoryEntry(entry.use);
      if (!found) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'use'],
          message: `unknown library entry "${entry.use}"; known: ${REGULATORY_LIBRARY.map((e) => e.id).join(', ')}`,
        });
        return [];
      }
      if (entry.version !== undefined && entry.version !== found.version) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'version'],
          message: `the plan pins ${found.id} version ${entry.version}, but the library holds version ${found.version} (checked ${found.checkedOn}); review the entry and pin it`,
        });
        return [];
      }
      return expandRegulatoryEntry(found, entry.trigger).map((clock): RegulatoryClockInput => ({
        ...clock,
        content: [...clock.content],
        ...(entry.role ? { role: entry.role } : {}),
        ...(entry.remindBefore ? { remindBefore: entry.remindBefore } : {}),
      }));
    }),
  );

export const ChannelSchema = z.object({
  id: Id,
  kind: z.enum(['webhook', 'slack', 'teams', 'mattermost', 'email', 'other']),
  target: Text.optional().describe('Where it goes (webhook URL, mailbox); secrets belong in server config'),
  description: Text.optional(),
});

export const AudienceSchema = z.object({
  id: Id,
  name: Text,
  description: Text.optional(),
  channels: z.array(Id).default([]),
});

export const TemplateSchema = z.object({
  subject: Text.optional(),
  body: Text,
  audience: Id.optional(),
  reviewBeforeSend: z.boolean().default(false),
});

export const REQUIRED_TEMPLATES = [
  'broadcast',
  'sitrep',
  'internalNotification',
  'externalDisclosure',
  'advisory',
  'postIncidentReport',
] as const;

export const TemplatesSchema = z
  .object({
    broadcast: TemplateSchema,
    sitrep: TemplateSchema,
    internalNotification: TemplateSchema,
    externalDisclosure: TemplateSchema,
    advisory: TemplateSchema,
    postIncidentReport: TemplateSchema,
  })
  .catchall(TemplateSchema);

export const PlanObjectSchema = z.object({
  id: Id,
  version: z.string().regex(/^\d+(\.\d+){0,2}$/, 'must be a version like 1, 1.2 or 1.2.3'),
  name: Text,
  description: Text,
  source: Text.optional().describe('The document this plan encodes'),
  timeZone: z.string().default('UTC'),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')).default([]),
  severities: z.array(SeveritySchema).min(1).describe('Most severe first'),
  categories: z.array(CategorySchema).default([]),
  roles: z.array(RoleSchema).min(1),
  phases: z.array(PhaseSchema).min(1).describe('In the order the response moves through them'),
  clocks: ClocksSchema,
  regulatory: RegulatoryListSchema,
  channels: z.array(ChannelSchema).default([]),
  audiences: z.array(AudienceSchema).default([]),
  templates: TemplatesSchema,
  advisory: z
    .object({
      idPattern: Text.describe('e.g. ESA-{year}-{seq:3}'),
    })
    .optional(),
  warRoom: z
    .boolean()
    .default(false)
    .describe('Incidents are restricted to their members by default (need-to-know)'),
});

type Issue = { path: (string | number)[]; message: string };

function duplicateIds(items: readonly { id: string }[], base: string): Issue[] {
  const seen = new Map<string, number>();
  const issues: Issue[] = [];
  items.forEach((item, index) => {
    const key = item.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ path: [base, index, 'id'], message: `duplicate id "${item.id}" (also ${base}[${first}])` });
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}

type PlanShape = z.infer<typeof PlanObjectSchema>;

/** Cross-reference checks that a shape-only schema cannot express. */
export function crossReferenceIssues(plan: PlanShape): Issue[] {
  const issues: Issue[] = [
    ...duplicateIds(plan.severities, 'severities'),
    ...duplicateIds(plan.categories, 'categories'),
    ...duplicateIds(plan.roles, 'roles'),
    ...duplicateIds(plan.phases, 'phases'),
    ...duplicateIds(plan.regulatory, 'regulatory'),
    ...duplicateIds(plan.channels, 'channels'),
    ...duplicateIds(plan.audiences, 'audiences'),
  ];
  const roleIds = new Set(plan.roles.map((r) => r.id));
  const severityIds = new Set(plan.severities.map((s) => s.id));
  const channelIds = new Set(plan.channels.map((c) => c.id));
  const audienceIds = new Set(plan.audiences.map((a) => a.id));
  const itemIds = new Map<string, string>();

  plan.roles.forEach((role, r) => {
    if (role.requiredFrom && !severityIds.has(role.requiredFrom)) {
      issues.push({ path: ['roles', r, 'requiredFrom'], message: `unknown severity "${role.requiredFrom}"` });
    }
  });
  if (plan.roles.filter((r) => r.commander).length !== 1) {
    issues.push({ path: ['roles'], message: 'exactly one role must have commander: true (the Incident Commander)' });
  }
  plan.phases.forEach((phase, p) => {
    phase.checklist.forEach((item, i) => {
      const at = ['phases', p, 'checklist', i];
      if (item.role && !roleIds.has(item.role)) {
        issues.push({ path: [...at, 'role'], message: `unknown role "${item.role}"` });
      }
      item.appliesTo?.forEach((severity, n) => {
        if (!severityIds.has(severity)) issues.push({ path: [...at, 'appliesTo', n], message: `unknown severity "${severity}"` });
      });
      for (const key of Object.keys(item.due ?? {})) {
        if (key !== 'default' && !severityIds.has(key)) {
          issues.push({ path: [...at, 'due', key], message: `unknown severity "${key}"` });
        }
      }
      const other = itemIds.get(item.id);
      if (other) issues.push({ path: [...at, 'id'], message: `duplicate checklist item id "${item.id}" (also in ${other})` });
      else itemIds.set(item.id, `phase ${phase.id}`);
    });
  });
  const regulatoryIds = new Set(plan.regulatory.map((r) => r.id));
  plan.regulatory.forEach((clock, r) => {
    const at = ['regulatory', r];
    for (const [field, start] of [['trigger', clock.trigger], ['notLaterThan', clock.notLaterThan?.trigger]] as const) {
      if (start?.startsWith('filed:') && !regulatoryIds.has(start.slice('filed:'.length))) {
        issues.push({ path: [...at, field], message: `${clock.id} starts from "${start}", which is not a regulatory stage of this plan` });
      }
    }
    if (clock.follows && (!regulatoryIds.has(clock.follows) || clock.follows === clock.id)) {
      issues.push({ path: [...at, 'follows'], message: `${clock.id} follows "${clock.follows}", which is not another regulatory stage of this plan` });
    }
    if (clock.role && !roleIds.has(clock.role)) issues.push({ path: [...at, 'role'], message: `unknown role "${clock.role}"` });
  });
  plan.clocks.escalation.path.forEach((role, i) => {
    if (!roleIds.has(role)) issues.push({ path: ['clocks', 'escalation', 'path', i], message: `unknown role "${role}"` });
  });
  plan.severities.forEach((severity, s) => {
    severity.notify.forEach((audience, i) => {
      if (!audienceIds.has(audience)) {
        issues.push({ path: ['severities', s, 'notify', i], message: `unknown audience "${audience}"` });
      }
    });
  });
  plan.audiences.forEach((audience, a) => {
    audience.channels.forEach((channel, i) => {
      if (!channelIds.has(channel)) {
        issues.push({ path: ['audiences', a, 'channels', i], message: `unknown channel "${channel}"` });
      }
    });
  });
  for (const [name, template] of Object.entries(plan.templates)) {
    if (template.audience && !audienceIds.has(template.audience)) {
      issues.push({ path: ['templates', name, 'audience'], message: `unknown audience "${template.audience}"` });
    }
  }
  if (!isKnownTimeZone(plan.timeZone)) {
    issues.push({ path: ['timeZone'], message: `unknown time zone "${plan.timeZone}"` });
  }
  return issues;
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const PlanSchema = PlanObjectSchema.superRefine((plan, ctx) => {
  for (const issue of crossReferenceIssues(plan)) ctx.addIssue({ code: 'custom', ...issue });
});

export type Plan = z.infer<typeof PlanSchema>;
export type Severity = Plan['severities'][number];
export type Role = Plan['roles'][number];
export type Phase = Plan['phases'][number];
export type ChecklistItem = Phase['checklist'][number];
export type RegulatoryClock = z.infer<typeof RegulatoryClockSchema>;
export type PlanTemplate = z.infer<typeof TemplateSchema>;

// Plans hold a few dozen duration texts, read for every clock of every incident shown.
const planDurations = new Map<string, Duration>();

/** Parses a duration already validated by the schema. */
export function planDuration(text: string): Duration {
  const known = planDurations.get(text);
  if (known) return known;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unvalidated duration in plan: ${parsed.error}`);
  if (planDurations.size >= 10_000) planDurations.clear();
  planDurations.set(text, parsed.duration);
  return parsed.duration;
}
