/**
 * The one gate every outbound connection passes (webhook and chat deliveries, SMTP, and
 * every future caller such as checkpoint witnesses): a target must resolve only to public
 * unicast addresses, unless the operator allows it in `FIREBREAK_OUTBOUND_ALLOW`. Without
 * it, anyone who may set a delivery target could make the server reach its own loopback,
 * the private network or the cloud metadata service (169.254.169.254, fd00:ec2::254).
 *
 * The address is checked twice: once before the request (so the reason is clear) and again
 * in the connection's own `lookup`, so a name that resolves to a public address first and
 * to 127.0.0.1 on the second query (DNS rebinding) is refused at connect time. Range
 * classification is ipaddr.js's; odd spellings (`0x7f000001`, `127.1`, `[::ffff:127.0.0.1]`)
 * are normalised by the WHATWG URL parser or by the resolver before they reach it.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import ipaddr from 'ipaddr.js';

export const OUTBOUND_ALLOW_ENV = 'FIREBREAK_OUTBOUND_ALLOW';

/** What a refused target is recorded as: the same words for every internal target, so failures reveal nothing about what listens inside. */
export const OUTBOUND_REFUSED_REASON = `refused: the target is not a public address (an operator can allow it in ${OUTBOUND_ALLOW_ENV})`;

/** Thrown when a target is internal and not allowed; `message` is always OUTBOUND_REFUSED_REASON. */
export class OutboundRefusedError extends Error {
  constructor() {
    super(OUTBOUND_REFUSED_REASON);
    this.name = 'OutboundRefusedError';
  }
}

/** Resolves a host name to every address it has (default: the system resolver, as connections use it). */
export type OutboundResolver = (hostname: string) => Promise<readonly string[]>;

/** Entries of the operator's allow-list: address ranges and exact host names (`*.corp.example` for a whole domain). */
export interface OutboundAllowList {
  readonly ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
  readonly hosts: readonly string[];
  readonly domains: readonly string[];
}

export interface OutboundGuardOptions {
  /** Comma-separated CIDRs, addresses and host names (the FIREBREAK_OUTBOUND_ALLOW syntax), or a parsed list. */
  readonly allow?: string | OutboundAllowList;
  readonly resolve?: OutboundResolver;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower case, no brackets around an IPv6 literal, no trailing dot (`localhost.` is `localhost`). */
function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/**
 * Parses the allow-list syntax: `10.20.0.0/16, 192.0.2.7, fd12::/48, chat.corp.example, *.mail.corp`.
 * Throws an Error naming `variable` and the entry that is not one of those.
 */
export function parseOutboundAllowList(text: string, variable = OUTBOUND_ALLOW_ENV): OutboundAllowList {
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const hosts: string[] = [];
  const domains: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry.includes('/')) {
      try {
        const [address, bits] = ipaddr.parseCIDR(entry);
        ranges.push([address.kind() === 'ipv6' ? (address as ipaddr.IPv6) : address, bits]);
        continue;
      } catch {
        throw new Error(`${variable}: "${entry}" is not a CIDR range (e.g. 10.20.0.0/16 or fd12:3456::/48)`);
      }
    }
    const host = normaliseHost(entry);
    if (ipaddr.isValid(host) && isIP(host) !== 0) {
      const address = ipaddr.process(host);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (host.startsWith('*.') && HOST_NAME.test(host.slice(2))) {
      domains.push(host.slice(1));
    } else if (HOST_NAME.test(host) && !/^[0-9.]+$/.test(host)) {
      hosts.push(host);
    } else {
      throw new Error(`${variable}: "${entry}" is not an address, a CIDR range or a host name (separate entries with commas)`);
    }
  }
  return { ranges, hosts, domains };
}

const systemResolver: OutboundResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((a) => a.address))));
  });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export class OutboundGuard {
  private readonly allow: OutboundAllowList;
  private readonly resolver: OutboundResolver;

  constructor(options: OutboundGuardOptions = {}) {
    this.allow = typeof options.allow === 'string' ? parseOutboundAllowList(options.allow) : (options.allow ?? { ranges: [], hosts: [], domains: [] });
    this.resolver = options.resolve ?? systemResolver;
  }

  /** The guard the environment asks for; throws naming FIREBREAK_OUTBOUND_ALLOW when it is malformed (checked at start-up). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): OutboundGuard {
    return new OutboundGuard({ allow: parseOutboundAllowList(env[OUTBOUND_ALLOW_ENV] ?? '') });
  }

  /** True for a public unicast address, or one inside an allowed range. */
  isAllowedAddress(address: string): boolean {
    const host = normaliseHost(address);
    if (!ipaddr.isValid(host)) return false;
    // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so mapped addresses are judged as IPv4.
    const parsed = ipaddr.process(host);
    if (this.allow.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return true;
    return parsed.range() === 'unicast';
  }

  /** True when the operator named this host (or its domain) in the allow-list. */
  isAllowedHostName(hostname: string): boolean {
    const host = normaliseHost(hostname);
    return this.allow.hosts.includes(host) || this.allow.domains.some((suffix) => host.endsWith(suffix));
  }

  /**
   * The addresses a host may be reached at; throws OutboundRefusedError when any of them is
   * internal and not allowed (all of them, not just the first, because the connection may
   * use any). A name the resolver does not know rejects with the resolver's error.
   */
  async resolve(hostname: string): Promise<readonly string[]> {
    const host = normaliseHost(hostname);
    if (isIP(host) !== 0) {
      if (!this.isAllowedAddress(host)) throw new OutboundRefusedError();
      return [host];
    }
    if (host === '' || host === 'localhost' || host.endsWith('.localhost')) {
      if (this.isAllowedHostName(host)) return this.resolver(host);
      throw new OutboundRefusedError();
    }
    const addresses = await this.resolver(host);
    if (this.isAllowedHostName(host)) return addresses;
    if (addresses.length === 0 || addresses.some((a) => !this.isAllowedAddress(a))) throw new OutboundRefusedError();
    return addresses;
  }

  /** Checks a URL's host (http, https); throws OutboundRefusedError for an internal one. */
  async checkUrl(url: string | URL): Promise<void> {
    await this.resolve(new URL(url).hostname);
  }

  /**
   * A `lookup` for node:net / node:http / node:tls connections: resolves through the guard
   * at connect time, so the address connected to is the one checked.
   */
  readonly lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions | number, callback: LookupCallback): void => {
    const asked = typeof options === 'number' ? options : (options.family ?? 0);
    const family = asked === 'IPv4' ? 4 : asked === 'IPv6' ? 6 : asked;
    const all = typeof options === 'object' && options.all === true;
    this.resolve(hostname).then(
      (addresses) => {
        const wanted = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((a) => family === 0 || a.family === family);
        if (wanted.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`no address of the requested family for ${hostname}`);
          error.code = 'ENOTFOUND';
          callback(error, '');
        } else if (all) callback(null, wanted);
        else callback(null, wanted[0]?.address ?? '', wanted[0]?.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
    );
  };

  /** A TCP connection through the guard (SMTP uses it); literal addresses are checked here, names in `lookup`. */
  async connect(host: string, port: number): Promise<Socket> {
    const target = normaliseHost(host);
    if (isIP(target) !== 0 && !this.isAllowedAddress(target)) throw new OutboundRefusedError();
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: target, port, lookup: this.lookup });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
}
