import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describePlaceholders, findPlaceholders } from './placeholder.js';

const texts = (body: string) => findPlaceholders(body).map((p) => p.text);

describe('findPlaceholders', () => {
  it('finds unrendered Liquid, bracketed notes, angle-bracket slots and a lone ellipsis', () => {
    expect(texts('Hello {{ details }} and {% if x %}')).toEqual(['{{ details }}', '{% if x %}']);
    expect(texts('Impact: [TBD]. Fix: [insert date]. Owner: [todo]. [...]')).toEqual(['[TBD]', '[insert date]', '[todo]', '[...]']);
    expect(texts('Hand over to <next person> now')).toEqual(['<next person>']);
    expect(texts('Resolved: …\nNext update: …')).toEqual(['…', '…']);
    expect(texts('first\n...\nlast')).toEqual(['...']);
  });

  it('leaves ordinary prose, links and addresses alone', () => {
    expect(texts('See <https://example.org/a> or mail <security@example.org>.')).toEqual([]);
    expect(texts('We are still looking… more soon. Costs were 3 < 4 > 2.')).toEqual([]);
    expect(texts('A list: [x] done, [link](https://example.org), and so on...')).toEqual([]);
  });

  it('says where each one is', () => {
    const found = findPlaceholders('ok\nImpact: [TBD]\n{{ x }}');
    expect(found).toEqual([
      { text: '[TBD]', line: 2 },
      { text: '{{ x }}', line: 3 },
    ]);
    expect(describePlaceholders(found)).toBe('line 2: [TBD]; line 3: {{ x }}');
  });

  it('finds a placeholder put anywhere into any text', () => {
    const marks = fc.constantFrom('{{ impact }}', '[TBD]', '[insert CVE id]', '<affected versions>', ' … ');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '.', ',') }), marks, fc.nat(), (prose, mark, at) => {
        // A line of only "..." is itself a placeholder by design, so such prose is not "plain".
        fc.pre(!/^\s*\.\.\.\s*$/m.test(prose));
        const i = at % (prose.length + 1);
        const body = `${prose.slice(0, i)} ${mark} ${prose.slice(i)}`;
        expect(texts(body)).toContain(mark.trim());
        expect(texts(prose)).toEqual([]);
      }),
    );
  });
});
