/**
 * SARIF as real tools write it (issue 28): empty runs and `results: null` are valid logs,
 * a byte-order mark is allowed, rules may live in `tool.extensions[]` (CodeQL CLI, with
 * `security-severity`), locations may point into `run.artifacts[]`, passes are not
 * findings, and a run may hold up to GitHub's 25,000 results. Payloads of the same shape
 * as those tools' output, written here.
 */
import { describe, expect, it } from 'vitest';
import { parseDelivery } from './parse-delivery.js';
import { SARIF_MAX_RESULTS_PER_RUN } from './sarif.js';

const sarif = (runs: unknown, prefix = '') => parseDelivery({ kind: 'sarif', raw: Buffer.from(prefix + JSON.stringify({ version: '2.1.0', runs }), 'utf8'), headers: {}, query: { repository: 'acme/web' } });
const driver = { name: 'CodeQL', rules: [] };

describe('SARIF logs from real tools', () => {
  it('accepts a log with no runs, a run with results: null, and a UTF-8 byte-order mark', () => {
    expect(sarif([]).alerts).toEqual([]);
    expect(sarif([{ tool: { driver }, results: null }]).alerts).toEqual([]);
    expect(sarif([{ tool: { driver }, results: [] }], '\uFEFF').ignored).toContain('no results that need attention');
  });

  it('reads a rule from tool.extensions (rule.toolComponent.index) with its security-severity', () => {
    const extensions = [
      { name: 'codeql/javascript-queries', rules: [{ id: 'js/sql-injection', name: 'Database query built from user-controlled sources', properties: { 'security-severity': '8.8' } }] },
    ];
    const result = { ruleId: 'js/sql-injection', rule: { id: 'js/sql-injection', index: 0, toolComponent: { index: 0 } }, message: { text: 'This query depends on a user-provided value.' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 12 } } }] };
    const [alert] = sarif([{ tool: { driver, extensions }, results: [result] }]).alerts;
    expect(alert).toMatchObject({ rule: 'js/sql-injection', severityLabel: 'high', title: 'CodeQL: Database query built from user-controlled sources in src/db.js:12' });
  });

  it('resolves artifactLocation.index into run.artifacts, so findings in different files stay apart', () => {
    const artifacts = [{ location: { uri: 'src/a.js' } }, { location: { uri: 'src/b.js' } }];
    const at = (index: number) => ({ ruleId: 'js/xss', level: 'error', message: { text: 'XSS' }, locations: [{ physicalLocation: { artifactLocation: { index }, region: { startLine: 3 } } }] });
    const alerts = sarif([{ tool: { driver }, artifacts, results: [at(0), at(1)] }]).alerts;
    expect(alerts.map((a) => a.resource['path'])).toEqual(['src/a.js', 'src/b.js']);
    expect(new Set(alerts.map((a) => a.fingerprint)).size).toBe(2);
  });

  it('keeps fail, open and review results and leaves passes, not-applicable and informational ones out', () => {
    const kinds = ['fail', 'open', 'review', 'pass', 'notApplicable', 'informational', undefined];
    const results = kinds.map((kind, i) => ({ ruleId: `r${i}`, ...(kind ? { kind } : {}), message: { text: `result ${i}` } }));
    expect(sarif([{ tool: { driver }, results }]).alerts.map((a) => a.rule)).toEqual(['r0', 'r1', 'r2', 'r6']);
  });

  it('takes 25,000 results in a run and refuses more, naming the limit', () => {
    const results = (n: number) => Array.from({ length: n }, (_, i) => ({ ruleId: 'gitleaks', kind: 'pass', message: { text: `${i}` } }));
    expect(() => sarif([{ tool: { driver }, results: results(SARIF_MAX_RESULTS_PER_RUN) }])).not.toThrow();
    expect(() => sarif([{ tool: { driver }, results: results(SARIF_MAX_RESULTS_PER_RUN + 1) }])).toThrow(/runs\[0\]\.results: a run may hold at most 25000 results/);
  });
});
