/**
 * API keys. A tenant has several key pairs; each private key is shown once at creation and stored only as
 * ciphertext (to verify HMAC signatures, which need the key itself) plus a SHA-256 hash (to find the key from a
 * Basic auth header without decrypting anything). KV maps the hash and the public key back to the tenant.
 */
import { decryptSecret, encryptSecret, randomToken, sha256Hex } from './crypto';

export type AccessLevel = 'none' | 'read' | 'read_write';
export type PermissionArea = 'files' | 'settings' | 'audit' | 'users';
/** `users` came later: keys made before it have no entry, which means none. */
export type Permissions = Record<Exclude<PermissionArea, 'users'>, AccessLevel> & { users?: AccessLevel };

/** The level `permissions` hold on `area`; an area a record does not name is none. */
export function levelOf(permissions: Permissions, area: PermissionArea): AccessLevel {
  return permissions[area] ?? 'none';
}

export const PERMISSION_AREAS: readonly PermissionArea[] = ['files', 'settings', 'audit', 'users'];
export const ACCESS_LEVELS: readonly AccessLevel[] = ['none', 'read', 'read_write'];
export const FULL_ACCESS: Permissions = { files: 'read_write', settings: 'read_write', audit: 'read', users: 'read_write' };

const RANK: Record<AccessLevel, number> = { none: 0, read: 1, read_write: 2 };

/** Whether `permissions` hold at least `level` on `area`. */
export function holds(permissions: Permissions, area: PermissionArea, level: AccessLevel): boolean {
  return RANK[levelOf(permissions, area)] >= RANK[level];
}

/** The first area where `wanted` asks for more than `held` has, or undefined: nobody hands out more than they hold. */
export function exceedingArea(wanted: Permissions, held: Permissions): PermissionArea | undefined {
  return PERMISSION_AREAS.find((area) => !holds(held, area, levelOf(wanted, area)));
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  publicKey: string;
  /** AES-GCM ciphertext of the private key, bound to the tenant id. */
  privateKeyCiphertext: string;
  /** SHA-256 of the private key: how a Basic auth header finds its key. */
  privateKeyHash: string;
  permissions: Permissions;
  createdAt: string;
  /** Set when the key was deleted with a delay: valid until then, gone after. */
  expiresAt: string | null;
}

/** The public view of a key: never its private key, nor anything derived from it. */
export function describeKey(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    publicKey: key.publicKey,
    permissions: key.permissions,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
  };
}

export interface NewKey {
  record: ApiKeyRecord;
  privateKey: string;
}

/** ImageKit's key shapes: `public_…` and `private_…`. */
export async function generateKey(
  masterKey: string | undefined,
  tenantId: string,
  name: string,
  permissions: Permissions,
  now = new Date(),
): Promise<NewKey> {
  const privateKey = `private_${randomToken(24)}`;
  const record: ApiKeyRecord = {
    id: `key_${randomToken(9)}`,
    name,
    publicKey: `public_${randomToken(18)}`,
    privateKeyCiphertext: await encryptSecret(masterKey, privateKey, tenantId),
    privateKeyHash: await sha256Hex(privateKey),
    permissions,
    createdAt: now.toISOString(),
    expiresAt: null,
  };
  return { record, privateKey };
}

export function isActive(key: ApiKeyRecord, now = Date.now()): boolean {
  return key.expiresAt === null || Date.parse(key.expiresAt) > now;
}

export function decryptPrivateKey(masterKey: string | undefined, tenantId: string, key: ApiKeyRecord): Promise<string> {
  return decryptSecret(masterKey, key.privateKeyCiphertext, tenantId);
}

/** KV entries that lead from a credential to its tenant. */
export const privateKeyIndex = (hash: string) => `apikey:${hash}`;
export const publicKeyIndex = (publicKey: string) => `publickey:${publicKey}`;

export interface KeyIndexEntry {
  tenantId: string;
  keyId: string;
}
