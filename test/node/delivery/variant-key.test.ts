/** Cache keys of variants (src/cache/keys.ts): stable for the same inputs, different when any input differs. */
import { describe, expect, it } from 'vitest';
import { edgeCacheUrl, variantKey, variantPrefix, type VariantIdentity } from '../../../src/cache/keys';
import { sha256Hex } from '../../../src/security/crypto';

const BASE: VariantIdentity = {
  tenantId: 'demo',
  path: 'folder/photo.jpg',
  etag: '"0123abcd"',
  canonical: 'w-300,h-200:q-80',
  negotiated: 'avif',
};

describe('sha256Hex', () => {
  it('is the SHA-256 digest in lowercase hex', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('variantKey', () => {
  it('is 40 lowercase hex characters', async () => {
    expect(await variantKey(BASE)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('is stable for the same identity', async () => {
    expect(await variantKey({ ...BASE })).toBe(await variantKey(BASE));
  });

  it.each([
    ['tenantId', 'other'],
    ['path', 'folder/photo.png'],
    ['etag', '"0123abce"'],
    ['canonical', 'w-300,h-201:q-80'],
    ['canonical', ''],
    ['negotiated', 'webp'],
    ['negotiated', ''],
  ] as [keyof VariantIdentity, string][])('changes when %s becomes %j', async (field, value) => {
    expect(await variantKey({ ...BASE, [field]: value })).not.toBe(await variantKey(BASE));
  });

  it('does not confuse text moved between fields', async () => {
    const a = await variantKey({ ...BASE, tenantId: 'ab', path: 'c.jpg' });
    const b = await variantKey({ ...BASE, tenantId: 'a', path: 'bc.jpg' });
    const c = await variantKey({ ...BASE, canonical: 'w-1', negotiated: '' });
    const d = await variantKey({ ...BASE, canonical: '', negotiated: 'w-1' });
    expect(a).not.toBe(b);
    expect(c).not.toBe(d);
  });
});

describe('variantPrefix and edgeCacheUrl', () => {
  it('groups every variant of one path under one prefix per tenant', async () => {
    const prefix = await variantPrefix('demo', 'folder/photo.jpg');
    expect(prefix).toMatch(/^variants\/demo\/[0-9a-f]{24}\/$/);
    expect(await variantPrefix('demo', 'folder/photo.jpg')).toBe(prefix);
    expect(await variantPrefix('demo', 'folder/photo.png')).not.toBe(prefix);
    expect(await variantPrefix('other', 'folder/photo.jpg')).not.toBe(prefix);
  });

  it('keys the Cache API by tenant and variant key', () => {
    expect(edgeCacheUrl('demo', 'k1')).toBe('https://variants.edgepix.internal/demo/k1');
  });
});
