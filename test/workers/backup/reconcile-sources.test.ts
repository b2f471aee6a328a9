/**
 * What reconcile reads: the tenant's bucket through its listing (s3rver on loopback, test/global-setup.ts) and
 * the library walked a page at a time.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type BucketReader, listBucket, type ListPage, readObject } from '../../../src/backup/reconcile/bucket';
import { walkLibrary, walkPage, WALK_START } from '../../../src/backup/reconcile/walk';
import { libraryOf } from '../../../src/library/client';
import { newTenantWithKey } from '../api-helpers';
import { putOriginal } from '../helpers';
import { devPolicy, prodPolicy, putS3, rejection, s3Credentials, servers, unique } from '../origin-servers';

const reader = (overrides: Partial<BucketReader> = {}): BucketReader => ({
  endpoint: servers.s3,
  bucket: servers.s3Bucket,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: s3Credentials,
  policy: devPolicy(servers.s3),
  ...overrides,
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** Every page of a listing, each from the marker the previous one ended at. */
async function listAll(prefix: string, maxKeys: number, delimiter?: string): Promise<ListPage[]> {
  const pages: ListPage[] = [];
  let marker: string | null = null;
  do {
    const page = await listBucket(reader(), { prefix, delimiter, maxKeys, marker });
    pages.push(page);
    marker = page.next;
  } while (marker);
  return pages;
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
    expect(objects.map((o) => o.key).sort()).toEqual([...keys].sort());
    expect(objects.find((o) => o.key === `${prefix}/z.txt`)).toMatchObject({ size: 5 });
    expect(objects.every((o) => typeof o.key === 'string' && /^[0-9a-f]{32}$/.test(o.etag))).toBe(true);
  });

  it('with a delimiter, lists one level: objects and sub-prefixes', async () => {
    const prefix = unique('level');
    await putS3(`${prefix}/top.jpg`, bytes('1'));
    await putS3(`${prefix}/sub/inner.jpg`, bytes('2'));
    const [page] = await listAll(`${prefix}/`, 1000, '/');
    expect(page!.objects.map((o) => o.key)).toEqual([`${prefix}/top.jpg`]);
    expect(page!.prefixes).toEqual([`${prefix}/sub/`]);
    // One entry a page: the sub-prefix and the object each come once.
    const paged = await listAll(`${prefix}/`, 1, '/');
    expect(paged.flatMap((p) => [...p.prefixes, ...p.objects.map((o) => o.key)])).toEqual([`${prefix}/sub/`, `${prefix}/top.jpg`]);
  });

  it('reads a small object, null when absent, 413 over the cap', async () => {
    const key = `${unique('read')}/file.json`;
    await putS3(key, bytes('{"versionId":"v1"}'));
    expect(new TextDecoder().decode((await readObject(reader(), key, 1024))!)).toBe('{"versionId":"v1"}');
    expect(await readObject(reader(), `${key}.missing`, 1024)).toBeNull();
    expect((await rejection(readObject(reader(), key, 4))).status).toBe(413);
  });

  it('names the bucket\'s refusal of wrong credentials (502), and the SSRF guard refuses private addresses (403)', async () => {
    const wrong = reader({ credentials: { ...s3Credentials, secretAccessKey: 'not-the-secret' } });
    const refused = await rejection(listBucket(wrong, { prefix: 'x/' }));
    expect(refused.status).toBe(502);
    expect(refused.message).toContain('SignatureDoesNotMatch');
    expect((await rejection(listBucket(reader({ policy: prodPolicy(servers.s3) }), { prefix: 'x/' }))).status).toBe(403);
  });
});

describe('the library walk', () => {
  it('visits every file and every older version once, in pages', async () => {
    const { tenantId } = await newTenantWithKey();
    for (const path of ['a.jpg', 'f/b.jpg', 'f/g/c.jpg']) await putOriginal(tenantId, path, bytes(path));
    await putOriginal(tenantId, 'a.jpg', bytes('a.jpg, second'));
    const library = libraryOf(env, tenantId);
    const pages: string[][] = [];
    for await (const page of walkLibrary(library, 2)) pages.push(page.map((v) => `${v.version.path}${v.current ? '' : ' (older)'}`));
    expect(pages.flat().sort()).toEqual(['/a.jpg', '/a.jpg (older)', '/f/b.jpg', '/f/g/c.jpg']);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    const first = await walkPage(library, WALK_START, 10);
    expect(first.next).toEqual({ type: 'file-version', skip: 0 });
    const older = await walkPage(library, first.next!, 10);
    expect(older.next).toBeNull();
    expect(older.versions.map((v) => v.version.media.size)).toEqual([5]);
  });
});
