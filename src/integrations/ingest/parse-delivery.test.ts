import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { malformedFields } from '../../../test/support/malformed-fields.js';
import { parseDelivery } from './parse-delivery.js';

const fixture = (path: string): Buffer => readFileSync(new URL(`../../../test/fixtures/ingest/${path}`, import.meta.url));
const json = { 'content-type': 'application/json' };

/** The first field a malformed-body error names. */
const malformedField = (run: () => unknown): string | undefined => malformedFields(run)[0];

describe('parseDelivery', () => {
  it('remembers a generic body once it repeats, its delivery frozen all the way down', () => {
    const raw = fixture('generic/single.json');
    const parse = () => parseDelivery({ kind: 'generic', raw: Buffer.from(raw), headers: json, query: {} });
    const first = parse();
    // A first sighting is only parsed: nothing is frozen or kept for a body that may never come again.
    expect(Object.isFrozen(first)).toBe(false);
    const second = parse();
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(parse()).toBe(second);
    const alert = second.alerts[0]!;
    expect(Object.isFrozen(second)).toBe(true);
    expect(Object.isFrozen(second.alerts)).toBe(true);
    expect(Object.isFrozen(alert)).toBe(true);
    expect(Object.isFrozen(alert.resource)).toBe(true);
    expect(Object.isFrozen(alert.raw)).toBe(true);
    expect(() => {
      (alert as { title: string }).title = 'changed';
    }).toThrow(TypeError);
  });

  it('notices a repeat among the latest few bodies, not only the one before', () => {
    const body = (host: string) => Buffer.from(JSON.stringify({ title: 'CPU hot', rule: 'cpu', host }));
    const parse = (host: string) => parseDelivery({ kind: 'generic', raw: body(host), headers: json, query: {} });
    parse('web-1');
    parse('web-2');
    parse('web-3');
    const again = parse('web-1');
    expect(parse('web-1')).toBe(again);
    expect(parse('web-2')).not.toBe(parse('web-3'));
  });

  it('parses a body that differs by one byte afresh', () => {
    const raw = Buffer.from(JSON.stringify({ title: 'Disk full', rule: 'disk', host: 'db-1' }));
    const other = Buffer.from(JSON.stringify({ title: 'Disk full', rule: 'disk', host: 'db-2' }));
    const first = parseDelivery({ kind: 'generic', raw, headers: json, query: {} });
    const second = parseDelivery({ kind: 'generic', raw: other, headers: json, query: {} });
    expect(second).not.toBe(first);
    expect(second.alerts[0]!.fingerprint).not.toBe(first.alerts[0]!.fingerprint);
  });

  it('remembers Alertmanager bodies too, each kind apart from the other', () => {
    const raw = fixture('alertmanager/firing.json');
    parseDelivery({ kind: 'alertmanager', raw, headers: json, query: {} });
    const remembered = parseDelivery({ kind: 'alertmanager', raw, headers: json, query: {} });
    expect(parseDelivery({ kind: 'alertmanager', raw, headers: json, query: {} })).toBe(remembered);
    // The same bytes sent to a generic source are not an Alertmanager delivery.
    expect(malformedField(() => parseDelivery({ kind: 'generic', raw, headers: json, query: {} }))).toBeDefined();
  });

  it('parses SARIF afresh each time, since its query names the repository', () => {
    const raw = fixture('sarif/gitleaks.sarif');
    const one = parseDelivery({ kind: 'sarif', raw, headers: json, query: { repository: 'acme/one' } });
    parseDelivery({ kind: 'sarif', raw, headers: json, query: { repository: 'acme/one' } });
    const two = parseDelivery({ kind: 'sarif', raw, headers: json, query: { repository: 'acme/two' } });
    expect(one.alerts[0]!.resource.repository).toBe('acme/one');
    expect(two.alerts[0]!.resource.repository).toBe('acme/two');
  });

  it('answers a bad body with its own error every time, never a remembered one', () => {
    const raw = fixture('generic/malformed-bad-severity.json');
    const first = malformedField(() => parseDelivery({ kind: 'generic', raw, headers: json, query: {} }));
    expect(first).toBeDefined();
    expect(malformedField(() => parseDelivery({ kind: 'generic', raw, headers: json, query: {} }))).toBe(first);
    expect(malformedField(() => parseDelivery({ kind: 'generic', raw: Buffer.from('{"title": '), headers: json, query: {} }))).toBe('(body)');
    expect(malformedField(() => parseDelivery({ kind: 'generic', raw: Buffer.alloc(0), headers: json, query: {} }))).toBe('(body)');
  });

  it('reads a form post’s JSON from its payload field', () => {
    const payload = JSON.stringify({ title: 'Token leaked', rule: 'leak', repository: 'acme/web' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const delivery = parseDelivery({ kind: 'generic', raw: Buffer.from(new URLSearchParams({ payload }).toString()), headers: form, query: {} });
    expect(delivery.alerts[0]).toMatchObject({ title: 'Token leaked', resource: { repository: 'acme/web' } });
    expect(malformedField(() => parseDelivery({ kind: 'generic', raw: Buffer.from('other=1'), headers: form, query: {} }))).toBe('payload');
  });
});
