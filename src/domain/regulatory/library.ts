/**
 * Built-in regulatory reporting regimes a plan can reference by id instead of writing
 * them out (`regulatory: [{ use: cra-art14-vulnerability, version: 2026-12-07 }]`).
 * Each entry expands to one plan clock per stage, with ids `<entry>-<stage>`.
 *
 * A stage starts from the entry's trigger (a flag a responder sets when the condition is
 * established), from another fact (`flag:fix-available`), or from the filing of an earlier
 * stage (`filed:<stage>`): NIS2's final report runs one month from when the incident
 * notification *was submitted*, so an early or late notification moves it. Each entry
 * carries a version and the date its text was last checked against the regulation; a plan
 * pins the version it was written against, and a changed entry fails that plan loudly.
 * Where a detail is uncertain, the entry's `notes` say so. Not legal advice.
 */

/** One piece of content a stage's report must carry, with the provision requiring it. */
export interface RegulatoryContentItem {
  readonly id: string;
  readonly label: string;
  readonly citation: string;
}

export interface RegulatoryStage {
  /** Appended to the entry id to make the clock id; empty for single-stage entries. */
  readonly stage: string;
  readonly name: string;
  /** The provision that sets this stage's deadline and content. */
  readonly citation: string;
  /** The deadline; absent where the text sets none ("without undue delay", "on request"). */
  readonly within?: string;
  /**
   * What starts it: `trigger` (the entry's, or the plan's override), `reported`,
   * `declared`, `flag:<name>`, or `filed:<stage>` (the latest filing of a stage of this entry).
   */
  readonly from: string;
  /** A second, absolute limit: the stage is due at whichever of the two comes first. */
  readonly notLaterThan?: { readonly within: string; readonly from: string };
  /** The stage of this entry that must be filed before this one; none for the first. */
  readonly follows?: string;
  /** May be filed more than once (intermediate reports, amendments, supplements). */
  readonly repeatable?: boolean;
  readonly content: readonly RegulatoryContentItem[];
  readonly description?: string;
}

export interface RegulatoryLibraryEntry {
  readonly id: string;
  /** Bumped whenever a stage, deadline or content item changes; plans pin it. */
  readonly version: string;
  /** When the stages were last checked against the regulation's text (YYYY-MM-DD). */
  readonly checkedOn: string;
  readonly regulation: string;
  readonly authority: string;
  /** What starts the clock unless the plan says otherwise. */
  readonly trigger: string;
  /** False where the obligation is enacted but its rule does not yet apply. */
  readonly inForce: boolean;
  readonly notes: readonly string[];
  readonly stages: readonly RegulatoryStage[];
}

const CHECKED = '2026-12-07';

export const REGULATORY_LIBRARY: readonly RegulatoryLibraryEntry[] = [
  {
    id: 'gdpr-art33',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'GDPR (Regulation (EU) 2016/679) Art. 33',
    authority: 'Competent supervisory authority (Art. 55)',
    trigger: 'flag:personal-data',
    inForce: true,
    notes: [
      'Art. 33(1): not required where the breach is unlikely to result in a risk to the rights and freedoms of natural persons; record that assessment (Art. 33(5)).',
      'Art. 33(1): a notification made after 72 hours must be accompanied by reasons for the delay — Firebreak refuses a late filing without a reason.',
      'Art. 33(4): information may be provided in phases without undue further delay; record later phases as further filings with a reason.',
    ],
    stages: [
      {
        stage: '',
        name: 'Personal data breach notification to the supervisory authority',
        citation: 'GDPR Art. 33(1)',
        within: '72h',
        from: 'trigger',
        repeatable: true,
        description: 'Without undue delay and, where feasible, not later than 72 hours after having become aware of it.',
        content: [
          { id: 'nature', label: 'Nature of the breach, categories and approximate number of data subjects and of records concerned', citation: 'GDPR Art. 33(3)(a)' },
          { id: 'contact', label: 'Name and contact details of the data protection officer or other contact point', citation: 'GDPR Art. 33(3)(b)' },
          { id: 'consequences', label: 'Likely consequences of the breach', citation: 'GDPR Art. 33(3)(c)' },
          { id: 'measures', label: 'Measures taken or proposed to address the breach and mitigate its effects', citation: 'GDPR Art. 33(3)(d)' },
        ],
      },
    ],
  },
  {
    id: 'gdpr-art34',
    version: '1',
    checkedOn: CHECKED,
    regulation: 'GDPR (Regulation (EU) 2016/679) Art. 34',
    authority: 'Affected data subjects',
    trigger: 'flag:high-risk-to-data-subjects',
    inForce: true,
    notes: [
      'Art. 34(1) sets no hour limit: "without undue delay" once the breach is likely to result in a high risk. No countdown is shown; the stage is listed until filed.',
      'Art. 34(3): not required where (a) the data were protected (e.g. encrypted), (b) later measures remove the high risk, or (c) it would involve disproportionate effort (then a public communication).',
    ],
    stages: [
      {
        stage: '',
        name: 'Communication of the breach to data subjects',
        citation: 'GDPR Art. 34(1)',
        from: 'trigger',
        description: 'Without undue delay, when the breach is likely to result in a high risk to the rights and freedoms of natural persons.',
        content: [
          { id: 'nature', label: 'Nature of the breach, in clear and plain language', citation: 'GDPR Art. 34(2)' },
          { id: 'contact', label: 'Name and contact details of the data protection officer or other contact point', citation: 'GDPR Art. 34(2), 33(3)(b)' },
          { id: 'consequences', label: 'Likely consequences of the breach', citation: 'GDPR Art. 34(2), 33(3)(c)' },
          { id: 'measures', label: 'Measures taken or proposed, including to mitigate possible adverse effects', citation: 'GDPR Art. 34(2), 33(3)(d)' },
        ],
      },
    ],
  },
  {
    id: 'nis2-art23',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'NIS2 (Directive (EU) 2022/2555) Art. 23',
    authority: 'CSIRT or competent authority',
    trigger: 'flag:significant-incident',
    inForce: true,
    notes: [
      'NIS2 is a directive: national transposition laws may add stages or shorten deadlines; check the Member State law that applies.',
      'Art. 23(4)(e): if the incident is still ongoing when the final report is due, a progress report is due then and the final report within one month of handling it; record the progress report as the final-report filing with a reason, and file again.',
    ],
    stages: [
      {
        stage: 'early-warning',
        name: 'NIS2 early warning',
        citation: 'NIS2 Art. 23(4)(a)',
        within: '24h',
        from: 'trigger',
        description: 'Without undue delay and in any event within 24 hours of becoming aware of the significant incident.',
        content: [
          { id: 'malicious', label: 'Whether the incident is suspected of being caused by unlawful or malicious acts', citation: 'NIS2 Art. 23(4)(a)' },
          { id: 'cross-border', label: 'Whether the incident could have a cross-border impact', citation: 'NIS2 Art. 23(4)(a)' },
        ],
      },
      {
        stage: 'notification',
        name: 'NIS2 incident notification',
        citation: 'NIS2 Art. 23(4)(b)',
        within: '72h',
        from: 'trigger',
        follows: 'early-warning',
        description: 'Without undue delay and in any event within 72 hours of becoming aware of the significant incident.',
        content: [
          { id: 'update', label: 'Update of the early-warning information', citation: 'NIS2 Art. 23(4)(b)' },
          { id: 'assessment', label: 'Initial assessment, including severity and impact', citation: 'NIS2 Art. 23(4)(b)' },
          { id: 'ioc', label: 'Indicators of compromise, where available', citation: 'NIS2 Art. 23(4)(b)' },
        ],
      },
      {
        stage: 'intermediate',
        name: 'NIS2 intermediate report (on request)',
        citation: 'NIS2 Art. 23(4)(c)',
        from: 'flag:intermediate-report-requested',
        follows: 'notification',
        repeatable: true,
        description: 'Upon the request of the CSIRT or competent authority; the request sets the deadline.',
        content: [{ id: 'status', label: 'Relevant status updates', citation: 'NIS2 Art. 23(4)(c)' }],
      },
      {
        stage: 'final-report',
        name: 'NIS2 final report',
        citation: 'NIS2 Art. 23(4)(d)',
        within: '1 month',
        from: 'filed:notification',
        follows: 'notification',
        description: 'Not later than one month after the submission of the incident notification.',
        content: [
          { id: 'description', label: 'Detailed description of the incident, including its severity and impact', citation: 'NIS2 Art. 23(4)(d)(i)' },
          { id: 'root-cause', label: 'Type of threat or root cause that likely triggered the incident', citation: 'NIS2 Art. 23(4)(d)(ii)' },
          { id: 'mitigation', label: 'Applied and ongoing mitigation measures', citation: 'NIS2 Art. 23(4)(d)(iii)' },
          { id: 'cross-border', label: 'Cross-border impact, where applicable', citation: 'NIS2 Art. 23(4)(d)(iv)' },
        ],
      },
    ],
  },
  {
    id: 'dora-major-ict',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'DORA (Regulation (EU) 2022/2554) Art. 19, with Delegated Regulation (EU) 2025/301 Art. 5',
    authority: 'Competent authority (financial supervisor)',
    trigger: 'flag:major-ict-incident',
    inForce: true,
    notes: [
      'Time limits are in the RTS on incident reporting (Delegated Regulation (EU) 2025/301, Art. 5), not in Art. 19 itself; the citation of the article number within the RTS should be re-checked against the Official Journal text.',
      'The RTS lets some entities submit a report due on a weekend or bank holiday by noon of the next working day; which entities qualify is not encoded here (uncertain) — the deadline shown is the strict one.',
      'The trigger flag is the classification of the incident as major; the 24-hour limit counts from awareness, taken here as when the incident was reported to Firebreak.',
    ],
    stages: [
      {
        stage: 'initial',
        name: 'DORA initial notification',
        citation: 'DORA Art. 19(4)(a); RTS (EU) 2025/301 Art. 5(1)',
        within: '4h',
        from: 'trigger',
        notLaterThan: { within: '24h', from: 'reported' },
        description: 'Within 4 hours of classifying the incident as major, and no later than 24 hours after becoming aware of it.',
        content: [
          { id: 'entity', label: 'Identity of the financial entity and contact persons', citation: 'ITS on reporting, initial notification template' },
          { id: 'description', label: 'Description of the incident, how it was detected and its classification criteria met', citation: 'DORA Art. 19(4)(a)' },
        ],
      },
      {
        stage: 'intermediate',
        name: 'DORA intermediate report',
        citation: 'DORA Art. 19(4)(b); RTS (EU) 2025/301 Art. 5(2)',
        within: '72h',
        from: 'filed:initial',
        follows: 'initial',
        repeatable: true,
        description: 'Within 72 hours of the submission of the initial notification; updated whenever the status changes significantly.',
        content: [
          { id: 'status', label: 'Status update: impact, affected services, root-cause hypotheses, measures', citation: 'DORA Art. 19(4)(b)' },
        ],
      },
      {
        stage: 'final',
        name: 'DORA final report',
        citation: 'DORA Art. 19(4)(c); RTS (EU) 2025/301 Art. 5(3)',
        within: '1 month',
        from: 'filed:intermediate',
        follows: 'intermediate',
        description: 'No later than one month from the latest updated intermediate report.',
        content: [
          { id: 'root-cause', label: 'Root-cause analysis', citation: 'DORA Art. 19(4)(c)' },
          { id: 'impact', label: 'Actual impact figures', citation: 'DORA Art. 19(4)(c)' },
        ],
      },
    ],
  },
  {
    id: 'cra-art14-vulnerability',
    version: '1',
    checkedOn: CHECKED,
    regulation: 'Cyber Resilience Act (Regulation (EU) 2024/2847) Art. 14(1)-(2)',
    authority: 'CSIRT designated as coordinator and ENISA, through the single reporting platform (Art. 16)',
    trigger: 'flag:actively-exploited',
    inForce: true,
    notes: [
      'Art. 14 applies from 11 September 2026 (Art. 71(2)).',
      'Art. 14(2)(b) and (c) apply "unless the relevant information has already been provided"; a combined filing can be recorded for each stage with the same reference.',
    ],
    stages: [
      {
        stage: 'early-warning',
        name: 'CRA early warning of an actively exploited vulnerability',
        citation: 'CRA Art. 14(2)(a)',
        within: '24h',
        from: 'trigger',
        description: 'Without undue delay and in any event within 24 hours of the manufacturer becoming aware of it.',
        content: [
          { id: 'product', label: 'The product with digital elements concerned', citation: 'CRA Art. 14(1), 14(2)(a)' },
          { id: 'member-states', label: 'Member States where the manufacturer is aware the product has been made available', citation: 'CRA Art. 14(2)(a)' },
        ],
      },
      {
        stage: 'notification',
        name: 'CRA vulnerability notification',
        citation: 'CRA Art. 14(2)(b)',
        within: '72h',
        from: 'trigger',
        follows: 'early-warning',
        description: 'Without undue delay and in any event within 72 hours of the manufacturer becoming aware of it.',
        content: [
          { id: 'product', label: 'General information about the product concerned', citation: 'CRA Art. 14(2)(b)' },
          { id: 'nature', label: 'General nature of the exploit and of the vulnerability', citation: 'CRA Art. 14(2)(b)' },
          { id: 'measures-taken', label: 'Corrective or mitigating measures taken', citation: 'CRA Art. 14(2)(b)' },
          { id: 'user-measures', label: 'Corrective or mitigating measures users can take', citation: 'CRA Art. 14(2)(b)' },
          { id: 'sensitivity', label: 'How sensitive the manufacturer considers the notified information', citation: 'CRA Art. 14(2)(b)' },
        ],
      },
      {
        stage: 'final-report',
        name: 'CRA final report on the vulnerability',
        citation: 'CRA Art. 14(2)(c)',
        within: '14d',
        from: 'flag:fix-available',
        follows: 'notification',
        description: 'No later than 14 days after a corrective or mitigating measure is available.',
        content: [
          { id: 'description', label: 'Description of the vulnerability, including its severity and impact', citation: 'CRA Art. 14(2)(c)(i)' },
          { id: 'actor', label: 'Information on any malicious actor that exploited or is exploiting it, where available', citation: 'CRA Art. 14(2)(c)(ii)' },
          { id: 'update', label: 'Details of the security update or other corrective measures made available', citation: 'CRA Art. 14(2)(c)(iii)' },
        ],
      },
    ],
  },
  {
    id: 'cra-art14-incident',
    version: '1',
    checkedOn: CHECKED,
    regulation: 'Cyber Resilience Act (Regulation (EU) 2024/2847) Art. 14(3)-(4)',
    authority: 'CSIRT designated as coordinator and ENISA, through the single reporting platform (Art. 16)',
    trigger: 'flag:severe-incident',
    inForce: true,
    notes: ['Art. 14 applies from 11 September 2026 (Art. 71(2)). A severe incident is one having an impact on the security of the product (Art. 14(5)).'],
    stages: [
      {
        stage: 'early-warning',
        name: 'CRA early warning of a severe incident',
        citation: 'CRA Art. 14(4)(a)',
        within: '24h',
        from: 'trigger',
        description: 'Without undue delay and in any event within 24 hours of the manufacturer becoming aware of it.',
        content: [
          { id: 'malicious', label: 'Whether the incident is suspected of being caused by unlawful or malicious acts', citation: 'CRA Art. 14(4)(a)' },
          { id: 'member-states', label: 'Member States where the manufacturer is aware the product has been made available', citation: 'CRA Art. 14(4)(a)' },
        ],
      },
      {
        stage: 'notification',
        name: 'CRA incident notification',
        citation: 'CRA Art. 14(4)(b)',
        within: '72h',
        from: 'trigger',
        follows: 'early-warning',
        description: 'Without undue delay and in any event within 72 hours of the manufacturer becoming aware of it.',
        content: [
          { id: 'nature', label: 'General information about the nature of the incident', citation: 'CRA Art. 14(4)(b)' },
          { id: 'assessment', label: 'Initial assessment of the incident', citation: 'CRA Art. 14(4)(b)' },
          { id: 'measures', label: 'Corrective or mitigating measures taken, and those users can take', citation: 'CRA Art. 14(4)(b)' },
          { id: 'sensitivity', label: 'How sensitive the manufacturer considers the notified information', citation: 'CRA Art. 14(4)(b)' },
        ],
      },
      {
        stage: 'final-report',
        name: 'CRA final report on the incident',
        citation: 'CRA Art. 14(4)(c)',
        within: '1 month',
        from: 'filed:notification',
        follows: 'notification',
        description: 'Within one month after the submission of the incident notification.',
        content: [
          { id: 'description', label: 'Detailed description of the incident, including its severity and impact', citation: 'CRA Art. 14(4)(c)(i)' },
          { id: 'root-cause', label: 'Type of threat or root cause that likely triggered the incident', citation: 'CRA Art. 14(4)(c)(ii)' },
          { id: 'mitigation', label: 'Applied and ongoing mitigation measures', citation: 'CRA Art. 14(4)(c)(iii)' },
        ],
      },
    ],
  },
  {
    id: 'sec-8k-105',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'SEC Form 8-K Item 1.05 (17 CFR 249.308)',
    authority: 'U.S. Securities and Exchange Commission',
    trigger: 'flag:material',
    inForce: true,
    notes: [
      'Business days skip weekends and the plan\'s holidays; list the U.S. federal holidays in the plan and set its time zone to America/New_York for EDGAR.',
      'Item 1.05(c): filing may be delayed where the Attorney General determines disclosure poses a substantial risk to national security or public safety; record that as the reason.',
      'Instruction 2 to Item 1.05: information not determined or unavailable at filing is added by an amendment (8-K/A) within four business days after it is determined or becomes available; set the flag when it does.',
    ],
    stages: [
      {
        stage: '',
        name: 'Form 8-K Item 1.05 filing',
        citation: 'Form 8-K General Instruction B.1; Item 1.05(a)',
        within: '4 business days',
        from: 'trigger',
        description: 'Within four business days after determining the cybersecurity incident is material.',
        content: [
          { id: 'nature', label: 'Material aspects of the nature, scope and timing of the incident', citation: 'Item 1.05(a)' },
          { id: 'impact', label: 'Material impact or reasonably likely material impact, including on financial condition and results of operations', citation: 'Item 1.05(a)' },
        ],
      },
      {
        stage: 'amendment',
        name: 'Form 8-K/A amendment with information then unavailable',
        citation: 'Form 8-K Item 1.05, Instruction 2',
        within: '4 business days',
        from: 'flag:8k-information-available',
        follows: '',
        repeatable: true,
        description: 'Within four business days after the information is determined or becomes available.',
        content: [{ id: 'update', label: 'The information not determined or unavailable at the time of the initial filing', citation: 'Item 1.05, Instruction 2' }],
      },
    ],
  },
  {
    id: 'hipaa-breach',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'HIPAA Breach Notification Rule (45 CFR 164.404, 164.408)',
    authority: 'Affected individuals and the Secretary of HHS',
    trigger: 'flag:phi-breach',
    inForce: true,
    notes: [
      '164.408(c): breaches affecting fewer than 500 individuals go to HHS in an annual log within 60 days of the end of the calendar year; the HHS stage here is for 500 or more (164.408(b)).',
      '164.406: a breach affecting more than 500 residents of a State or jurisdiction also needs notice to prominent media outlets within the same 60 days (not encoded as a stage).',
      '164.412: a law-enforcement delay may apply; record it as the reason.',
    ],
    stages: [
      {
        stage: '',
        name: 'HIPAA breach notification to individuals',
        citation: '45 CFR 164.404(b)',
        within: '60d',
        from: 'trigger',
        description: 'Without unreasonable delay and in no case later than 60 calendar days after discovery of the breach.',
        content: [
          { id: 'what', label: 'What happened, with the date of the breach and of its discovery', citation: '45 CFR 164.404(c)(1)(A)' },
          { id: 'phi', label: 'Types of unsecured protected health information involved', citation: '45 CFR 164.404(c)(1)(B)' },
          { id: 'steps', label: 'Steps individuals should take to protect themselves', citation: '45 CFR 164.404(c)(1)(C)' },
          { id: 'response', label: 'What the covered entity is doing to investigate, mitigate and protect against further breaches', citation: '45 CFR 164.404(c)(1)(D)' },
          { id: 'contact', label: 'Contact procedures', citation: '45 CFR 164.404(c)(1)(E)' },
        ],
      },
      {
        stage: 'hhs',
        name: 'HIPAA notice to HHS (500 or more individuals)',
        citation: '45 CFR 164.408(b)',
        within: '60d',
        from: 'flag:phi-breach-500',
        description: 'Contemporaneously with the notice to individuals, and no later than 60 calendar days after discovery.',
        content: [{ id: 'form', label: 'The information HHS\'s breach portal asks for', citation: '45 CFR 164.408(b)' }],
      },
    ],
  },
  {
    id: 'circia',
    version: '2',
    checkedOn: CHECKED,
    regulation: 'CIRCIA (6 U.S.C. 681b)',
    authority: 'CISA',
    trigger: 'flag:covered-incident',
    inForce: false,
    notes: [
      'Rule not yet in force: the reporting obligations apply only once CISA\'s final rule takes effect (6 U.S.C. 681b(b)); the deadlines below are those of the statute.',
      'Which entities are covered and what a report must contain will be set by the final rule; the content items are from the statute (681b(c)(4)) and may change.',
    ],
    stages: [
      {
        stage: 'incident',
        name: 'CIRCIA covered cyber incident report',
        citation: '6 U.S.C. 681b(a)(1)(A)',
        within: '72h',
        from: 'trigger',
        description: 'Not later than 72 hours after reasonably believing a covered cyber incident occurred.',
        content: [
          { id: 'description', label: 'Description of the incident, affected systems and dates', citation: '6 U.S.C. 681b(c)(4)' },
          { id: 'vulnerabilities', label: 'Vulnerabilities exploited and security defenses in place', citation: '6 U.S.C. 681b(c)(4)' },
        ],
      },
      {
        stage: 'ransom',
        name: 'CIRCIA ransom payment report',
        citation: '6 U.S.C. 681b(a)(2)(A)',
        within: '24h',
        from: 'flag:ransom-paid',
        description: 'Not later than 24 hours after making a ransom payment.',
        content: [{ id: 'payment', label: 'Date, amount and instructions of the ransom payment', citation: '6 U.S.C. 681b(c)(5)' }],
      },
      {
        stage: 'supplemental',
        name: 'CIRCIA supplemental report',
        citation: '6 U.S.C. 681b(a)(3)',
        from: 'flag:substantial-new-information',
        follows: 'incident',
        repeatable: true,
        description: 'Promptly after substantial new or different information becomes available.',
        content: [{ id: 'update', label: 'The new or different information', citation: '6 U.S.C. 681b(a)(3)' }],
      },
    ],
  },
];

export function findRegulatoryEntry(id: string): RegulatoryLibraryEntry | undefined {
  return REGULATORY_LIBRARY.find((e) => e.id === id);
}

/** The plan clock a library stage stands for (the shape of `RegulatoryClockSchema`). */
export interface ExpandedRegulatoryClock {
  readonly id: string;
  readonly name: string;
  readonly regulation: string;
  readonly citation: string;
  readonly authority: string;
  readonly trigger: string;
  readonly within?: string;
  readonly notLaterThan?: { readonly within: string; readonly trigger: string };
  readonly follows?: string;
  readonly repeatable: boolean;
  readonly regime: string;
  readonly library: { readonly entry: string; readonly version: string; readonly checkedOn: string; readonly inForce: boolean };
  readonly content: readonly RegulatoryContentItem[];
  readonly description?: string;
}

function stageId(entry: RegulatoryLibraryEntry, stage: string): string {
  return stage ? `${entry.id}-${stage}` : entry.id;
}

/** `trigger` and `filed:<stage>` resolved to what a plan clock names. */
function resolveStart(entry: RegulatoryLibraryEntry, from: string, trigger: string): string {
  if (from === 'trigger') return trigger;
  if (from.startsWith('filed:')) return `filed:${stageId(entry, from.slice('filed:'.length))}`;
  return from;
}

/** The plan clocks a library reference stands for; `trigger` replaces the entry's default. */
export function expandRegulatoryEntry(entry: RegulatoryLibraryEntry, trigger?: string): ExpandedRegulatoryClock[] {
  const start = trigger ?? entry.trigger;
  return entry.stages.map((s) => ({
    id: stageId(entry, s.stage),
    name: s.name,
    regulation: entry.regulation,
    citation: s.citation,
    authority: entry.authority,
    trigger: resolveStart(entry, s.from, start),
    ...(s.within ? { within: s.within } : {}),
    ...(s.notLaterThan ? { notLaterThan: { within: s.notLaterThan.within, trigger: resolveStart(entry, s.notLaterThan.from, start) } } : {}),
    ...(s.follows !== undefined ? { follows: stageId(entry, s.follows) } : {}),
    repeatable: s.repeatable ?? false,
    regime: entry.id,
    library: { entry: entry.id, version: entry.version, checkedOn: entry.checkedOn, inForce: entry.inForce },
    content: s.content,
    ...(s.description ? { description: s.description } : {}),
  }));
}
