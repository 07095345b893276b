/**
 * The outbound guard without any allow-list (what a server runs with by default): every
 * internal target and its odd spellings is refused, names are judged by what they resolve
 * to, a rebinding resolver is caught at connect time, redirects are not followed. Real
 * loopback receivers show that a refused request never arrives.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, it } from 'vitest';
import { guardedPost } from './guarded-http.js';
import { OUTBOUND_REFUSED_REASON, OutboundGuard, type OutboundResolver, parseOutboundAllowList } from './outbound-guard.js';

const INTERNAL_URLS = [
  'http://127.0.0.1:5432/',
  'http://127.1/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://017700000001/',
  'http://[::1]:22/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::]/',
  'http://0.0.0.0/',
  'http://0/',
  'http://localhost:5432/',
  'http://LOCALHOST./',
  'http://api.localhost/',
  'http://10.0.0.8/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://100.100.100.200/latest/meta-data/',
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.170.2/v2/credentials',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fc00::5]/',
  'http://224.0.0.1/',
  'http://255.255.255.255/',
  'http://240.0.0.1/',
  'http://192.0.0.192/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
];

/** A resolver the test controls: a fixed table, or a script of answers per call. */
function table(entries: Record<string, readonly string[] | (() => readonly string[])>): OutboundResolver {
  return async (hostname) => {
    const entry = entries[hostname];
    if (entry === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return typeof entry === 'function' ? entry() : entry;
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A loopback receiver that counts requests and answers with `answer`. */
async function receiver(answer: (res: import('node:http').ServerResponse) => void = (res) => res.end('ok')): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    answer(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits };
}

const post = { headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}', timeoutMs: 5_000 };

describe('internal targets without an allow-list', () => {
  const guard = new OutboundGuard();

  it.each(INTERNAL_URLS)('refuses %s', async (url) => {
    await expect(guard.checkUrl(url)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
  });

  it('accepts public addresses', async () => {
    for (const url of ['http://8.8.8.8/', 'https://1.1.1.1/hook', 'http://[2606:4700:4700::1111]/']) await expect(guard.checkUrl(url)).resolves.toBeUndefined();
  });

  it('refuses any IPv4 address in an internal range, whichever way it is spelled', async () => {
    const internal = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10', '0.0.0.0/8'].map((c) => ipaddr.IPv4.parseCIDR(c));
    const inRange = fc.tuple(fc.constantFrom(...internal), fc.nat()).map(([[base, bits], n]) => {
      const start = base.toByteArray().reduce((a, b) => a * 256 + b, 0);
      return start + (n % 2 ** (32 - bits));
    });
    const spelled = fc.tuple(inRange, fc.constantFrom('decimal', 'hex', 'octal-dotted', 'dotted', 'mapped')).map(([value, style]) => {
      const bytes = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
      switch (style) {
        case 'decimal':
          return `http://${value}/`;
        case 'hex':
          return `http://0x${value.toString(16)}/`;
        case 'octal-dotted':
          return `http://${bytes.map((b) => `0${b.toString(8)}`).join('.')}/`;
        case 'mapped':
          return `http://[::ffff:${bytes.join('.')}]/`;
        default:
          return `http://${bytes.join('.')}/`;
      }
    });
    await fc.assert(fc.asyncProperty(spelled, async (url) => {
      await expect(guard.checkUrl(url)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    }));
  });

  it('judges a name by every address it resolves to', async () => {
    const names = new OutboundGuard({ resolve: table({ 'inside.example': ['127.0.0.1'], 'mixed.example': ['93.184.215.14', '10.1.2.3'], 'public.example': ['93.184.215.14'] }) });
    await expect(names.checkUrl('http://inside.example/')).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    await expect(names.checkUrl('http://inside.example./')).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    await expect(names.checkUrl('http://mixed.example/')).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    await expect(names.checkUrl('http://public.example/')).resolves.toBeUndefined();
  });

  it('refuses localhost as the system resolver answers it', async () => {
    await expect(new OutboundGuard().resolve('localhost')).rejects.toThrow(OUTBOUND_REFUSED_REASON);
  });
});

describe('the operator allow-list', () => {
  it('allows the listed ranges and names, and nothing else', async () => {
    const guard = new OutboundGuard({ allow: '127.0.0.0/8, ::1, 10.20.0.0/16, chat.corp.example, *.mail.corp', resolve: table({ 'chat.corp.example': ['10.99.0.4'], 'relay.mail.corp': ['192.168.7.7'], 'other.corp.example': ['10.99.0.5'] }) });
    for (const url of ['http://127.0.0.1:8080/', 'http://0x7f000001/', 'http://[::1]/', 'http://10.20.3.4/', 'http://chat.corp.example/', 'http://CHAT.corp.example./', 'http://relay.mail.corp/']) {
      await expect(guard.checkUrl(url)).resolves.toBeUndefined();
    }
    for (const url of ['http://10.21.0.1/', 'http://169.254.169.254/', 'http://[fd00:ec2::254]/', 'http://other.corp.example/', 'http://192.168.1.1/']) {
      await expect(guard.checkUrl(url)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    }
  });

  it('names the variable and the entry when an entry is malformed', () => {
    expect(() => OutboundGuard.fromEnv({ FIREBREAK_OUTBOUND_ALLOW: '10.0.0.0/8, 10.0.0.0/99' })).toThrow('FIREBREAK_OUTBOUND_ALLOW: "10.0.0.0/99" is not a CIDR range');
    expect(() => parseOutboundAllowList('chat.corp, mail relay')).toThrow('FIREBREAK_OUTBOUND_ALLOW: "mail relay" is not an address, a CIDR range or a host name');
    expect(() => parseOutboundAllowList('999.1.2.3')).toThrow('FIREBREAK_OUTBOUND_ALLOW: "999.1.2.3"');
    expect(parseOutboundAllowList(' , ')).toEqual({ ranges: [], hosts: [], domains: [] });
  });
});

describe('requests through the guard', () => {
  it('never sends a request to a refused target', async () => {
    const hook = await receiver();
    const guard = new OutboundGuard({ resolve: table({ 'inside.example': ['127.0.0.1'] }) });
    for (const url of [`http://127.0.0.1:${hook.port}/`, `http://[::ffff:127.0.0.1]:${hook.port}/`, `http://localhost:${hook.port}/`, `http://inside.example:${hook.port}/`]) {
      await expect(guardedPost(guard, url, post)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    }
    expect(hook.hits).toEqual([]);
    // The same receiver, allow-listed, gets it.
    await expect(guardedPost(new OutboundGuard({ allow: '127.0.0.0/8' }), `http://127.0.0.1:${hook.port}/hook`, post)).resolves.toMatchObject({ status: 200 });
    expect(hook.hits).toEqual(['POST /hook']);
  });

  it('checks the address again at connect time, so a rebinding name is refused', async () => {
    const hook = await receiver();
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    let calls = 0;
    const guard = new OutboundGuard({ resolve: table({ 'rebind.example': () => answers[Math.min(calls++, answers.length - 1)] ?? [] }) });
    await expect(guardedPost(guard, `http://rebind.example:${hook.port}/`, post)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    // Two resolutions: the check before the request (public), then the connection's own (loopback).
    expect(calls).toBe(2);
    expect(hook.hits).toEqual([]);
  });

  it('does not follow a redirect', async () => {
    const inside = await receiver();
    const outside = await receiver((res) => res.writeHead(302, { location: `http://127.0.0.1:${inside.port}/secret` }).end());
    const guard = new OutboundGuard({ allow: `127.0.0.1/32` });
    await expect(guardedPost(guard, `http://127.0.0.1:${outside.port}/hook`, post)).resolves.toMatchObject({ status: 302 });
    expect(outside.hits).toEqual(['POST /hook']);
    expect(inside.hits).toEqual([]);
  });

  it('describes a failed connection without the address or port', async () => {
    const hook = await receiver();
    const closed = hook.port;
    await new Promise((resolve) => servers.splice(0)[0]?.close(resolve));
    const error = await guardedPost(new OutboundGuard({ allow: '127.0.0.0/8' }), `http://127.0.0.1:${closed}/`, post).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('request failed: the connection was refused');
  });

  it('refuses a raw connection (SMTP) to an internal address, by literal or by name', async () => {
    const hook = await receiver();
    const guard = new OutboundGuard({ resolve: table({ 'relay.example': ['127.0.0.1'] }) });
    await expect(guard.connect('127.0.0.1', hook.port)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    await expect(guard.connect('relay.example', hook.port)).rejects.toThrow(OUTBOUND_REFUSED_REASON);
    const allowed = await new OutboundGuard({ allow: 'relay.example', resolve: table({ 'relay.example': ['127.0.0.1'] }) }).connect('relay.example', hook.port);
    expect(allowed.remoteAddress).toBe('127.0.0.1');
    allowed.destroy();
  });
});
