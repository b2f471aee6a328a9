/**
 * A tenant's access rules (ImageKit's "advanced security settings"), decided from the request alone: IP and
 * CIDR allow/block lists (IPv4 and IPv6), country allow/block lists (`request.cf.country`), referrer
 * allow/block lists by the host of `Referer`, and a user-agent blocklist.
 *
 * Semantics:
 * - An empty allow list allows everything; a non-empty one refuses whatever it does not name. A block list
 *   refuses what it names. Block lists are checked first, so a block always wins over an allow.
 * - IPs come from `CF-Connecting-IP`. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) is matched as IPv4.
 *   A request without a parseable IP matches no range: an IP allowlist refuses it, a blocklist lets it pass.
 * - Countries are ISO 3166-1 alpha-2 codes (Cloudflare also sends `XX` unknown and `T1` Tor), compared
 *   case-insensitively. A request without a country is refused by a country allowlist.
 * - Referrers match by exact host, case-insensitively, port ignored. As in ImageKit ("the exact domain, no
 *   wildcards"), subdomains do NOT match: `example.com` does not allow `www.example.com`. A request without a
 *   (parseable) `Referer` is refused by a referrer allowlist (it does not come from an allowed site) and
 *   passes a blocklist.
 * - User agents are blocked by case-insensitive substring.
 *
 * Pure (no Node APIs): runs in the Worker and under Node tests alike.
 */
import ipaddr from 'ipaddr.js';
import { HttpError } from '../http/errors';
import type { AccessRules } from '../tenants/config';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Range = [Address, number];

/** What the rules look at, taken from the request. */
export interface AccessRequest {
  ip: string | null;
  country: string | null;
  /** The `Referer` header as sent. */
  referer: string | null;
  userAgent: string | null;
}

/** Which rule refused a request. */
export type RefusingRule = 'ipBlock' | 'ipAllow' | 'countryBlock' | 'countryAllow' | 'referrerBlock' | 'referrerAllow' | 'userAgentBlock';

export function accessRequestOf(request: Request): AccessRequest {
  const cf = (request as Request & { cf?: { country?: unknown } }).cf;
  return {
    ip: request.headers.get('CF-Connecting-IP'),
    country: typeof cf?.country === 'string' ? cf.country : null,
    referer: request.headers.get('Referer'),
    userAgent: request.headers.get('User-Agent'),
  };
}

interface CompiledRules {
  ipAllow: Range[] | null;
  ipBlock: Range[];
  countryAllow: Set<string> | null;
  countryBlock: Set<string>;
  referrerAllow: Set<string> | null;
  referrerBlock: Set<string>;
  userAgentBlock: string[];
}

// Tenant configs are memoised per isolate, so the same rules object comes back request after request.
const compiled = new WeakMap<AccessRules, CompiledRules>();

function compile(rules: AccessRules): CompiledRules {
  let result = compiled.get(rules);
  if (!result) {
    const upper = (list: string[]) => new Set(list.map((c) => c.trim().toUpperCase()));
    const hosts = (list: string[]) => new Set(list.map((h) => h.trim().toLowerCase()));
    // An allow list that is configured but holds only invalid entries still refuses everything (fail closed).
    result = {
      ipAllow: rules.ipAllow.length ? ranges(rules.ipAllow) : null,
      ipBlock: ranges(rules.ipBlock),
      countryAllow: rules.countryAllow.length ? upper(rules.countryAllow) : null,
      countryBlock: upper(rules.countryBlock),
      referrerAllow: rules.referrerAllow.length ? hosts(rules.referrerAllow) : null,
      referrerBlock: hosts(rules.referrerBlock),
      userAgentBlock: rules.userAgentBlock.map((s) => s.toLowerCase()).filter((s) => s.trim() !== ''),
    };
    compiled.set(rules, result);
  }
  return result;
}

/** The first rule that refuses the request, or null when every rule lets it through. */
export function refusingRule(rules: AccessRules, request: AccessRequest): RefusingRule | null {
  const r = compile(rules);
  const ip = parseAddress(request.ip);
  if (ip && r.ipBlock.some((range) => inRange(ip, range))) return 'ipBlock';
  if (r.ipAllow && !(ip && r.ipAllow.some((range) => inRange(ip, range)))) return 'ipAllow';

  const country = request.country?.trim().toUpperCase() || null;
  if (country && r.countryBlock.has(country)) return 'countryBlock';
  if (r.countryAllow && !(country && r.countryAllow.has(country))) return 'countryAllow';

  const host = refererHost(request.referer);
  if (host && r.referrerBlock.has(host)) return 'referrerBlock';
  if (r.referrerAllow && !(host && r.referrerAllow.has(host))) return 'referrerAllow';

  const agent = request.userAgent?.toLowerCase();
  if (agent && r.userAgentBlock.some((s) => agent.includes(s))) return 'userAgentBlock';
  return null;
}

const REFUSALS: Record<RefusingRule, string> = {
  ipBlock: "the client's IP address is in the IP blocklist",
  ipAllow: "the client's IP address is not in the IP allowlist",
  countryBlock: "the client's country is in the country blocklist",
  countryAllow: "the client's country is not in the country allowlist",
  referrerBlock: 'the referring site is in the referrer blocklist',
  referrerAllow: 'the referring site is not in the referrer allowlist',
  userAgentBlock: "the client's user agent is in the user-agent blocklist",
};

/** The 403 for a refused request: it names the rule, never the rule's content. */
export function accessDenied(rule: RefusingRule): HttpError {
  return new HttpError(
    403,
    `Access denied: ${REFUSALS[rule]} of this account.`,
    'The account owner restricts who may load these files (access rules). Contact the site owner if you should have access.',
  );
}

/** Throws the 403 when the tenant's access rules refuse the request. */
export function enforceAccessRules(rules: AccessRules, request: AccessRequest): void {
  const rule = refusingRule(rules, request);
  if (rule) throw accessDenied(rule);
}

// ---- validators (the settings API checks every list entry with these) ----

/**
 * An IPv4 address in four-part decimal (`163.120.4.15`), an IPv6 address (`2001:db8::1`), or either as a CIDR
 * range (`10.0.0.0/24`, `2001:db8::/32`). Legacy IPv4 forms (`127.1`, `0x7f.0.0.1`) and zone ids are refused.
 */
export function validateCidr(text: string): boolean {
  if (typeof text !== 'string' || text !== text.trim() || text.length > 64 || text.includes('%')) return false;
  if (ipaddr.IPv4.isValidFourPartDecimal(text) || ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) return true;
  if (!text.includes(':')) return false;
  return ipaddr.IPv6.isValid(text) || ipaddr.IPv6.isValidCIDR(text);
}

/** A two-letter country code as Cloudflare reports them (ISO 3166-1 alpha-2, plus `T1` for Tor), any case. */
export function validateCountry(code: string): boolean {
  return typeof code === 'string' && /^(?:[A-Za-z]{2}|[Tt]1)$/.test(code);
}

/**
 * A bare host name (`example.com`, `localhost`, `cdn.example.co.uk`, an IPv4 literal): ASCII letters, digits
 * and hyphens in dot-separated labels of 1–63 characters, 253 at most. No scheme, port, path or wildcard;
 * internationalised names in their punycode form (`xn--…`), which is what browsers send in `Referer`.
 */
export function validateHost(host: string): boolean {
  if (typeof host !== 'string' || host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

// ---- helpers ----

export function parseAddress(text: string | null): Address | null {
  if (!text) return null;
  try {
    // process() turns an IPv4-mapped IPv6 address into its IPv4 form.
    return ipaddr.process(text.trim());
  } catch {
    return null;
  }
}

function ranges(entries: string[]): Range[] {
  const out: Range[] = [];
  for (const entry of entries) {
    const range = parseRange(entry.trim());
    if (range) out.push(range);
  }
  return out;
}

export function parseRange(entry: string): Range | null {
  try {
    let address: Address;
    let bits: number;
    if (entry.includes('/')) {
      [address, bits] = ipaddr.parseCIDR(entry);
    } else {
      address = ipaddr.parse(entry);
      bits = address.kind() === 'ipv4' ? 32 : 128;
    }
    // A range written as IPv4-mapped IPv6 (`::ffff:10.0.0.0/104`) is matched as the IPv4 range it denotes.
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
    }
    return [address, bits];
  } catch {
    return null;
  }
}

export function inRange(ip: Address, [network, bits]: Range): boolean {
  return ip.kind() === network.kind() && ip.match(network, bits);
}

function refererHost(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}
