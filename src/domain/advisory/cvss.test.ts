import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FirebreakError } from '../errors.js';
import { scoreCvss, severityOfScore } from './cvss.js';

// Scores as FIRST's calculators give them (CVSS 3.1 specification examples and the
// v3.1/v4.0 calculators at first.org/cvss).
const KNOWN_3_1: [string, number, string][] = [
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'high'], // CVE-2014-0160 Heartbleed
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'], // CVE-2013-1937 reflected XSS
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'critical'], // CVE-2012-1516
  ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8, 'high'], // CVE-2009-0658
  ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'low'], // CVE-2014-3566 POODLE
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3, 'medium'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
];

const KNOWN_4_0: [string, number, string][] = [
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10, 'critical'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'high'], // CVE-2022-41741 (FIRST v4.0 examples)
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N', 8.7, 'high'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'none'],
];

describe('CVSS scoring through ae-cvss-calculator', () => {
  it.each(KNOWN_3_1)('CVSS 3.1 %s scores %d (%s)', (vector, score, severity) => {
    const result = scoreCvss(vector);
    expect(result.version).toBe('3.1');
    expect(result.baseScore).toBe(score);
    expect(result.severity).toBe(severity);
  });

  it.each(KNOWN_4_0)('CVSS 4.0 %s scores %d (%s)', (vector, score, severity) => {
    const result = scoreCvss(vector);
    expect(result.version).toBe('4.0');
    expect(result.baseScore).toBe(score);
    expect(result.severity).toBe(severity);
  });

  it('scores a 3.1 vector with temporal metrics: base stays, overall follows them', () => {
    const result = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C');
    expect(result.baseScore).toBe(9.8);
    expect(result.overallScore).toBe(8.5);
  });

  it('maps scores to FIRST qualitative ratings at the boundaries', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore)).toEqual(['none', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });
});

describe('invalid CVSS vectors are refused naming the metric', () => {
  const cases: [string, string][] = [
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'metric AV has value Q'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'base metric A missing'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:B', 'unknown metric FOO'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'metric AV appears twice'],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'metric AV has value X'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', 'base metric SA missing'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:Z/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'metric UI has value Z'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N', 'metric SC has value S'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:N/S:P', 'metric S appears twice'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'must start with CVSS:3.1/ or CVSS:4.0/'],
    ['garbage', 'must start with'],
    ['CVSS:3.1/AVN', '"AVN" is not a metric:value pair'],
  ];
  it.each(cases)('%s → %s', (vector, message) => {
    try {
      scoreCvss(vector, 'cvssV3');
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(FirebreakError);
      expect((error as FirebreakError).code).toBe('FB_ERR_ADVISORY_CVSS_INVALID');
      expect((error as FirebreakError).message).toContain(message);
      expect((error as FirebreakError).fields[0]?.path).toBe('cvssV3');
    }
  });

  it('refuses a 4.0 vector in the 3.1 field', () => {
    expect(() => scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 'cvssV3', '3.1')).toThrow(/expected a CVSS 3.1 vector/);
  });
});

describe('vectors in the specification’s order (issue 28)', () => {
  const osvPattern = (() => {
    const schema = readFileSync(new URL('../../../test/fixtures/schemas/osv-schema.json', import.meta.url), 'utf8');
    return new RegExp(/"pattern":\s*"(\^CVSS:4\[\.\]0\/AV[^"]+)"/.exec(schema)![1]!.replace(/\\\\/g, '\\'));
  })();

  it('rewrites a CVSS 4.0 vector given out of order into the order OSV’s CVSS_V4 pattern requires, with the same score', () => {
    const canonical = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:A/MAV:A/S:P';
    const shuffled = 'CVSS:4.0/S:P/VC:H/AC:L/AV:N/E:A/AT:N/UI:N/PR:N/VI:H/VA:N/SA:N/SC:N/SI:N/MAV:A';
    expect(osvPattern.test(shuffled)).toBe(false);
    const score = scoreCvss(shuffled);
    expect(score.vector).toBe(canonical);
    expect(osvPattern.test(score.vector)).toBe(true);
    expect(score.overallScore).toBe(scoreCvss(canonical).overallScore);
  });

  it('rewrites a CVSS 3.1 vector with temporal metrics first into 3.1 order', () => {
    expect(scoreCvss('CVSS:3.1/E:P/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P');
  });
});
