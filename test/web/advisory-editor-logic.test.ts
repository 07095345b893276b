/**
 * The advisory editor's pure parts, checked against the server's own code: the CVSS
 * builder's metric tables against the metrics ae-cvss-calculator registers (so the
 * pickers can build every vector the server accepts), the PATCH body the form sends
 * against the server's zod schema for edits, and the revision diff's field comparison.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AdvisoryChangesSchema, type AdvisoryContent, AdvisoryContentSchema, mergeChanges } from '../../src/domain/advisory/advisory-content.js';
import { type CvssVersion, cvssMetrics, scoreCvss } from '../../src/domain/advisory/cvss.js';
import { contentChanges, normalise, problemsAt, rebase } from '../../web/src/scenes/advisory/advisory-changes.js';
import { buildVector, CVSS_BASE_METRICS, parseVector } from '../../web/src/scenes/advisory/cvss-metrics.js';
import { diffDocuments, flatten } from '../../web/src/scenes/advisory/field-diff.js';

const VERSIONS: CvssVersion[] = ['3.1', '4.0'];

describe('the CVSS builder metric tables', () => {
  for (const version of VERSIONS) {
    it(`offer exactly the CVSS ${version} base metrics and values the calculator accepts`, () => {
      const server = [...cvssMetrics(version)].filter(([, d]) => d.group === 'base').map(([key, d]) => [key, [...d.values].filter((v) => v !== 'X').sort()]);
      const web = CVSS_BASE_METRICS[version].map((m) => [m.key, m.values.map((v) => v.value).sort()]);
      expect(new Map(web as [string, string[]][])).toEqual(new Map(server as [string, string[]][]));
    });

    it(`build a CVSS ${version} vector the server scores from any set of picks, and read it back`, () => {
      const metrics = CVSS_BASE_METRICS[version];
      fc.assert(
        fc.property(fc.tuple(...metrics.map((m) => fc.constantFrom(...m.values.map((v) => v.value)))), (values) => {
          const picked = new Map(metrics.map((m, i) => [m.key, values[i]!]));
          const vector = buildVector(version, picked);
          expect(scoreCvss(vector, 'vector', version).version).toBe(version);
          expect(parseVector(version, vector).metrics).toEqual(picked);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('builds the FIRST example vector for 3.1 (9.8 critical)', () => {
    const picked = new Map(Object.entries({ AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' }));
    const vector = buildVector('3.1', picked);
    expect(vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(scoreCvss(vector)).toMatchObject({ baseScore: 9.8, severity: 'critical' });
  });

  it('keeps temporal and environmental metrics of a pasted vector after the base metrics', () => {
    const pasted = 'CVSS:3.1/E:P/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O';
    const parsed = parseVector('3.1', pasted);
    expect(parsed.unreadable).toEqual([]);
    const rebuilt = buildVector('3.1', new Map([...parsed.metrics, ['AV', 'L']]));
    expect(rebuilt).toBe('CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O');
    expect(() => scoreCvss(rebuilt)).not.toThrow();
  });

  it('leaves unpicked base metrics out, so the server names them', () => {
    const vector = buildVector('4.0', new Map([['AV', 'N']]));
    expect(vector).toBe('CVSS:4.0/AV:N');
    expect(() => scoreCvss(vector)).toThrow(/base metrics AC, AT, PR, UI, VC, VI, VA, SC, SI, SA missing/);
  });

  it('shows what it can of a malformed vector and lists the rest', () => {
    const parsed = parseVector('3.1', 'CVSS:3.1/AV:N/garbage/AV:L');
    expect(parsed.metrics).toEqual(new Map([['AV', 'N']]));
    expect(parsed.unreadable).toEqual(['garbage', 'AV:L']);
    expect(buildVector('3.1', new Map())).toBe('');
  });
});

const SAVED: AdvisoryContent = AdvisoryContentSchema.parse({
  title: 'Prototype pollution',
  summary: 'Crafted config sets Object.prototype properties.',
  components: ['parser'],
  cwes: [{ id: 'CWE-1321' }],
  packages: [{ ecosystem: 'npm', name: 'config-parser', introduced: '1.0.0', fixed: '1.4.2' }],
  credit: { consent: true, name: 'Dora' },
});

describe('the PATCH body the form sends', () => {
  it('is empty when nothing changed, whitespace and half-typed rows included', () => {
    const edited: AdvisoryContent = { ...SAVED, summary: `  ${SAVED.summary}  `, impact: '   ', references: [{ url: ' ', type: 'WEB' }], cwes: [...SAVED.cwes, { id: '' }] };
    expect(contentChanges(SAVED, edited)).toEqual({});
  });

  it('clears an emptied optional field with null and an emptied list with []', () => {
    const changes = contentChanges(SAVED, { ...SAVED, summary: '', components: [], credit: { consent: false }, cve: 'reserved' });
    expect(changes).toEqual({ summary: null, components: [], credit: { consent: false }, cve: 'reserved' });
  });

  it('is accepted by the server schema and produces the edited content', () => {
    const edited: AdvisoryContent = {
      ...SAVED,
      title: ' Prototype pollution in config-parser ',
      cvssV3: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      packages: [{ ...SAVED.packages[0]!, fixed: '', lastAffected: '1.4.1' }],
      references: [{ url: 'https://example.test/fix', type: 'FIX' }],
    };
    const changes = AdvisoryChangesSchema.parse(contentChanges(SAVED, edited));
    expect(Object.keys(changes).sort()).toEqual(['cvssV3', 'packages', 'references', 'title']);
    expect(mergeChanges(SAVED, changes)).toEqual(AdvisoryContentSchema.parse(normalise(edited)));
  });
});

describe('an edit rebased on someone else\'s save', () => {
  it('keeps the user\'s changes, takes the other fields from the new content and names the clashes', () => {
    const mine: AdvisoryContent = { ...SAVED, summary: 'My summary', impact: 'My impact' };
    const theirs: AdvisoryContent = { ...SAVED, summary: 'Their summary', resolution: 'Upgrade to 1.4.2.', components: [] };
    const { content, conflicts } = rebase(SAVED, mine, theirs);
    expect(content).toEqual({ ...SAVED, summary: 'My summary', impact: 'My impact', resolution: 'Upgrade to 1.4.2.', components: [] });
    expect(conflicts).toEqual(['summary']);
    // What saving then sends touches only the user's fields.
    expect(contentChanges(theirs, content)).toEqual({ summary: 'My summary', impact: 'My impact' });
  });

  it('reports no clash when both made the same change', () => {
    const same: AdvisoryContent = { ...SAVED, summary: 'Same' };
    expect(rebase(SAVED, same, same)).toEqual({ content: same, conflicts: [] });
  });
});

describe('where server problems show in the form', () => {
  const problems = new Map([
    ['packages.0.fixed', 'a fixed (or lastAffected) version is required to publish'],
    ['cve', 'is "reserved"'],
    ['cvssV3', 'metric A has value Q'],
  ]);
  it('puts a package row problem under the packages section and keeps fields apart', () => {
    expect(problemsAt(problems, 'packages')).toMatch(/fixed \(or lastAffected\)/);
    expect(problemsAt(problems, 'cve')).toBe('is "reserved"');
    expect(problemsAt(problems, 'cvss')).toBeUndefined();
    expect(problemsAt(problems, 'cvssV3')).toBe('metric A has value Q');
    expect(problemsAt(problems, 'summary')).toBeUndefined();
  });
});

describe('the revision diff', () => {
  it('lists each leaf field with both values, absent ones as undefined, in natural order', () => {
    const before = { content: { title: 'A', packages: Array.from({ length: 11 }, (_, i) => ({ fixed: `1.${i}` })), cwes: [] }, revision: 1 };
    const after = { content: { title: 'B', packages: before.content.packages, cwes: [{ id: 'CWE-79' }], cve: 'CVE-2026-1' }, revision: 2 };
    const rows = diffDocuments(before, after);
    const changed = rows.filter((r) => r.before !== r.after);
    expect(changed).toEqual([
      { path: 'content.cve', before: undefined, after: 'CVE-2026-1' },
      { path: 'content.cwes', before: '[]', after: undefined },
      { path: 'content.cwes.0.id', before: undefined, after: 'CWE-79' },
      { path: 'content.title', before: 'A', after: 'B' },
      { path: 'revision', before: '1', after: '2' },
    ]);
    const paths = rows.map((r) => r.path);
    expect(paths.indexOf('content.packages.2.fixed')).toBeLessThan(paths.indexOf('content.packages.10.fixed'));
  });

  it('treats identical documents as having no changed field', () => {
    const doc = { a: { b: [1, { c: null }] } };
    expect(diffDocuments(doc, structuredClone(doc)).every((r) => r.before === r.after)).toBe(true);
    expect(flatten(doc)).toEqual(new Map([['a.b.0', '1'], ['a.b.1.c', 'null']]));
  });
});
