/**
 * Built-in regulatory notification deadlines a plan can reference by id instead of
 * writing them out (`regulatory: [{ use: gdpr-art33, trigger: flag:personal-data }]`).
 * Each entry expands to one plan clock per deadline; a multi-stage regime (NIS2, DORA)
 * gives one clock per stage, with ids `<entry>-<stage>`.
 *
 * The deadlines are counted from the trigger the plan names (by default a flag a
 * responder sets when the condition is established). Where a regulation counts a later
 * stage from an earlier filing (NIS2 final report, DORA intermediate and final reports),
 * this library counts every stage from the same trigger: an upper bound that starts the
 * clock early rather than late. Not legal advice; check each text.
 */

export interface RegulatoryDeadline {
  /** Appended to the entry id to make the clock id; empty for single-stage entries. */
  readonly stage: string;
  readonly name: string;
  readonly within: string;
  /** Overrides the entry's trigger for this stage (e.g. DORA's 24 h from detection). */
  readonly trigger?: string;
  readonly description?: string;
}

export interface RegulatoryLibraryEntry {
  readonly id: string;
  readonly regulation: string;
  readonly authority: string;
  /** What starts the clock unless the plan says otherwise. */
  readonly trigger: string;
  readonly deadlines: readonly RegulatoryDeadline[];
}

export const REGULATORY_LIBRARY: readonly RegulatoryLibraryEntry[] = [
  {
    id: 'gdpr-art33',
    regulation: 'GDPR Art. 33',
    authority: 'Lead supervisory authority',
    trigger: 'flag:personal-data',
    deadlines: [{ stage: '', name: 'Personal data breach notification', within: '72h', description: 'Without undue delay and, where feasible, within 72 hours of becoming aware.' }],
  },
  {
    id: 'nis2-art23',
    regulation: 'NIS2 Art. 23',
    authority: 'CSIRT or competent authority',
    trigger: 'flag:significant-incident',
    deadlines: [
      { stage: 'early-warning', name: 'NIS2 early warning', within: '24h', description: 'Within 24 hours of becoming aware of the significant incident.' },
      { stage: 'notification', name: 'NIS2 incident notification', within: '72h', description: 'Within 72 hours of becoming aware, with an initial assessment.' },
      { stage: 'final-report', name: 'NIS2 final report', within: '1 month', description: 'Within one month of the incident notification (counted here from awareness).' },
    ],
  },
  {
    id: 'sec-8k-105',
    regulation: 'SEC Form 8-K Item 1.05',
    authority: 'U.S. Securities and Exchange Commission',
    trigger: 'flag:material',
    deadlines: [{ stage: '', name: 'Form 8-K Item 1.05 filing', within: '4 business days', description: 'Four business days after determining the incident is material.' }],
  },
  {
    id: 'dora-major-ict',
    regulation: 'DORA Art. 19 (major ICT-related incident)',
    authority: 'Competent authority (financial supervisor)',
    trigger: 'flag:major-ict-incident',
    deadlines: [
      { stage: 'initial', name: 'DORA initial notification (after classification)', within: '4h', description: 'Within 4 hours of classifying the incident as major.' },
      { stage: 'initial-detection', name: 'DORA initial notification (after detection)', within: '24h', trigger: 'reported', description: 'And no later than 24 hours after detection.' },
      { stage: 'intermediate', name: 'DORA intermediate report', within: '72h', description: 'Within 72 hours of the initial notification (counted here from classification).' },
      { stage: 'final', name: 'DORA final report', within: '1 month', description: 'Within one month of the intermediate report (counted here from classification).' },
    ],
  },
  {
    id: 'hipaa-breach',
    regulation: 'HIPAA Breach Notification Rule (45 CFR 164.404)',
    authority: 'Affected individuals and HHS',
    trigger: 'flag:phi-breach',
    deadlines: [{ stage: '', name: 'HIPAA breach notification', within: '60d', description: 'Without unreasonable delay and no later than 60 calendar days after discovery.' }],
  },
  {
    id: 'circia',
    regulation: 'CIRCIA (6 U.S.C. 681b)',
    authority: 'CISA',
    trigger: 'flag:covered-incident',
    deadlines: [
      { stage: 'incident', name: 'CIRCIA covered cyber incident report', within: '72h', description: 'Within 72 hours of reasonably believing a covered incident occurred.' },
      { stage: 'ransom', name: 'CIRCIA ransom payment report', within: '24h', trigger: 'flag:ransom-paid', description: 'Within 24 hours of making a ransom payment.' },
    ],
  },
];

export function findRegulatoryEntry(id: string): RegulatoryLibraryEntry | undefined {
  return REGULATORY_LIBRARY.find((e) => e.id === id);
}

export interface ExpandedRegulatoryClock {
  readonly id: string;
  readonly name: string;
  readonly regulation: string;
  readonly authority: string;
  readonly trigger: string;
  readonly within: string;
  readonly description?: string;
}

/** The plan clocks a library reference stands for; `trigger` replaces the entry's default. */
export function expandRegulatoryEntry(entry: RegulatoryLibraryEntry, trigger?: string): ExpandedRegulatoryClock[] {
  return entry.deadlines.map((d) => ({
    id: d.stage ? `${entry.id}-${d.stage}` : entry.id,
    name: d.name,
    regulation: entry.regulation,
    authority: entry.authority,
    trigger: d.trigger ?? trigger ?? entry.trigger,
    within: d.within,
    ...(d.description ? { description: d.description } : {}),
  }));
}
