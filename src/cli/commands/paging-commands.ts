/**
 * `firebreak doctor` (would each plan's escalation reach anybody right now? exits non-zero
 * when one would page nobody, naming what to configure) and `firebreak policies
 * list|show|set|remove` (escalation policies as data; `set` reads the policy as JSON from
 * a file). They open the database directly, like `contacts` and `channels`.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createApp, type FirebreakApp } from '../../app/firebreak-app.js';
import { reachabilityWarnings } from '../../app/paging/paging-service.js';
import { describeTarget } from '../../domain/paging/escalation-policy.js';
import { FirebreakError, fieldError } from '../../domain/errors.js';
import type { CliIo, GlobalOptions } from '../program.js';

export function registerPagingCommands(program: Command, io: CliIo): void {
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const print = (value: unknown, text: () => string) => io.out(globals().json ? JSON.stringify(value, null, 2) : text());
  async function withApp<T>(work: (app: FirebreakApp) => Promise<T>): Promise<T> {
    if (globals().server) throw fieldError('FB_ERR_INPUT_INVALID', '--server', 'doctor and policies read the database itself; run this with --db where the server keeps its data');
    const app = await createApp({ database: globals().db, planDirs: globals().plans ?? [] });
    try {
      return await work(app);
    } finally {
      await app.close();
    }
  }

  program
    .command('doctor')
    .description("check that every plan's escalation would reach somebody right now (exits 6 when one would page nobody)")
    .action(() =>
      withApp(async (app) => {
        const reports = await app.paging.reachability();
        const warnings = reachabilityWarnings(reports);
        print(reports, () =>
          [
            ...reports.map((r) => `${r.reachesNobody ? 'NOBODY' : 'ok    '}  ${r.planId}${r.policy ? ` (policy ${r.policy})` : ''}: ${[...new Set(r.severities.flatMap((s) => s.reaches))].join(', ') || 'nobody'}`),
            ...(warnings.length > 0 ? ['', ...warnings] : []),
          ].join('\n'),
        );
        if (warnings.length > 0) throw new FirebreakError('FB_ERR_PAGING_UNREACHABLE', `${warnings.length} plan${warnings.length === 1 ? '' : 's'} would page nobody; configure what is named above`);
      }),
    );

  const policies = program.command('policies').description('escalation policies: levels of schedules, users and roles, each with a wait');
  policies
    .command('list')
    .action(() => withApp(async (app) => {
      const all = await app.paging.listPolicies();
      print(all, () => (all.length === 0 ? 'No escalation policies yet (firebreak policies set <file.json>).' : all.map((p) => `${p.id}  ${p.name}  ${p.levels.length} level${p.levels.length === 1 ? '' : 's'}${p.repeat ? `, repeated ${p.repeat}×` : ''}`).join('\n')));
    }));
  policies
    .command('show <id>')
    .action((id: string) => withApp(async (app) => {
      const p = await app.paging.getPolicy(id);
      print(p, () => [`${p.id}: ${p.name}`, ...p.levels.map((l, i) => `  level ${i + 1}: ${l.targets.map(describeTarget).join(', ')} — then wait ${l.wait}`), p.repeat ? `  then again, ${p.repeat} more time${p.repeat === 1 ? '' : 's'}` : ''].filter(Boolean).join('\n'));
    }));
  policies
    .command('set <file>')
    .description('create or replace a policy from a JSON file ({"id","name","levels":[{"targets":[{"schedule":"primary"}],"wait":"10m"}],"repeat":0})')
    .option('--by <handle>', 'who changes it', 'cli')
    .action((file: string, opts: { by: string }) => withApp(async (app) => {
      let input: unknown;
      try {
        input = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw fieldError('FB_ERR_INPUT_INVALID', 'file', `${file} is not readable JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      const saved = await app.paging.savePolicy(input, opts.by);
      print(saved, () => `Saved escalation policy ${saved.id} (${saved.levels.length} levels).`);
    }));
  policies
    .command('remove <id>')
    .action((id: string) => withApp(async (app) => {
      await app.paging.removePolicy(id);
      print({ removed: id }, () => `Removed escalation policy ${id}.`);
    }));
}
