/**
 * The Liquid sandbox of plan templates: a template from a plan file cannot read files
 * (`include`, `render`, `layout`, with absolute, relative or traversing paths), cannot
 * reach the process, its environment or constructors (filters, prototype walks, `this`),
 * and cannot hang the server or eat its memory (a limit cuts it off with a plan error).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirebreakError } from '../domain/errors.js';
import { parsePlanText } from '../domain/plan/plan-parse.js';
import type { Plan } from '../domain/plan/plan-schema.js';
import { renderPlanTemplate, renderString } from './template-renderer.js';

const CANARY = 'fb-sandbox-canary-7f3a';
const context = () => ({
  incident: { id: 'INC-2026-0001', title: 'Signing key leaked', summary: 'x', severity: 'sev1' },
  roles: { ic: 'ada' },
  timeline: [{ occurredAt: '2026-03-02T09:00:00.000Z', type: 'note_added', actor: 'ada', summary: 'noted' }],
});

/** Renders; a refusal must be a plan error, and whatever renders must leak nothing. */
function outcome(source: string): { refused: true; message: string } | { refused: false; text: string } {
  try {
    return { refused: false, text: renderString(source, context()) };
  } catch (error) {
    expect(error).toBeInstanceOf(FirebreakError);
    expect((error as FirebreakError).code).toBe('FB_ERR_PLAN_INVALID');
    return { refused: true, message: (error as FirebreakError).message };
  }
}

function expectNoLeak(source: string): void {
  const result = outcome(source);
  if (result.refused) return;
  expect(result.text, source).not.toMatch(/root:|"name": "firebreak"|\[native code\]|function|process|Object\]|Function|Symbol/);
  expect(result.text, source).not.toContain(CANARY);
  expect(result.text, source).not.toContain(process.cwd());
}

describe('plan template sandbox', () => {
  beforeAll(() => {
    process.env['FB_SANDBOX_CANARY'] = CANARY;
  });
  afterAll(() => {
    delete process.env['FB_SANDBOX_CANARY'];
  });

  describe('cannot read files', () => {
    const paths = ['/etc/passwd', '../../../../../../etc/passwd', 'package.json', './package.json', 'plans/nist-800-61r3.yaml', 'file:///etc/passwd', '/proc/self/environ', '%2e%2e/%2e%2e/etc/passwd', 'C:\\Windows\\win.ini'];
    for (const tag of ['include', 'render', 'layout']) {
      for (const path of paths) {
        it(`{% ${tag} '${path}' %} is refused`, () => {
          const result = outcome(`{% ${tag} '${path}' %}`);
          expect(result.refused, JSON.stringify(result)).toBe(true);
        });
      }
    }
    it('a dynamic partial name from the context is refused too', () => {
      for (const tag of ['include', 'render']) expect(outcome(`{% assign f = "/etc/passwd" %}{% ${tag} f %}`).refused).toBe(true);
    });
    it('the reference file does exist, so a refusal is the sandbox and not a missing file', () => {
      expect(readFileSync('package.json', 'utf8')).toContain('"name": "firebreak"');
    });
  });

  describe('cannot reach the process, the environment or constructors', () => {
    const probes = [
      '{{ "" | constructor }}',
      '{{ incident | constructor }}',
      '{{ this }}',
      '{{ this.constructor }}',
      '{{ constructor }}',
      '{{ process }}',
      '{{ process.env.FB_SANDBOX_CANARY }}',
      '{{ global.process.env.FB_SANDBOX_CANARY }}',
      '{{ globalThis.process.env.FB_SANDBOX_CANARY }}',
      '{{ require }}',
      '{{ incident.constructor }}',
      '{{ incident.constructor.constructor }}',
      '{{ incident.__proto__ }}',
      '{{ incident.__proto__.constructor.name }}',
      '{{ incident["constructor"]["constructor"] }}',
      '{% assign c = "constructor" %}{{ incident[c][c] }}',
      '{{ incident.title.constructor }}',
      '{{ incident.title.constructor.constructor }}',
      '{{ incident.toString }}',
      '{{ incident.hasOwnProperty }}',
      '{{ incident.valueOf }}',
      '{{ timeline.constructor }}',
      '{{ timeline.map }}',
      '{{ timeline.__proto__.constructor }}',
      '{{ roles.__defineGetter__ }}',
      '{{ incident.title | prepend: incident.constructor }}',
      '{% for k in incident.__proto__ %}{{ k }}{% endfor %}',
      '{{ incident.title | split: "" | map: "constructor" | first }}',
      '{{ timeline | map: "constructor" | first }}',
      '{{ timeline | where: "constructor" | first }}',
      '{{ incident | json }}{{ incident.constructor | json }}',
      '{{ "x" | eval }}',
      '{{ 7*7 }}',
      '{% liquid echo process.env.FB_SANDBOX_CANARY %}',
    ];
    for (const probe of probes) it(`${probe} leaks nothing`, () => expectNoLeak(probe));

    it('ordinary variables still render', () => {
      expect(renderString('{{ incident.title }} / {{ roles.ic }} / {{ timeline.size }}', context())).toBe('Signing key leaked / ada / 1');
    });
  });

  describe('cannot hang the server or exhaust its memory', () => {
    it('a huge nested loop is cut off by the render limit', () => {
      const result = outcome('{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}');
      expect(result.refused).toBe(true);
    });
    it('doubling a string is cut off by the memory limit', () => {
      const result = outcome('{% assign s = "xxxxxxxxxx" %}{% for i in (1..60) %}{% assign s = s | append: s %}{% endfor %}{{ s.size }}');
      expect(result.refused).toBe(true);
    });
    it.each([
      ['a single huge range', '{% for i in (1..100000000) %}{{ i }}{% endfor %}', /limit/],
      ['a huge range printed in one go', '{{ (1..100000000) | join: "," }}', /limit|range|join/],
      ['appending in a long loop', '{% assign s = "" %}{% for i in (1..100000000) %}{% assign s = s | append: "abcdefghij" %}{% endfor %}{{ s }}', /limit/],
      ['a partial that renders itself', '{% capture me %}{% render "me" %}{% endcapture %}{{ me }}', /me/],
      ['a loop over a prototype path', '{% for i in (1..100000000) %}{{ incident.constructor.prototype }}{{ incident.__proto__ }}{% endfor %}', /limit/],
    ])('%s ends with a plan error naming the cause', (_name, source, cause) => {
      const result = outcome(source);
      expect(result.refused).toBe(true);
      if (result.refused) expect(result.message).toMatch(/^template failed: /);
      if (result.refused) expect(result.message).toMatch(cause);
    });
    it('a very long template is refused by the parse limit', () => {
      expect(outcome(`{{ incident.title }}${'x'.repeat(200_000)}`).refused).toBe(true);
    });
    it('deeply nested blocks are refused or render, never crash the process', () => {
      const depth = 5_000;
      outcome(`${'{% if true %}'.repeat(depth)}x${'{% endif %}'.repeat(depth)}`);
    });
  });

  it('the same holds for a template read from a plan file', () => {
    const text = readFileSync(new URL('../../plans/nist-team-procedures.yaml', import.meta.url), 'utf8');
    const parsed = parsePlanText(text);
    if (!parsed.ok) throw new Error('the built-in plan does not load');
    const plan = { ...parsed.plan, templates: { ...parsed.plan.templates, sitrep: { subject: '{{ incident.constructor }}', body: "{% include '/etc/passwd' %}" } } } as Plan;
    expect(() => renderPlanTemplate(plan, 'sitrep', context())).toThrow(FirebreakError);
    const leaky = { ...plan, templates: { ...plan.templates, sitrep: { body: '{{ process.env.FB_SANDBOX_CANARY }}{{ incident.constructor.constructor }}' } } } as Plan;
    expect(renderPlanTemplate(leaky, 'sitrep', context()).body).toBe('');
  });
});
