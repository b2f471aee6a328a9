/**
 * Tenants on their own hostnames. A tenant's config lists its domains (pending or active, with the token that
 * proves ownership); the KV index `host:<hostname>` says which tenant a hostname belongs to, and is what makes a
 * hostname one tenant's only (written under a lock of the hostname). Delivery reads the index, with an edge cache
 * TTL and a short per-isolate memo, never an object: `https://img.acme.com/tr:w-300/photo.jpg` is the tenant's
 * `photo.jpg`.
 */
import { memo } from '../cache/memo';
import type { Env } from '../env';
import { badField } from '../validate/fields';

export type DomainStatus = 'pending' | 'active';

export interface DomainRecord {
  hostname: string;
  status: DomainStatus;
  createdAt: string;
  verifiedAt?: string;
  /** The value the owner proves control with: a TXT record, or a file served over HTTP. */
  token: string;
  /** Cloudflare for SaaS's id for the custom hostname, when one was created (src/tenants/custom-hostnames.ts). */
  cloudflareId?: string;
}

/** The index entry: which tenant a hostname belongs to, and whether delivery serves it yet. */
export interface HostEntry {
  tenantId: string;
  status: DomainStatus;
  /** When the claim was made (milliseconds since the epoch): a pending claim expires. */
  since?: number;
}

const hostKey = (hostname: string) => `host:${hostname}`;
/** How long a location keeps an index read (KV's minimum edge cache TTL). */
const READ_CACHE_SECONDS = 30;
/** A pending claim that was never proven gives way to another tenant's after this long. */
export const PENDING_CLAIM_MS = 7 * 24 * 3_600_000;

const hosts = memo<Promise<HostEntry | null>>({ ttlMs: 5_000, capacity: 10_000 });

export function readHost(env: Pick<Env, 'CONFIG'>, hostname: string): Promise<HostEntry | null> {
  return env.CONFIG.get<HostEntry>(hostKey(hostname), { type: 'json', cacheTtl: READ_CACHE_SECONDS });
}

export async function writeHost(env: Pick<Env, 'CONFIG'>, hostname: string, entry: HostEntry): Promise<void> {
  await env.CONFIG.put(hostKey(hostname), JSON.stringify(entry));
  hosts.delete(hostname);
}

export async function deleteHost(env: Pick<Env, 'CONFIG'>, hostname: string): Promise<void> {
  await env.CONFIG.delete(hostKey(hostname));
  hosts.delete(hostname);
}

/**
 * The tenant whose active domain `hostname` is: the hostname itself, else a wildcard one level up
 * (`*.acme.com` serves `img.acme.com`); null for any other host, the deployment's own included.
 */
export async function tenantOfHost(env: Pick<Env, 'CONFIG'>, hostname: string): Promise<string | null> {
  const lookup = (name: string) => hosts.get(name, () => readHost(env, name));
  const exact = await lookup(hostname);
  const dot = hostname.indexOf('.');
  const entry = exact ?? (dot > 0 ? await lookup(`*${hostname.slice(dot)}`) : null);
  return entry?.status === 'active' ? entry.tenantId : null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A hostname as a tenant or the operator may attach it: lower-case ASCII (an IDN is stored in punycode), at least
 * two labels, no IP literal, no port; `*.` in front only when `wildcard` is allowed (the operator's choice), and
 * never the deployment's own host.
 */
export function checkHostname(value: unknown, { wildcard, ownHost }: { wildcard: boolean; ownHost: string }): string {
  const expected = `a hostname such as img.example.com${wildcard ? ' or *.example.com' : ''} (no scheme, port or path)`;
  if (typeof value !== 'string' || value.length === 0 || value.length > 253) throw badField('hostname', expected);
  const isWildcard = value.startsWith('*.');
  if (isWildcard && !wildcard) throw badField('hostname', `${expected}; wildcards are for the operator to attach`);
  let ascii: string;
  try {
    // The URL parser applies IDNA: a Unicode name comes out in punycode, and anything that is not a host fails.
    const url = new URL(`http://${isWildcard ? value.slice(2) : value}`);
    if (url.port || url.pathname !== '/' || url.username || url.search || url.hash) throw new Error('not a bare host');
    ascii = url.hostname;
  } catch {
    throw badField('hostname', expected);
  }
  const labels = ascii.split('.');
  const ipv4 = labels.length === 4 && labels.every((l) => /^\d+$/.test(l));
  if (ascii.startsWith('[') || ipv4 || /^\d+$/.test(labels[labels.length - 1]!)) throw badField('hostname', `${expected}, not an IP address`);
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) throw badField('hostname', expected);
  const hostname = isWildcard ? `*.${ascii}` : ascii;
  if (hostname === ownHost.toLowerCase()) throw badField('hostname', `${expected}, other than this deployment's own host`);
  return hostname;
}

/** The tenant's first active domain, where its files' URLs point when it has one. */
export function primaryDomain(domains: readonly DomainRecord[] | undefined): string | undefined {
  return domains?.find((d) => d.status === 'active' && !d.hostname.startsWith('*.'))?.hostname;
}
