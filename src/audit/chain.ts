/**
 * The audit log's hash chain: hash = SHA-256(prevHash ‖ the entry's canonical JSON), so removing or editing any
 * entry breaks every hash after it.
 *
 * Who and where (actor, ip, country, target) are personal data that a person may have erased, yet the chain
 * must keep verifying afterwards. So an entry written since chain version 2 hashes not these values but a
 * salted commitment to each, SHA-256([field, salt, value]); the values and salts are stored beside it. Erasing a
 * field replaces its value with a pseudonym and drops its salt: the chain still verifies, and the commitment can
 * no longer be tied to the old value (the salt made it unguessable, even for an IPv4 address). Entries written
 * before version 2 hash their values directly and cannot be pseudonymised without breaking the chain.
 */
import { sha256Hex } from '../security/crypto';

export const GENESIS = '0'.repeat(64);

/** The fields of an entry that may name or locate a person. */
export const PERSONAL_FIELDS = ['actor', 'ip', 'country', 'target'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** Per personal field: the commitment hashed into the chain. */
export type Commitments = Record<PersonalField, string>;
/** Per personal field: its salt, or null once the field was erased (its value is then a pseudonym or ''). */
export type Salts = Record<PersonalField, string | null>;

export interface AuditInput {
  actor: string;
  ip: string;
  country: string;
  action: string;
  target: string;
  /** SHA-256 of the state before / after the change (or '' when there is none). */
  beforeDigest: string;
  afterDigest: string;
}

export interface AuditEntry extends AuditInput {
  id: string;
  at: string;
  hash: string;
  prevHash: string;
  /** 1: the chain hashes the personal fields themselves; 2: it hashes their commitments. */
  v: 1 | 2;
  commitments: Commitments | null;
  salts: Salts | null;
}

/** Every field of a version-1 entry but its hash, in the order they are hashed. */
const V1_FIELDS = ['id', 'at', 'actor', 'ip', 'country', 'action', 'target', 'beforeDigest', 'afterDigest', 'prevHash'] as const;

export const commitment = (field: PersonalField, salt: string, value: string) => sha256Hex(JSON.stringify([field, salt, value]));

/** The bytes that are hashed: every field but the hash itself, in a fixed order. */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  if (entry.v === 1) return JSON.stringify(V1_FIELDS.map((field) => entry[field]));
  const c = entry.commitments!;
  return JSON.stringify([entry.id, entry.at, c.actor, c.ip, c.country, entry.action, c.target, entry.beforeDigest, entry.afterDigest, entry.prevHash, 2]);
}

export const chainHash = (prevHash: string, entry: Omit<AuditEntry, 'hash'>) => sha256Hex(prevHash + canonicalEntry(entry));

function randomSalt(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A new version-2 entry after `prevHash`. */
export async function sealEntry(input: AuditInput, prevHash: string, id: string, at: string): Promise<AuditEntry> {
  const salts = {} as Record<PersonalField, string>;
  const commitments = {} as Commitments;
  for (const field of PERSONAL_FIELDS) {
    salts[field] = randomSalt();
    commitments[field] = await commitment(field, salts[field], input[field]);
  }
  const unsigned = { ...input, id, at, prevHash, v: 2 as const, commitments, salts };
  return { ...unsigned, hash: await chainHash(prevHash, unsigned) };
}

/** Why `entry` does not follow `prevHash` or does not match its content; null when it does. */
export async function entryFault(entry: AuditEntry, prevHash: string): Promise<string | null> {
  if (entry.prevHash !== prevHash) return 'prevHash does not match the entry before it';
  if (entry.v === 2) {
    for (const field of PERSONAL_FIELDS) {
      const salt = entry.salts?.[field];
      if (salt && (await commitment(field, salt, entry[field])) !== entry.commitments?.[field]) return `${field} does not match its commitment`;
    }
  }
  if ((await chainHash(prevHash, entry)) !== entry.hash) return 'hash does not match the entry content';
  return null;
}
