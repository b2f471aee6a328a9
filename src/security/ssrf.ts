/**
 * The SSRF guard: decides whether edgepix may open a connection to a URL that a tenant configured (an S3
 * endpoint, a web folder) or that anyone wrote into a delivery URL (a web proxy), and every redirect hop after it.
 *
 * What is checked, on the URL as the WHATWG parser normalises it (the same parser workerd uses):
 * - scheme `http:` or `https:` only, no credentials in the URL;
 * - the port: 80 and 443 always; any other port only when the caller names that exact `host:port` as explicitly
 *   configured (a tenant wrote it in an origin's endpoint or baseUrl), or when private addresses are allowed and
 *   the host is a private one (local development servers run on arbitrary ports);
 * - the host. `new URL()` already turns every disguised IPv4 literal into a dotted quad — `2130706433`,
 *   `0x7f000001`, `0177.0.0.1`, `127.1`, `127.0.0.1.`, `%31%32%37.0.0.1`, full-width digits — and IPv6 literals
 *   into their compressed form, so the checks below see one spelling. IPv4 and IPv6 literals are classified with
 *   ipaddr.js; IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible, SIIT, NAT64 64:ff9b::/96,
 *   6to4 2002::/16, Teredo 2001::/32) are judged by the IPv4 address inside them. Names: `localhost`,
 *   `*.localhost`, single-label names and the private-use suffixes (`.local`, `.internal`, `.home.arpa`,
 *   `.localdomain`) are refused as private.
 *
 * Workers cannot resolve DNS, so a public-looking name that resolves to a private address (`127.0.0.1.nip.io`)
 * is not caught here; in production Cloudflare itself refuses to connect a Worker's subrequest to private, loopback
 * and link-local addresses. Locally (workerd under `wrangler dev` or the tests) nothing stops such a name.
 *
 * `ALLOW_PRIVATE_ORIGINS === "true"` lifts only the refusal of private addresses (loopback, RFC 1918, CGNAT,
 * unique-local, private names). Link-local (cloud metadata at 169.254.169.254), unspecified (0.0.0.0/8, ::),
 * multicast, broadcast and reserved ranges stay refused always.
 *
 * No Node APIs here: this module runs inside workerd.
 */
import ipaddr from 'ipaddr.js';
import { HttpError } from '../http/errors';

/** `public`: may be fetched; `private`: only with ALLOW_PRIVATE_ORIGINS; `forbidden`: never. */
export type AddressClass = 'public' | 'private' | 'forbidden';

export interface Verdict {
  class: AddressClass;
  /** Why, in a few words: "loopback address", "IPv4-mapped IPv6 address of 10.0.0.1 (private network)". */
  reason: string;
}

export interface OutboundPolicy {
  /** ALLOW_PRIVATE_ORIGINS: private addresses (and any port on them) may be reached. */
  allowPrivate: boolean;
  /** `host:port` pairs (URL `host` form, lower case) a tenant configured explicitly; their port is allowed. */
  configuredHosts?: ReadonlySet<string>;
}

export const DEFAULT_PORTS: ReadonlySet<string> = new Set(['80', '443']);

/** The policy of an environment: only `"true"` allows private addresses. */
export function policyFor(env: { ALLOW_PRIVATE_ORIGINS?: string }, configuredUrls: readonly string[] = []): OutboundPolicy {
  const configuredHosts = new Set<string>();
  for (const raw of configuredUrls) {
    try {
      const url = new URL(raw);
      if (url.port) configuredHosts.add(url.host.toLowerCase());
    } catch {
      // An unparsable URL adds nothing; checkOutboundUrl refuses it when it is used.
    }
  }
  return { allowPrivate: env.ALLOW_PRIVATE_ORIGINS === 'true', configuredHosts };
}

/** A refused outbound URL. 403: edgepix will not fetch it, whoever asked. */
export class OutboundRefused extends HttpError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(
      403,
      `Refused to fetch ${describeUrl(url)}: ${reason}`,
      'Origins must be public http(s) servers on port 80 or 443 (or a port written in the origin configuration).',
    );
    this.name = 'OutboundRefused';
  }
}

/** Shows scheme, host and port only: paths and queries may carry secrets. */
function describeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'an invalid URL';
  }
}

// --- IP ranges ------------------------------------------------------------------------------------------------

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];
const cidr = (text: string): Range => ipaddr.parseCIDR(text);

interface RangeRule {
  ranges: Range[];
  class: AddressClass;
  reason: string;
}

const IPV4_RULES: RangeRule[] = [
  { ranges: [cidr('0.0.0.0/8')], class: 'forbidden', reason: 'unspecified address ("this network")' },
  { ranges: [cidr('127.0.0.0/8')], class: 'private', reason: 'loopback address' },
  { ranges: [cidr('10.0.0.0/8'), cidr('172.16.0.0/12'), cidr('192.168.0.0/16')], class: 'private', reason: 'private network address' },
  { ranges: [cidr('100.64.0.0/10')], class: 'private', reason: 'carrier-grade NAT address' },
  { ranges: [cidr('169.254.0.0/16')], class: 'forbidden', reason: 'link-local address' },
  { ranges: [cidr('224.0.0.0/4')], class: 'forbidden', reason: 'multicast address' },
  { ranges: [cidr('255.255.255.255/32')], class: 'forbidden', reason: 'broadcast address' },
  {
    ranges: [
      cidr('192.0.0.0/24'), // IETF protocol assignments
      cidr('192.0.2.0/24'), // TEST-NET-1
      cidr('192.88.99.0/24'), // 6to4 relay anycast
      cidr('198.18.0.0/15'), // benchmarking
      cidr('198.51.100.0/24'), // TEST-NET-2
      cidr('203.0.113.0/24'), // TEST-NET-3
      cidr('240.0.0.0/4'), // reserved for future use
    ],
    class: 'forbidden',
    reason: 'reserved address',
  },
];

const IPV6_RULES: RangeRule[] = [
  { ranges: [cidr('::/128')], class: 'forbidden', reason: 'unspecified address' },
  { ranges: [cidr('::1/128')], class: 'private', reason: 'loopback address' },
  { ranges: [cidr('fe80::/10')], class: 'forbidden', reason: 'link-local address' },
  { ranges: [cidr('fc00::/7')], class: 'private', reason: 'unique-local address' },
  { ranges: [cidr('fec0::/10')], class: 'private', reason: 'site-local address' },
  { ranges: [cidr('ff00::/8')], class: 'forbidden', reason: 'multicast address' },
  { ranges: [cidr('64:ff9b:1::/48')], class: 'forbidden', reason: 'local-use NAT64 address' },
  {
    ranges: [
      cidr('100::/64'), // discard-only
      cidr('2001:db8::/32'), // documentation
      cidr('3fff::/20'), // documentation
      cidr('2001::/23'), // IETF protocol assignments (Teredo is handled before)
      cidr('5f00::/16'), // segment routing
    ],
    class: 'forbidden',
    reason: 'reserved address',
  },
];

const GLOBAL_UNICAST_V6 = cidr('2000::/3');

function matchRules(address: ipaddr.IPv4 | ipaddr.IPv6, rules: RangeRule[]): Verdict | undefined {
  for (const rule of rules) {
    if (rule.ranges.some((range) => range[0].kind() === address.kind() && address.match(range))) {
      return { class: rule.class, reason: rule.reason };
    }
  }
  return undefined;
}

export function classifyIPv4(address: ipaddr.IPv4): Verdict {
  return matchRules(address, IPV4_RULES) ?? { class: 'public', reason: 'public address' };
}

const v4FromWords = (high: number, low: number) =>
  new ipaddr.IPv4([(high >> 8) & 0xff, high & 0xff, (low >> 8) & 0xff, low & 0xff]);

/** The IPv4 addresses an IPv6 address stands for, with the name of the mechanism. */
function embeddedIPv4(address: ipaddr.IPv6): { mechanism: string; addresses: ipaddr.IPv4[] } | undefined {
  const p = address.parts;
  const within = (text: string) => address.match(cidr(text));
  if (within('::ffff:0:0/96')) return { mechanism: 'IPv4-mapped IPv6 address', addresses: [v4FromWords(p[6]!, p[7]!)] };
  if (within('::ffff:0:0:0/96')) return { mechanism: 'SIIT IPv6 address', addresses: [v4FromWords(p[6]!, p[7]!)] };
  if (within('64:ff9b::/96')) return { mechanism: 'NAT64 IPv6 address', addresses: [v4FromWords(p[6]!, p[7]!)] };
  if (within('2002::/16')) return { mechanism: '6to4 IPv6 address', addresses: [v4FromWords(p[1]!, p[2]!)] };
  if (within('2001::/32')) {
    // Teredo: server IPv4 in bits 32–63, client IPv4 inverted in the last 32 bits.
    return {
      mechanism: 'Teredo IPv6 address',
      addresses: [v4FromWords(p[2]!, p[3]!), v4FromWords(~p[6]! & 0xffff, ~p[7]! & 0xffff)],
    };
  }
  // IPv4-compatible (deprecated) ::a.b.c.d, except :: and ::1 which the rules name.
  if (within('::/96') && (p[6] !== 0 || p[7]! > 1)) {
    return { mechanism: 'IPv4-compatible IPv6 address', addresses: [v4FromWords(p[6]!, p[7]!)] };
  }
  return undefined;
}

const SEVERITY: Record<AddressClass, number> = { public: 0, private: 1, forbidden: 2 };

export function classifyIPv6(address: ipaddr.IPv6): Verdict {
  const embedded = embeddedIPv4(address);
  if (embedded) {
    let worst: Verdict = { class: 'public', reason: 'public address' };
    let worstAddress = embedded.addresses[0]!;
    for (const v4 of embedded.addresses) {
      const verdict = classifyIPv4(v4);
      if (SEVERITY[verdict.class] > SEVERITY[worst.class]) {
        worst = verdict;
        worstAddress = v4;
      }
    }
    if (worst.class === 'public') return { class: 'public', reason: `${embedded.mechanism} of a public address` };
    return { class: worst.class, reason: `${embedded.mechanism} of ${worstAddress.toString()} (${worst.reason})` };
  }
  const ruled = matchRules(address, IPV6_RULES);
  if (ruled) return ruled;
  if (!address.match(GLOBAL_UNICAST_V6)) return { class: 'forbidden', reason: 'reserved address (outside 2000::/3)' };
  return { class: 'public', reason: 'public address' };
}

/** Classifies an IP literal (IPv6 with or without brackets); undefined when `text` is not one. */
export function classifyIp(text: string): Verdict | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (ipaddr.IPv6.isValid(bare) && bare.includes(':')) {
    const address = ipaddr.IPv6.parse(bare);
    // A zone id (fe80::1%eth0) names an interface: only link-local addresses have one, refuse outright.
    if (address.zoneId) return { class: 'forbidden', reason: 'IPv6 address with a zone id' };
    return classifyIPv6(address);
  }
  // ipaddr.js also reads the legacy forms (0x7f.1, 0177.0.0.1, 2130706433); the URL parser normally got there first.
  if (ipaddr.IPv4.isValid(bare)) return classifyIPv4(ipaddr.IPv4.parse(bare));
  return undefined;
}

const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.localdomain', '.lan'];

/**
 * Classifies a hostname as `URL.hostname` gives it (lower case, IPv6 in brackets, IPv4 normalised). Raw input is
 * normalised through the URL parser first, so `0x7f000001` and friends are caught here too.
 */
export function classifyHost(hostname: string): Verdict {
  if (/[/@?#\\\s]/.test(hostname)) return { class: 'forbidden', reason: 'not a valid host name' };
  let host = hostname;
  try {
    host = new URL(`http://${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}/`).hostname;
  } catch {
    return { class: 'forbidden', reason: 'not a valid host name' };
  }
  const ip = classifyIp(host);
  if (ip) return ip;
  const name = host.toLowerCase().replace(/\.+$/, '');
  if (name === '') return { class: 'forbidden', reason: 'empty host name' };
  if (name === 'localhost' || PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    return { class: 'private', reason: 'local host name' };
  }
  if (!name.includes('.')) return { class: 'private', reason: 'single-label (intranet) host name' };
  // A name made only of digits and dots or hex after normalisation would have been parsed as IPv4 above.
  return { class: 'public', reason: 'public host name' };
}

/**
 * The URL, parsed, when edgepix may fetch it under `policy`; otherwise an OutboundRefused naming the reason.
 */
export function checkOutboundUrl(input: string | URL, policy: OutboundPolicy): URL {
  const raw = typeof input === 'string' ? input : input.href;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused(raw, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundRefused(raw, `the scheme ${url.protocol} is not http or https`);
  }
  if (url.username || url.password) throw new OutboundRefused(raw, 'credentials in the URL are not allowed');
  const verdict = classifyHost(url.hostname);
  if (verdict.class === 'forbidden' || (verdict.class === 'private' && !policy.allowPrivate)) {
    throw new OutboundRefused(raw, `${url.hostname} is a ${verdict.reason}`);
  }
  const port = url.port;
  if (port && !DEFAULT_PORTS.has(port)) {
    const configured = policy.configuredHosts?.has(url.host.toLowerCase()) ?? false;
    const privateDev = verdict.class === 'private' && policy.allowPrivate;
    if (!configured && !privateDev) {
      throw new OutboundRefused(raw, `port ${port} is not allowed (only 80 and 443, or a port written in the origin's configuration)`);
    }
  }
  return url;
}
