/**
 * What reconcile reads: the tenant's bucket through its listing (s3rver on loopback, test/global-setup.ts), and
 * what the library expects there, by key range.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BackupBucket, BucketError, type ListPage } from '../../../src/backup/bucket';
import { libraryOf } from '../../../src/library/client';
import { newTenantWithKey } from '../api-helpers';
import { putOriginal } from '../helpers';
import { putS3, s3Credentials, servers, unique } from '../origin-servers';

const target = { endpoint: servers.s3, region: 'us-east-1', bucket: servers.s3Bucket, forcePathStyle: true };
const bucket = (credentials = s3Credentials, allowPrivate = 'true') => new BackupBucket(target, credentials, { ALLOW_PRIVATE_ORIGINS: allowPrivate });

const bytes = (text: string) => new TextEncoder().encode(text);

/** Every page of a listing, each from the marker the previous one ended at. */
async function listAll(prefix: string, maxKeys: number): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let marker: string | null = null;
  do {
    const page: ListPage = await bucket().listPage(prefix, marker, maxKeys);
    pages.push(page);
    marker = page.next;
  } while (marker);
  return pages;
}

async function bucketError(promise: Promise<unknown>): Promise<BucketError> {
  const error = await promise.then(
    () => new Error('expected a BucketError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BucketError);
  return error as BucketError;
}

describe('the backup bucket, listed', () => {
  it('lists every key under a prefix across pages, with sizes, keys that look like numbers staying strings', async () => {
    const prefix = unique('list');
    const keys = [`${prefix}/0001`, `${prefix}/a b&c.jpg`, `${prefix}/deep/x.json`, `${prefix}/é.png`, `${prefix}/z.txt`];
    for (const [i, key] of keys.entries()) await putS3(key, bytes('x'.repeat(i + 1)));
    await putS3(`${prefix}-sibling/not-mine`, bytes('no'));
    const pages = await listAll(`${prefix}/`, 2);
    expect(pages.map((p) => p.objects.length)).toEqual([2, 2, 1]);
    const objects = pages.flatMap((p) => p.objects);
    expect(objects.map((o) => o.key)).toEqual([...keys].sort());
    expect(objects.find((o) => o.key === `${prefix}/z.txt`)).toMatchObject({ size: 5 });
    expect(objects.every((o) => typeof o.key === 'string' && /^[0-9a-f]{32}$/.test(o.etag))).toBe(true);
    // More keys than a page holds: the whole listing follows the markers.
    expect(await bucket().list(`${prefix}/`)).toHaveLength(5);
  });

  it('starts after any marker, present in the bucket or not', async () => {
    const prefix = unique('marker');
    for (const name of ['a', 'b', 'c']) await putS3(`${prefix}/${name}`, bytes(name));
    const page = await bucket().listPage(`${prefix}/`, `${prefix}/a0`, 10);
    expect(page.objects.map((o) => o.key)).toEqual([`${prefix}/b`, `${prefix}/c`]);
    expect(page.next).toBeNull();
  });

  it('names the bucket\'s refusal of wrong credentials, and the SSRF guard refuses private addresses', async () => {
    const wrong = await bucketError(bucket({ ...s3Credentials, secretAccessKey: 'not-the-secret' }).listPage('x/', null));
    expect(wrong.step).toBe('list');
    expect(wrong.reason).toContain('SignatureDoesNotMatch');
    const refused = await bucketError(bucket(s3Credentials, 'false').listPage('x/', null));
    expect(refused.reason).toContain('Refused');
  });
});

describe('the expected objects, by key range', () => {
  it('walked in small steps, give every expected key exactly once, in key order', async () => {
    const { tenantId } = await newTenantWithKey();
    // Paths whose record keys sort differently from the paths themselves ("a" < "a b", "a.json" > "a b.json").
    for (const path of ['a', 'a b', 'a.x', 'a/b', 'ab', 'z/z/z.jpg', '0']) await putOriginal(tenantId, path, bytes(path));
    await putOriginal(tenantId, 'a', bytes('a again'));
    const library = libraryOf(env, tenantId);
    const whole = await library.backupExpected(null, null, 1000);
    expect(whole.hi).toBeNull();
    // 7 files × (bytes + record) + 8 versions × (bytes + record).
    expect(whole.objects).toHaveLength(30);
    const keys = whole.objects.map((o) => o.key);
    expect(keys).toEqual([...keys].sort());
    for (const limit of [1, 2, 3]) {
      const stepped: string[] = [];
      let lo: string | null = null;
      for (let step = 0; step < 200; step++) {
        const range: Awaited<ReturnType<typeof library.backupExpected>> = await library.backupExpected(lo, null, limit);
        stepped.push(...range.objects.map((o) => o.key));
        if (range.hi === null) break;
        expect(lo === null || range.hi > lo).toBe(true);
        lo = range.hi;
      }
      expect(stepped).toEqual(keys);
    }
  });
});
