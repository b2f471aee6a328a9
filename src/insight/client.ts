/**
 * What an event says about the client: its IP as the tenant's privacy setting keeps it, the Referer's host, and
 * the User-Agent read into browser, OS and device class (bowser: a small kept parser, ~10 KB gzip).
 */
import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';
import type { AnalyticsSettings } from '../tenants/config';
import { hex } from '../security/crypto';
import { MAX_TEXT } from './event';

export interface UserAgentFamilies {
  browser: string;
  os: string;
  device: string;
}

/** Parsed user agents, per isolate: most traffic comes from a few of them, and parsing is a run of regexes. */
const parsed = new Map<string, UserAgentFamilies>();
const MAX_PARSED = 500;

export function userAgentFamilies(userAgent: string): UserAgentFamilies {
  if (userAgent === '') return { browser: '', os: '', device: 'unknown' };
  const known = parsed.get(userAgent);
  if (known) return known;
  const result = Bowser.parse(userAgent);
  const families = { browser: result.browser.name ?? '', os: result.os.name ?? '', device: result.platform.type ?? 'unknown' };
  if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
  parsed.set(userAgent, families);
  return families;
}

/** The Referer's host, lower case; '' when there is none or it is not a URL. */
export function referrerHost(referer: string | null): string {
  if (!referer) return '';
  try {
    return new URL(referer).host.toLowerCase().slice(0, MAX_TEXT);
  } catch {
    return '';
  }
}

/** The client's address as the tenant keeps it. `hashKey` is the tenant's key for `hash` (ipHashKey). */
export async function privateIp(ip: string, privacy: AnalyticsSettings['ipPrivacy'], hashKey: () => Promise<CryptoKey>): Promise<string> {
  if (!ipaddr.isValid(ip)) return '';
  const address = ipaddr.process(ip);
  if (privacy === 'none') return address.toString();
  if (privacy === 'hash') {
    const digest = await crypto.subtle.sign('HMAC', await hashKey(), new TextEncoder().encode(address.toString()));
    return hex(digest).slice(0, 32);
  }
  const bits = address.kind() === 'ipv4' ? 24 : 48;
  const bytes = address.toByteArray().map((byte, i) => (i * 8 >= bits ? 0 : byte));
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}

/**
 * The tenant's HMAC key for hashed IPs, derived from the deployment's master key: stable, so the same client
 * counts as one across hours, and different per tenant, so two tenants' hashes cannot be joined.
 */
export async function ipHashKey(masterKey: string, tenantId: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(masterKey), (c) => c.charCodeAt(0));
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(tenantId), info: new TextEncoder().encode('edgepix analytics ip') },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
}
