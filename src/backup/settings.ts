/**
 * The tenant's backup target (`PUT /v1/accounts/backup`): an S3-compatible bucket the tenant owns. Checked like
 * an S3-compatible origin (the endpoint passes the SSRF guard; loopback only with ALLOW_PRIVATE_ORIGINS), and
 * the keys are stored as origin credentials are: AES-GCM ciphertexts bound to the tenant id. Neither key is
 * ever shown again.
 */
import { BUCKET, originUrl, prefixOf } from '../origins/config';
import { regionOf } from '../origins/s3';
import type { OutboundPolicy } from '../security/ssrf';
import { badField, boolean, checkField, oneOf, optional, text } from '../validate/fields';

export const DELETE_POLICIES = ['mirror', 'keep'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

export interface StoredBackup {
  endpoint: string;
  region: string;
  bucket: string;
  /** Without leading or trailing slash ('' for the bucket's root). */
  prefix: string;
  /** Path-style addressing (`<endpoint>/<bucket>/<key>`); the default, as every S3-compatible server takes it. */
  forcePathStyle: boolean;
  deletes: DeletePolicy;
  /** encryptSecret(MASTER_KEY, key, tenantId), as origins store theirs. */
  accessKeyCiphertext: string;
  secretKeyCiphertext: string;
  updatedAt: string;
}

/** A validated body; the keys in plain text until the route encrypts them (absent: keep the stored ones). */
export interface BackupInput extends Omit<StoredBackup, 'accessKeyCiphertext' | 'secretKeyCiphertext' | 'updatedAt'> {
  accessKeyId?: string;
  secretAccessKey?: string;
}

const REGION = /^[a-z0-9-]{1,64}$/;

export function parseBackupBody(body: Record<string, unknown>, policy: OutboundPolicy, hasStoredKeys: boolean): BackupInput {
  const endpoint = originUrl(body, 'endpoint', policy);
  const bucket = checkField(body, 'bucket', text('a bucket name (3–255 of A-Z, a-z, 0-9, ".", "_", "-")', { pattern: BUCKET }));
  const region = checkField(body, 'region', optional(text('a region name such as "us-east-1" or "auto"', { pattern: REGION })));
  const prefix = prefixOf(body);
  const key = (expected: string, max: number) => (hasStoredKeys ? optional(text(expected, { min: 1, max })) : text(expected, { min: 1, max }));
  const accessKeyId = checkField(body, 'accessKeyId', key('a non-empty access key id', 256));
  const secretAccessKey = checkField(body, 'secretAccessKey', key('a non-empty secret access key', 1024));
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw badField(accessKeyId === undefined ? 'accessKeyId' : 'secretAccessKey', 'given together with the other key');
  }
  const deletes = checkField(body, 'deletes', optional(oneOf(DELETE_POLICIES), 'keep'));
  const forcePathStyle = checkField(body, 'forcePathStyle', optional(boolean, true));
  return { endpoint, region: region ?? regionOf(endpoint), bucket, prefix, forcePathStyle, deletes, accessKeyId, secretAccessKey };
}

/** What GET answers: everything but the keys. */
export function describeBackup(stored: StoredBackup | null): Record<string, unknown> {
  if (!stored) return { enabled: false };
  const { endpoint, region, bucket, prefix, forcePathStyle, deletes, updatedAt } = stored;
  return { enabled: true, endpoint, region, bucket, prefix, forcePathStyle, deletes, updatedAt };
}
