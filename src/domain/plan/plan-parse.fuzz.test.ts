/**
 * Fuzzing the plan loader: arbitrary text (YAML-ish, JSON, hostile YAML such as alias
 * bombs, deep nesting, custom tags, duplicate keys) and arbitrary data shaped like a
 * built-in plan with one part changed must come back as a plan or as problems that each
 * name a path — `parsePlanText` never throws.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePlanText, validatePlan } from './plan-parse.js';

const STRESS = process.env['FIREBREAK_STRESS'] === '1';
const RUNS = STRESS ? 5_000 : 100;
const builtIn = readFileSync(new URL('../../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8');

function expectPlanOrProblems(text: string): void {
  const result = parsePlanText(text);
  if (result.ok) {
    expect(result.plan.id).toEqual(expect.any(String));
    return;
  }
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) {
    expect(typeof problem.path).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

const hostileYaml = fc.constantFrom(
  // Billion laughs.
  `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`,
  `a: &a [*a]\n`,
  `id: !!js/function "function () { return process.exit(1) }"\n`,
  `id: !!binary aGVsbG8=\n`,
  `id: x\nid: y\n`,
  `? [a, b]\n: c\n`,
  `<<: {id: x}\n`,
  `__proto__: {polluted: yes}\nid: x\n`,
  `constructor: {prototype: {polluted: yes}}\n`,
  `${'['.repeat(2000)}${']'.repeat(2000)}`,
  `${'- '.repeat(1000)}x`,
  `${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`,
  '\u0000\uFEFF\uD800',
  '%YAML 9.9\n---\nid: x\n',
  '--- !<tag:yaml.org,2002:js/undefined> ~\n',
  'id: 1e309\nversion: .nan\n',
  '',
  '---\n---\n---\n',
);

describe('plan loader fuzz', () => {
  it('an alias bomb is a problem naming the file, not a throw (regression)', () => {
    const bomb = 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    const result = parsePlanText(bomb);
    expect(result).toMatchObject({ ok: false, problems: [{ path: '', message: expect.stringContaining('alias') }] });
  });

  it('hostile YAML never throws', () => {
    fc.assert(fc.property(hostileYaml, (text) => expectPlanOrProblems(text)), { numRuns: 60 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('arbitrary text and JSON never throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.json({ depthSize: 'small' }), fc.jsonValue().map((v) => stringify(v))),
        (text) => expectPlanOrProblems(text),
      ),
      { numRuns: RUNS },
    );
  });

  it('a built-in plan with one part replaced by anything gives a plan or problems naming a path', () => {
    const plan = parsePlanText(builtIn);
    if (!plan.ok) throw new Error('the built-in plan does not load');
    const data = JSON.parse(JSON.stringify(plan.plan)) as Record<string, unknown>;
    const keys = Object.keys(data);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.oneof(fc.anything(), fc.constantFrom(null, '', [], {}, -1, Number.POSITIVE_INFINITY, '\uD800')), (key, value) => {
        const result = validatePlan({ ...data, [key]: value });
        if (!result.ok) for (const p of result.problems) expect(typeof p.path).toBe('string');
        expectPlanOrProblems(stringify({ ...data, [key]: value }));
      }),
      { numRuns: STRESS ? RUNS : 50 },
    );
  });
});
