/**
 * `firebreak advisory …` and `firebreak vex …`: draft, edit, review, schedule, publish and
 * export security advisories, and keep the VEX register. Registered on the main program
 * by one call from program.ts. Locally the commands open the application on the database;
 * with `--server` they go through the HTTP API (src/cli/remote-backend.ts), where the
 * token's owner is the actor. Both answer with the same read model, printed the same way.
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { readContentFile } from '../content-file.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../app/advisory-service.js';
import type { AdvisoryView } from '../../app/advisory-view.js';
import { createApp, type FirebreakApp } from '../../app/firebreak-app.js';
import { ECOSYSTEMS } from '../../domain/advisory/advisory-content.js';
import type { AdvisoryCommand } from '../../domain/advisory/commands.js';
import { fieldError } from '../../domain/errors.js';
import { type AdvisoryBackend, LocalAdvisoryBackend } from '../advisory-backend.js';
import type { CliBackend } from '../backend.js';
import { VEX_JUSTIFICATIONS, VEX_STATUSES, type VexStatement } from '../../domain/vex/vex-statement.js';

export interface AdvisoryCliDeps {
  readonly globals: () => { db: string; json: boolean; plans?: string[]; server?: string };
  readonly out: (text: string) => void;
  /** Who acts: `--by`, else the global `--as`, else the login name. */
  readonly actor: (by?: string) => string;
  /** Opens the application; tests may pass their own (with a manual clock). */
  readonly openApp?: (options: { db: string; plans?: string[] }) => Promise<FirebreakApp>;
  /** Opens the backend of the global options (for `--server`: the API with the saved token). */
  readonly openBackend?: () => Promise<CliBackend>;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];


/** `ecosystem=npm,name=left-pad,introduced=1.0.0,fixed=1.2.3` → an affected package. */
export function parsePackageOption(text: string): Record<string, string> {
  const pkg: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    if (at < 1 || !['ecosystem', 'name', 'introduced', 'fixed', 'lastAffected'].includes(key)) {
      throw fieldError('FB_ERR_INPUT_INVALID', '--package', `"${part}" is not key=value with key ecosystem, name, introduced, fixed or lastAffected (ecosystems: ${ECOSYSTEMS.join(', ')})`);
    }
    pkg[key] = part.slice(at + 1).trim();
  }
  return { introduced: '0', ...pkg };
}

/** `CWE-79` or `CWE-79:Improper Neutralization …` → a CWE entry. */
function parseCwe(text: string): { id: string; name?: string } {
  const at = text.indexOf(':');
  return at < 0 ? { id: text.trim() } : { id: text.slice(0, at).trim(), name: text.slice(at + 1).trim() };
}

interface SetOptions {
  from?: string;
  title?: string;
  summary?: string;
  impact?: string;
  component?: string[];
  cwe?: string[];
  cvss3?: string;
  cvss4?: string;
  cve?: string;
  package?: string[];
  mitigation?: string;
  resolution?: string;
  creditConsent?: boolean;
  creditName?: string;
  reference?: string[];
  fixedAt?: string;
  releasedAt?: string;
  clear?: string[];
}

/** The content changes the options describe (a `--from` file first, options on top). */
export function changesFromOptions(opts: SetOptions): Record<string, unknown> {
  const changes: Record<string, unknown> = opts.from ? { ...(readContentFile(opts.from) as Record<string, unknown>) } : {};
  const direct: [keyof SetOptions, string][] = [
    ['title', 'title'], ['summary', 'summary'], ['impact', 'impact'], ['cvss3', 'cvssV3'], ['cvss4', 'cvssV4'], ['cve', 'cve'],
    ['mitigation', 'mitigation'], ['resolution', 'resolution'], ['fixedAt', 'fixedAt'], ['releasedAt', 'releasedAt'],
  ];
  for (const [option, field] of direct) if (opts[option] !== undefined) changes[field] = opts[option];
  if (opts.component) changes['components'] = opts.component;
  if (opts.cwe) changes['cwes'] = opts.cwe.map(parseCwe);
  if (opts.package) changes['packages'] = opts.package.map(parsePackageOption);
  if (opts.reference) changes['references'] = opts.reference.map((url) => ({ url }));
  if (opts.creditConsent !== undefined || opts.creditName !== undefined) {
    changes['credit'] = { consent: opts.creditConsent ?? false, ...(opts.creditName ? { name: opts.creditName } : {}) };
  }
  for (const field of opts.clear ?? []) changes[field] = null;
  return changes;
}

function formatAdvisory(view: AdvisoryView): string {
  const c = view.content;
  const missing = view.missingForPublish.map((m) => m.field);
  const lines = [
    `${view.id}  ${c.title}`,
    `  status      ${view.status}   (incident ${view.incidentId}, author ${view.author}${view.approvedBy ? `, approved by ${view.approvedBy}` : ''})`,
    `  severity    ${view.severity ?? 'not scored'}${view.cvss.map((s) => `   CVSS ${s.version} ${s.baseScore} ${s.vector}`).join('')}`,
    `  cve         ${c.cve ?? '—'}    cwe ${c.cwes.map((w) => w.id).join(', ') || '—'}`,
    ...c.packages.map((p) => `  package     ${p.ecosystem} ${p.name}: introduced ${p.introduced}${p.fixed ? `, fixed ${p.fixed}` : ''}${p.lastAffected ? `, last affected ${p.lastAffected}` : ''}`),
    ...view.revisions.map((r) => `  revision ${r.number}  ${r.embargoed ? 'embargoed until' : 'public since'} ${r.publishedAt}: ${r.summary}`),
    missing.length ? `  to publish  still needs: ${missing.join(', ')}` : '  to publish  all required fields present',
  ];
  return lines.join('\n');
}

function formatVex(statements: readonly VexStatement[]): string {
  if (statements.length === 0) return 'The VEX register is empty.';
  return statements
    .map((s) => `${s.vulnerability}  ${s.product} ${s.version}: ${s.status}${s.justification ? ` (${s.justification})` : ''}${s.actionStatement ? ` — ${s.actionStatement}` : ''}  [${s.recordedAt} ${s.actor}]`)
    .join('\n');
}

export function registerAdvisoryCommands(program: Command, deps: AdvisoryCliDeps): void {
  const open = deps.openApp ?? ((o: { db: string; plans?: string[] }) => createApp({ database: o.db, planDirs: o.plans ?? [] }));
  const print = (value: unknown, text: () => string) => deps.out(deps.globals().json ? JSON.stringify(value, null, 2) : text());
  async function withAdvisories<T>(work: (backend: AdvisoryBackend) => Promise<T>): Promise<T> {
    const globals = deps.globals();
    let backend: AdvisoryBackend;
    if (globals.server) {
      const remote = deps.openBackend ? await deps.openBackend() : undefined;
      // Refuse rather than quietly write to a local database the user did not mean.
      if (!remote?.advisories) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'this backend cannot reach advisories over the API; run without --server on the server host');
      backend = remote.advisories();
    } else {
      backend = new LocalAdvisoryBackend(await open(globals));
    }
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  }
  const by = () => new Option('--by <user>', 'who does it (default: --as or your login name)');
  const advisoryId = (raw: string) => raw.trim();

  const setOptions = (command: Command) =>
    command
      .option('--from <file>', 'read fields from a YAML or JSON file (options below override it)')
      .option('--title <text>', 'title')
      .option('--summary <text>', 'what the vulnerability is')
      .option('--impact <text>', 'what an attacker can do')
      .option('--component <name>', 'affected component (repeatable)', collect)
      .option('--cwe <id[:name]>', 'CWE id, optionally with its catalogue name, e.g. "CWE-79" (repeatable)', collect)
      .option('--cvss3 <vector>', 'CVSS 3.1 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')
      .option('--cvss4 <vector>', 'CVSS 4.0 vector')
      .option('--cve <id>', 'CVE-YYYY-NNNN, "reserved" or "none"')
      .option('--package <spec>', `affected package: ecosystem=npm,name=x,introduced=1.0.0,fixed=1.2.3 (repeatable; ecosystems: ${ECOSYSTEMS.join(', ')})`, collect)
      .option('--mitigation <text>', 'what users can do before upgrading')
      .option('--resolution <text>', 'how to fix it (e.g. upgrade to …)')
      .option('--credit-consent', 'the reporter agreed to be credited by name')
      .option('--credit-name <name>', 'credit this name instead of the reporter’s')
      .option('--reference <url>', 'reference URL (repeatable)', collect)
      .option('--fixed-at <date>', 'when it was fixed, if the incident log does not show it')
      .option('--released-at <date>', 'when the fix was released, if the incident log does not show it')
      .option('--clear <field>', 'remove an optional field (repeatable)', collect);

  const advisory = program.command('advisory').description('security advisories: draft, review, publish, export');

  setOptions(advisory.command('create <incident>').description('draft an advisory for an incident (the plan decides its id)'))
    .addOption(by())
    .action((incident: string, opts: SetOptions & { by?: string }) =>
      withAdvisories(async (backend) => {
        const view = await backend.draft(incident, changesFromOptions(opts), deps.actor(opts.by));
        print(view, () => `Drafted ${view.id}: ${view.content.title}\nNext: firebreak advisory set ${view.id} …, then firebreak advisory submit ${view.id}`);
      }),
    );

  advisory
    .command('show <id>')
    .description('show an advisory: status, scores, packages, revisions, what publishing still needs')
    .action((raw: string) =>
      withAdvisories(async (backend) => {
        const view = await backend.get(advisoryId(raw));
        print(view, () => formatAdvisory(view));
      }),
    );

  advisory
    .command('list')
    .description('list advisories, newest first')
    .option('--incident <id>', 'only those of one incident')
    .action((opts: { incident?: string }) =>
      withAdvisories(async (backend) => {
        const rows = await backend.list(opts.incident ? { incidentId: opts.incident.toUpperCase() } : {});
        print(rows, () => (rows.length ? rows.map((s) => `${s.id}  ${s.status.padEnd(9)} ${(s.severity ?? '—').padEnd(8)} ${s.title}`).join('\n') : 'No advisories.'));
      }),
    );

  setOptions(advisory.command('set <id>').description('edit fields (an approved advisory goes back to draft)'))
    .addOption(by())
    .action((raw: string, opts: SetOptions & { by?: string }) =>
      withAdvisories(async (backend) => {
        const view = await backend.execute(advisoryId(raw), { type: 'edit', changes: changesFromOptions(opts) }, deps.actor(opts.by));
        print(view, () => formatAdvisory(view));
      }),
    );

  const lifecycle: [string, string, (opts: Record<string, string | undefined>) => AdvisoryCommand, (o: Command) => Command][] = [
    ['submit', 'send a draft for review', (o) => ({ type: 'submit', ...(o['note'] ? { note: o['note'] } : {}) }), (c) => c.option('--note <text>', 'for the reviewer')],
    ['approve', 'approve an advisory in review (not your own)', (o) => ({ type: 'approve', ...(o['note'] ? { note: o['note'] } : {}) }), (c) => c.option('--note <text>', 'review note')],
    ['request-changes', 'send an advisory in review back to draft', (o) => ({ type: 'request_changes', reason: o['reason'] ?? '' }), (c) => c.requiredOption('--reason <text>', 'what must change')],
    ['schedule', 'schedule publication at the embargo date (checks as publish does)', (o) => ({ type: 'schedule', releaseAt: o['until'] ?? '', ...(o['summary'] ? { summary: o['summary'] } : {}) }), (c) => c.requiredOption('--until <iso>', 'embargo end (ISO 8601)').option('--summary <text>', 'revision summary')],
    ['publish', 'publish now (refused while fields are missing or the release checklist is open)', (o) => ({ type: 'publish', ...(o['summary'] ? { summary: o['summary'] } : {}) }), (c) => c.option('--summary <text>', 'revision summary, e.g. what changed')],
  ];
  for (const [name, description, build, options] of lifecycle) {
    options(advisory.command(`${name} <id>`).description(description))
      .addOption(by())
      .action((raw: string, opts: Record<string, string | undefined>) =>
        withAdvisories(async (backend) => {
          const view = await backend.execute(advisoryId(raw), build(opts), deps.actor(opts['by']));
          print(view, () => `${view.id} is ${view.status}.`);
        }),
      );
  }

  advisory
    .command('export <id>')
    .description('export an advisory: Markdown (plan template), OSV, CSAF 2.0, CSAF VEX or GitHub advisory JSON')
    .addOption(new Option('--format <format>', 'output format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--draft', 'export the working copy (a preview) instead of the latest published revision')
    .action((raw: string, opts: { format: ExportFormat; out?: string; draft?: boolean }) =>
      withAdvisories(async (backend) => {
        const text = await backend.export(advisoryId(raw), opts.format, opts.draft ? { which: 'working' } : {});
        if (opts.out) {
          writeFileSync(opts.out, text);
          deps.out(`Wrote ${opts.out}`);
        } else {
          deps.out(text.trimEnd());
        }
      }),
    );

  advisory
    .command('verify <id>')
    .description("check the advisory's hash chain and projection")
    .action((raw: string) =>
      withAdvisories(async (backend) => {
        const result = await backend.verify(advisoryId(raw));
        print(result, () => (result.ok ? `${raw}: ok (${result.events} events)` : `${raw}: BROKEN ${JSON.stringify(result.brokenAt ?? { projectionMatches: result.projectionMatches })}`));
        if (!result.ok) process.exitCode = 1;
      }),
    );

  const vex = program.command('vex').description('the VEX register: is each product version affected by each vulnerability?');
  vex
    .command('set')
    .description('record the status of a product version for a vulnerability (the newest statement wins; history is kept)')
    .requiredOption('--product <name>', 'product (a name or a package URL without version)')
    .requiredOption('--version <version>', 'product version')
    .requiredOption('--vulnerability <id>', 'CVE id or advisory id')
    .addOption(new Option('--status <status>', 'status').choices([...VEX_STATUSES]).makeOptionMandatory())
    .addOption(new Option('--justification <label>', 'why not affected (with not_affected)').choices([...VEX_JUSTIFICATIONS]))
    .option('--impact <text>', 'impact statement (not_affected)')
    .option('--action <text>', 'action statement: what users should do (required with affected)')
    .addOption(by())
    .action((opts: { product: string; version: string; vulnerability: string; status: string; justification?: string; impact?: string; action?: string; by?: string }) =>
      withAdvisories(async (backend) => {
        const statement = await backend.recordVex(
          {
            product: opts.product,
            version: opts.version,
            vulnerability: opts.vulnerability,
            status: opts.status,
            ...(opts.justification ? { justification: opts.justification } : {}),
            ...(opts.impact ? { impactStatement: opts.impact } : {}),
            ...(opts.action ? { actionStatement: opts.action } : {}),
          },
          deps.actor(opts.by),
        );
        print(statement, () => formatVex([statement]));
      }),
    );
  for (const [name, description, history] of [
    ['list', 'the current status per product version and vulnerability', false],
    ['history', 'every statement ever recorded, oldest first', true],
  ] as const) {
    vex
      .command(name)
      .description(description)
      .option('--vulnerability <id>', 'only one vulnerability')
      .action((opts: { vulnerability?: string }) =>
        withAdvisories(async (backend) => {
          const statements = await backend.vex({ ...(opts.vulnerability ? { vulnerability: opts.vulnerability } : {}), history });
          print(statements, () => formatVex(statements));
        }),
      );
  }
  vex
    .command('export')
    .description('export the register as CSAF 2.0 VEX or OpenVEX')
    .addOption(new Option('--format <format>', 'output format').choices(['csaf', 'openvex']).makeOptionMandatory())
    .option('--out <file>', 'write to a file instead of standard output')
    .action((opts: { format: 'csaf' | 'openvex'; out?: string }) =>
      withAdvisories(async (backend) => {
        const text = await backend.exportVex(opts.format);
        if (opts.out) {
          writeFileSync(opts.out, text);
          deps.out(`Wrote ${opts.out}`);
        } else {
          deps.out(text.trimEnd());
        }
      }),
    );
}
