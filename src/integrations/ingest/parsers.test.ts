import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../app/auth/secret-token.js';
import { malformedFields } from '../../../test/support/malformed-fields.js';
import { PARSERS } from './index.js';
import { signBody, verifyBearer, verifyHmac } from './signature.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/ingest/${path}`, import.meta.url), 'utf8'));
const request = (body: unknown, headers: Record<string, string> = {}, query: Record<string, string> = {}) => ({ body, headers, query });

describe('Alertmanager parser', () => {
  it('turns each alert of a v4 notification into a normalised alert keyed by its fingerprint', () => {
    const { alerts } = PARSERS.alertmanager(request(fixture('alertmanager/firing.json')));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      source: 'alertmanager',
      sourceId: '5e3a9c1f00b2d471',
      rule: 'SigningServiceUnauthorizedAccess',
      severityLabel: 'critical',
      resource: { host: 'signer-1.internal:8443' },
      state: 'firing',
      title: 'Unauthorised calls to the release signing service',
    });
    expect(alerts[0]!.fingerprint).not.toBe(alerts[1]!.fingerprint);
  });

  it('gives a resolved notification the same fingerprint as the firing one', () => {
    const firing = PARSERS.alertmanager(request(fixture('alertmanager/firing.json'))).alerts[0]!;
    const resolved = PARSERS.alertmanager(request(fixture('alertmanager/resolved.json'))).alerts[0]!;
    expect(resolved.state).toBe('resolved');
    expect(resolved.fingerprint).toBe(firing.fingerprint);
  });

  it('names the field when an alert lacks its alertname, or the version is wrong', () => {
    expect(malformedFields(() => PARSERS.alertmanager(request(fixture('alertmanager/malformed-no-alertname.json'))))).toEqual(['alerts[1].labels']);
    expect(malformedFields(() => PARSERS.alertmanager(request({ ...(fixture('alertmanager/firing.json') as object), version: '3' })))).toEqual(['version']);
  });
});

describe('GitHub parser', () => {
  const gh = (event: string, file: string) => PARSERS.github(request(fixture(`github/${file}`), { 'x-github-event': event, 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }));

  it('reads a Dependabot alert: advisory, package, manifest and severity', () => {
    const parsed = gh('dependabot_alert', 'dependabot_alert.created.json');
    expect(parsed.deliveryId).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(parsed.alerts[0]).toMatchObject({
      source: 'github:dependabot_alert',
      sourceId: 'acme-labs/opaque-core/dependabot/42',
      rule: 'GHSA-8cf7-32gw-wr33',
      severityLabel: 'high',
      resource: { repository: 'acme-labs/opaque-core', path: 'services/auth/package-lock.json', package: 'npm:jsonwebtoken' },
      url: 'https://github.com/acme-labs/opaque-core/security/dependabot/42',
    });
  });

  it('reads code scanning, secret scanning and both advisory events', () => {
    expect(gh('code_scanning_alert', 'code_scanning_alert.created.json').alerts[0]).toMatchObject({ rule: 'js/insufficient-password-hash', severityLabel: 'high', resource: { path: 'src/auth/register.js' } });
    expect(gh('secret_scanning_alert', 'secret_scanning_alert.created.json').alerts[0]).toMatchObject({ rule: 'aws_access_key_id', severityLabel: 'critical', title: 'Secret exposed in acme-labs/opaque-core: Amazon AWS Access Key ID' });
    expect(gh('repository_advisory', 'repository_advisory.reported.json').alerts[0]).toMatchObject({ rule: 'GHSA-4v9q-x7p2-mm3r', severityLabel: 'medium', resource: { repository: 'acme-labs/opaque-core', package: 'nuget:Acme.Security.Opaque' } });
    expect(gh('security_advisory', 'security_advisory.published.json').alerts[0]).toMatchObject({ rule: 'GHSA-c2qf-rxjj-qqgw', severityLabel: 'medium', resource: { package: 'npm:semver' } });
  });

  it('ignores ping and events it does not ingest, and names a missing event header', () => {
    expect(gh('ping', 'ping.json')).toMatchObject({ alerts: [], ignored: 'ping received; the hook works' });
    expect(gh('push', 'ping.json').alerts).toEqual([]);
    expect(malformedFields(() => PARSERS.github(request({})))).toEqual(['X-GitHub-Event']);
  });

  it('names the missing field of a malformed payload', () => {
    expect(malformedFields(() => gh('dependabot_alert', 'dependabot_alert.malformed.json'))).toEqual(['alert.security_advisory.ghsa_id']);
  });
});

describe('SARIF parser', () => {
  it('reads Gitleaks output without keeping the leaked secret', () => {
    const { alerts } = PARSERS.sarif(request(fixture('sarif/gitleaks.sarif'), {}, { repository: 'acme-labs/opaque-core' }));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ source: 'sarif:gitleaks', rule: 'aws-access-token', severityLabel: 'warning', resource: { repository: 'acme-labs/opaque-core', path: 'deploy/terraform/ci.tfvars' } });
    expect(JSON.stringify(alerts)).not.toContain('AKIAZ7EXAMPLEQ4XK2MB');
    expect(JSON.stringify(alerts)).not.toContain('sk_live_9c1f00b2');
  });

  it('bands security-severity like GitHub code scanning (Semgrep 7.8 → high) and reads the repository from CodeQL provenance', () => {
    expect(PARSERS.sarif(request(fixture('sarif/semgrep.sarif'))).alerts[0]).toMatchObject({ source: 'sarif:semgrep-oss', severityLabel: 'high', resource: { path: 'services/api/src/users.js' } });
    expect(PARSERS.sarif(request(fixture('sarif/codeql.sarif'))).alerts[0]).toMatchObject({ source: 'sarif:codeql', severityLabel: 'high', resource: { repository: 'acme-labs/opaque-core', path: 'src/server/static.js' } });
  });

  it('names the field of a malformed log', () => {
    expect(malformedFields(() => PARSERS.sarif(request(fixture('sarif/malformed-no-driver-name.sarif'))))).toEqual(['runs[0].tool.driver.name']);
    expect(malformedFields(() => PARSERS.sarif(request({ version: '2.0.0', runs: [] })))).toContain('version');
  });
});

describe('generic parser', () => {
  it('accepts one alert, an array, or { alerts }', () => {
    expect(PARSERS.generic(request(fixture('generic/single.json'))).alerts[0]).toMatchObject({ source: 'generic', deliveryId: 'falco-01HZX4S9Q4', severityLabel: 'critical', resource: { host: 'k8s-prod-3' } });
    expect(PARSERS.generic(request(fixture('generic/batch.json'))).alerts).toHaveLength(3);
    expect(PARSERS.generic(request([{ title: 'a' }, { title: 'b' }])).alerts).toHaveLength(2);
  });

  it('gives the same rule on the same resource the same fingerprint, and an id its own', () => {
    const [a, b, c] = PARSERS.generic(request([{ title: 'x', rule: 'r', repository: 'o/r' }, { title: 'y', rule: 'r', repository: 'o/r' }, { title: 'x', rule: 'r', repository: 'o/r', id: 'own-1' }])).alerts;
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(c!.fingerprint).not.toBe(a!.fingerprint);
  });

  it('names each bad field with its index', () => {
    expect(malformedFields(() => PARSERS.generic(request(fixture('generic/malformed-bad-severity.json'))))).toEqual(['[1].title', '[1].severity']);
    expect(malformedFields(() => PARSERS.generic(request({ title: 't', colour: 'red' })))).toEqual(['(body)']);
  });
});

describe('signatures', () => {
  it('accepts the right HMAC and refuses a wrong or missing one', () => {
    const body = Buffer.from('{"a":1}');
    expect(verifyHmac('s3cret', body, signBody('s3cret', body))).toBe(true);
    expect(verifyHmac('other', body, signBody('s3cret', body))).toBe(false);
    expect(verifyHmac('s3cret', Buffer.from('{"a":2}'), signBody('s3cret', body))).toBe(false);
    expect(verifyHmac('s3cret', body, undefined)).toBe(false);
    expect(verifyHmac('s3cret', body, 'sha1=abc')).toBe(false);
  });

  it('accepts the right bearer token only', () => {
    const stored = sha256('tok-123');
    expect(verifyBearer(stored, 'Bearer tok-124')).toBe(false);
    expect(verifyBearer(stored, 'Bearer tok-123')).toBe(true);
    expect(verifyBearer(stored, 'Basic dG9r')).toBe(false);
    expect(verifyBearer(stored, undefined)).toBe(false);
  });

  it('still refuses other tokens once the right one has matched and is compared directly', () => {
    const stored = sha256('tok-abc');
    const other = sha256('tok-xyz');
    expect(verifyBearer(stored, 'Bearer tok-abc')).toBe(true);
    // Again, now from the remembered token: right, wrong of the same length, a prefix, longer.
    expect(verifyBearer(stored, 'bearer  tok-abc ')).toBe(true);
    expect(verifyBearer(stored, 'Bearer tok-abd')).toBe(false);
    expect(verifyBearer(stored, 'Bearer tok-ab')).toBe(false);
    expect(verifyBearer(stored, 'Bearer tok-abcd')).toBe(false);
    // A token remembered for one stored hash is no key to another.
    expect(verifyBearer(other, 'Bearer tok-abc')).toBe(false);
    expect(verifyBearer(other, 'Bearer tok-xyz')).toBe(true);
    expect(verifyBearer(stored, 'Bearer tok-xyz')).toBe(false);
    expect(verifyBearer(stored, 'Bearer tok-abc')).toBe(true);
  });
});
