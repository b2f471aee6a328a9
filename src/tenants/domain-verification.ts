/**
 * Proof that a tenant controls a hostname before it serves there: a DNS TXT record `_edgepix-challenge.<hostname>`
 * holding the token (read over DNS-over-HTTPS, since Workers cannot resolve DNS themselves), or the token served
 * by the hostname's current server at `http://<hostname>/.well-known/edgepix-challenge/<token>`. This Worker never
 * answers that path itself: a hostname already pointed at the deployment would otherwise prove itself for anyone.
 */
import type { Env } from '../env';
import { type Fetcher, readCapped, safeFetch } from '../security/safe-fetch';
import { policyFor } from '../security/ssrf';

const DEFAULT_DOH = 'https://cloudflare-dns.com/dns-query';
const TIMEOUT_MS = 5_000;
const TXT = 16;

export interface Challenge {
  dns: { type: 'TXT'; name: string; value: string };
  http: { url: string; body: string };
}

export function challengeFor(hostname: string, token: string): Challenge {
  return {
    dns: { type: 'TXT', name: `_edgepix-challenge.${hostname}`, value: token },
    http: { url: `http://${hostname}/.well-known/edgepix-challenge/${token}`, body: token },
  };
}

export interface Proof {
  proven: boolean;
  /** What was checked and what it found, for the tenant to fix its records. */
  checks: { method: 'dns' | 'http'; found: string }[];
}

type VerifyEnv = Pick<Env, 'DNS_OVER_HTTPS_URL' | 'ALLOW_PRIVATE_ORIGINS'>;

export async function proveOwnership(env: VerifyEnv, hostname: string, token: string, fetcher?: Fetcher): Promise<Proof> {
  const challenge = challengeFor(hostname, token);
  const checks: Proof['checks'] = [];
  const txt = await txtRecords(env, challenge.dns.name).catch((error: Error) => error);
  checks.push({ method: 'dns', found: txt instanceof Error ? `lookup failed: ${txt.message}` : txt.length ? txt.join(', ') : 'no TXT record' });
  if (!(txt instanceof Error) && txt.includes(token)) return { proven: true, checks };
  const served = await servedToken(env, challenge.http.url, fetcher).catch((error: Error) => error);
  checks.push({ method: 'http', found: served instanceof Error ? served.message : `answered "${served.slice(0, 80)}"` });
  return { proven: !(served instanceof Error) && served === token, checks };
}

/** The TXT strings at `name`, through the DNS-over-HTTPS JSON API (Cloudflare's and Google's speak it). */
async function txtRecords(env: VerifyEnv, name: string): Promise<string[]> {
  const url = new URL(env.DNS_OVER_HTTPS_URL || DEFAULT_DOH);
  url.searchParams.set('name', name);
  url.searchParams.set('type', 'TXT');
  const response = await fetch(url, { headers: { Accept: 'application/dns-json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!response.ok) throw new Error(`DNS-over-HTTPS answered ${response.status}`);
  const answer = (await response.json()) as { Answer?: { type: number; data: string }[] };
  // TXT data comes quoted, long values split into several quoted strings.
  return (answer.Answer ?? []).filter((a) => a.type === TXT).map((a) => a.data.replace(/"\s*"/g, '').replace(/^"|"$/g, ''));
}

/** What the hostname serves at the challenge URL, through the SSRF guard, a kilobyte at most. */
async function servedToken(env: VerifyEnv, url: string, fetcher?: Fetcher): Promise<string> {
  const fetched = await safeFetch(url, { policy: policyFor(env), timeoutMs: TIMEOUT_MS, label: 'the hostname', fetcher });
  if (fetched.response.status !== 200) throw new Error(`it answered ${fetched.response.status}`);
  return new TextDecoder().decode(await readCapped(fetched, 1024)).trim();
}
