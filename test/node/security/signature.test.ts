/**
 * ImageKit's URL signatures (reference §2.3): the published test vectors, and URLs made by both SDKs here in
 * Node (path and query forms, non-ASCII paths, expiry), verified by src/security/signature.ts.
 */
import './node-webcrypto';
import ImageKit from '@imagekit/nodejs';
import LegacyImageKit from 'imagekit';
import { getSignature as legacyGetSignature } from 'imagekit/dist/libs/url/builder';
import { describe, expect, it } from 'vitest';
import { hmacSha1Hex } from '../../../src/security/crypto';
import {
  NO_EXPIRY,
  signingCandidates,
  signUrl,
  splitSignature,
  stringToSign,
  verifySignedUrl,
} from '../../../src/security/signature';

const KEY = 'private_key_test';
const ENDPOINT = 'https://ik.imagekit.io/demo';

const verify = (url: string, privateKeys: string[] = [KEY], urlEndpoint = ENDPOINT, now?: number) =>
  verifySignedUrl({ url, urlEndpoint, privateKeys, now });

describe('the reference test vectors (§2.3), key private_key_test, endpoint https://ik.imagekit.io/demo', () => {
  it.each([
    ['NODE7 query', `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`],
    ['NODE7 path + queryParameters', `${ENDPOINT}/tr:w-300,h-200/path/img.jpg?v=1&ik-s=5e6866009c642f2168ae095105fca9364922a179`],
    ['LEG6 path', `${ENDPOINT}/tr:w-300,h-200:rt-90/path/img.jpg?ik-s=248b6898ecac513eb4cb891ced1a9026c3d47f76`],
    ['LEG6 query (tr encoded)', `${ENDPOINT}/path/img.jpg?tr=w-300%2Ch-200%3Art-90&ik-s=33c3ffeb28d23f701e0de472318f342283df89f1`],
  ])('%s verifies', async (_name, url) => {
    expect(await verify(url)).toEqual({ ok: true, expiry: null });
  });

  it('the NODE7 query vector is HMAC of "path/img.jpg?tr=w-300,h-200:rt-90" + 9999999999', async () => {
    expect(await hmacSha1Hex(KEY, `path/img.jpg?tr=w-300,h-200:rt-90${NO_EXPIRY}`)).toBe('2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4');
    const parts = splitSignature(`${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`);
    expect(stringToSign(parts.url, ENDPOINT, parts.expiry)).toBe('path/img.jpg?tr=w-300,h-200:rt-909999999999');
  });

  it('the non-ASCII vector (NODE7) is signed over the percent-encoded path', async () => {
    const sdk = new ImageKit({ privateKey: KEY });
    const url = sdk.helper.buildSrc({ urlEndpoint: ENDPOINT, src: '/dir/my image é.jpg', transformation: [{ width: 100 }], signed: true });
    expect(url).toMatch(/^https:\/\/ik\.imagekit\.io\/demo\/dir\/my%20image%20%C3%A9\.jpg\?tr=w-100&ik-s=29f2[0-9a-f]{36}$/);
    expect(await verify(url)).toEqual({ ok: true, expiry: null });
  });

  it.each([
    ['a changed transformation', `${ENDPOINT}/path/img.jpg?tr=w-301,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`],
    ['a changed path', `${ENDPOINT}/path/img2.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`],
    ['an added parameter', `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&x=1&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`],
    ['a changed signature', `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe5`],
    ['a decoded tr (signed encoded)', `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=33c3ffeb28d23f701e0de472318f342283df89f1`],
    ['an added ik-t', `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-t=99999999999&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`],
  ])('%s does not verify', async (_name, url) => {
    expect(await verify(url)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('another key, or another endpoint, does not verify', async () => {
    const url = `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`;
    expect(await verify(url, ['private_other'])).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verify(url, [KEY], 'https://ik.imagekit.io/other')).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verify(url, [KEY], 'https://ik.imagekit.io/demo/path')).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('any one of several keys verifies', async () => {
    const url = `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`;
    expect((await verify(url, ['private_a', KEY, 'private_b'])).ok).toBe(true);
    expect(await verify(url, [])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('an endpoint given with a trailing slash works as without', async () => {
    const url = `${ENDPOINT}/path/img.jpg?tr=w-300,h-200:rt-90&ik-s=2ac89ef9fd9ef3c6df4cf912fec8c96125e11fe4`;
    expect((await verify(url, [KEY], `${ENDPOINT}/`)).ok).toBe(true);
  });
});

describe('malformed and missing signatures', () => {
  it.each([
    ['no ik-s', `${ENDPOINT}/a.jpg`, 'missing'],
    ['ik-t without ik-s', `${ENDPOINT}/a.jpg?ik-t=2000000000`, 'missing'],
    ['short ik-s', `${ENDPOINT}/a.jpg?ik-s=abc`, 'malformed'],
    ['non-hex ik-s', `${ENDPOINT}/a.jpg?ik-s=${'z'.repeat(40)}`, 'malformed'],
    ['non-numeric ik-t', `${ENDPOINT}/a.jpg?ik-t=soon&ik-s=${'a'.repeat(40)}`, 'malformed'],
    ['repeated ik-s', `${ENDPOINT}/a.jpg?ik-s=${'a'.repeat(40)}&ik-s=${'b'.repeat(40)}`, 'malformed'],
    ['repeated ik-t', `${ENDPOINT}/a.jpg?ik-t=1&ik-t=2&ik-s=${'a'.repeat(40)}`, 'malformed'],
  ])('%s → %s', async (_name, url, reason) => {
    expect(await verify(url)).toEqual({ ok: false, reason });
  });
});

describe('splitSignature', () => {
  it('removes ik-s and ik-t and keeps every other character as it was', () => {
    expect(splitSignature('https://h/t/a.jpg?tr=w-1%2Ch-2&v=1&ik-t=123&ik-s=abc')).toEqual({
      url: 'https://h/t/a.jpg?tr=w-1%2Ch-2&v=1',
      signature: 'abc',
      expiry: '123',
      repeated: false,
    });
    expect(splitSignature('https://h/t/a.jpg?ik-s=abc').url).toBe('https://h/t/a.jpg');
    expect(splitSignature('https://h/t/a.jpg').signature).toBeNull();
    // Only the raw names count; an encoded name is an ordinary (signed) parameter.
    expect(splitSignature('https://h/t/a.jpg?ik%2Ds=abc')).toMatchObject({ url: 'https://h/t/a.jpg?ik%2Ds=abc', signature: null });
  });
});

describe('expiry', () => {
  it('a valid signature past ik-t is expired; before it, valid', async () => {
    const url = await signUrl(`${ENDPOINT}/a.jpg?tr=w-10`, ENDPOINT, KEY, 1_700_000_000);
    expect(url).toMatch(/\?tr=w-10&ik-t=1700000000&ik-s=[0-9a-f]{40}$/);
    expect(await verify(url, [KEY], ENDPOINT, 1_700_000_000_000)).toEqual({ ok: true, expiry: 1_700_000_000 });
    expect(await verify(url, [KEY], ENDPOINT, 1_700_000_001_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('moving ik-t later breaks the signature', async () => {
    const url = await signUrl(`${ENDPOINT}/a.jpg`, ENDPOINT, KEY, 1_700_000_000);
    const moved = url.replace('ik-t=1700000000', 'ik-t=1800000000');
    expect(await verify(moved, [KEY], ENDPOINT, 1_750_000_000_000)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

const FILES = ['/path/img.jpg', '/dir/my image é.jpg', '/ünïcødé/日本語 ファイル.png', "/odd/a+b=c&d'e(1)~!.jpg", '/caret/a^b.jpg'];
const TRANSFORMATION = [{ width: 300, height: 200 }, { rotation: 90 }];

describe('URLs made by @imagekit/nodejs 7 verify', () => {
  const sdk = new ImageKit({ privateKey: KEY });
  for (const position of ['query', 'path'] as const) {
    it.each(FILES)(`${position}: %s`, async (src) => {
      const url = sdk.helper.buildSrc({ urlEndpoint: ENDPOINT, src, transformation: TRANSFORMATION, transformationPosition: position, signed: true });
      expect(await verify(workerdForm(url))).toEqual({ ok: true, expiry: null });
      const expiring = sdk.helper.buildSrc({ urlEndpoint: ENDPOINT, src, transformation: TRANSFORMATION, transformationPosition: position, expiresIn: 300 });
      const verdict = await verify(workerdForm(expiring));
      expect(verdict.ok).toBe(true);
      expect(await verify(workerdForm(expiring), [KEY], ENDPOINT, Date.now() + 301_000)).toEqual({ ok: false, reason: 'expired' });
      expect(await verify(workerdForm(expiring).replace('w-300', 'w-400'))).toEqual({ ok: false, reason: 'mismatch' });
    });
  }

  it('with queryParameters and an endpoint with a path prefix', async () => {
    const endpoint = 'https://cdn.example.com/acme/products';
    const url = sdk.helper.buildSrc({ urlEndpoint: endpoint, src: '/a b.jpg', queryParameters: { v: '2', q: 'x y' }, transformation: TRANSFORMATION, signed: true });
    expect((await verify(url, [KEY], endpoint)).ok).toBe(true);
    expect((await verify(url, [KEY], 'https://cdn.example.com/acme')).ok).toBe(false);
  });
});

describe('URLs made by the legacy imagekit 6 verify', () => {
  const sdk = new LegacyImageKit({ publicKey: 'public_test', privateKey: KEY, urlEndpoint: ENDPOINT });
  for (const position of ['query', 'path'] as const) {
    it.each(FILES)(`${position}: %s`, async (path) => {
      const url = sdk.url({ path, transformation: TRANSFORMATION, transformationPosition: position, signed: true });
      expect(await verify(workerdForm(url))).toEqual({ ok: true, expiry: null });
      const expiring = sdk.url({ path, transformation: TRANSFORMATION, transformationPosition: position, signed: true, expireSeconds: 300 });
      expect((await verify(workerdForm(expiring))).ok).toBe(true);
      expect(await verify(workerdForm(expiring), [KEY], ENDPOINT, Date.now() + 301_000)).toEqual({ ok: false, reason: 'expired' });
    });
  }

  it('its encodeURI step, for a string to sign with non-ASCII, is accepted', async () => {
    // What imagekit@6 getSignature computes when the text it signs still holds raw non-ASCII characters.
    const raw = `${ENDPOINT}/dir/é à.jpg?tr=w-100`;
    const legacySignature = legacyGetSignature({ privateKey: KEY, url: raw, urlEndpoint: ENDPOINT, expiryTimestamp: NO_EXPIRY });
    const url = `${raw}&ik-s=${legacySignature}`;
    expect(await verify(url)).toEqual({ ok: true, expiry: null });
    expect(signingCandidates('dir/é à.jpg?tr=w-1009999999999')).toContain('dir/%C3%A9%20%C3%A0.jpg?tr=w-1009999999999');
  });
});

/**
 * What workerd's `request.url` is for a URL the SDK built in Node: the current WHATWG serialiser, which also
 * percent-encodes `^` in paths (Node 20's URL leaves it raw). Checked against real workerd in
 * test/workers/delivery/signed-urls.test.ts.
 */
function workerdForm(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.replaceAll('^', '%5E') + (q === -1 ? '' : url.slice(q));
}
