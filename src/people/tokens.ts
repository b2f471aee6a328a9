/**
 * Secrets handed to people (session cookies, invitation and reset links, challenge and SSO state ids) are
 * `<tenant>.<random>`: the tenant part says which tenant's Accounts object to ask, and that object keeps only the
 * SHA-256 of the whole token. A token edited to name another tenant finds nothing there.
 */
import { randomToken, sha256Hex } from '../security/crypto';
import { TENANT_ID } from '../tenants/config';

export function newTenantToken(tenantId: string): string {
  return `${tenantId}.${randomToken(32)}`;
}

/** The tenant a token names, or null when it is not shaped like one. */
export function tenantOfToken(token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const dot = token.indexOf('.');
  const tenantId = token.slice(0, dot);
  return dot > 0 && TENANT_ID.test(tenantId) && token.length > dot + 20 ? tenantId : null;
}

export const tokenDigest = (token: string) => sha256Hex(`token:${token}`);

/** A uniformly random code of `digits` decimal digits (rejection sampling: no modulo bias). */
export function randomDigits(digits: number): string {
  const limit = 10 ** digits;
  const ceiling = Math.floor(0x1_0000_0000 / limit) * limit;
  for (;;) {
    const [value] = crypto.getRandomValues(new Uint32Array(1));
    if (value! < ceiling) return String(value! % limit).padStart(digits, '0');
  }
}
