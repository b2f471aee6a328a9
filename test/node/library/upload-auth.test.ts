/**
 * Client-side upload authentication (reference §2.4, §4.2): v1 signatures checked against the reference vector and
 * the NODE7 SDK's own helper, and v2 JWTs made with jose.
 */
import '../security/node-webcrypto';
import ImageKit from '@imagekit/nodejs';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type LookupKey,
  tokenReusedError,
  type UploadKey,
  verifyV1,
  verifyV2,
} from '../../../src/api/upload-auth';
import { HttpError } from '../../../src/http/errors';
import { sha256Hex } from '../../../src/security/crypto';

const PRIVATE_KEY = 'private_key_test';
const PUBLIC_KEY = 'public_key_test';
const KEY: UploadKey = { tenantId: 'tenant1', keyId: 'key_1', privateKey: PRIVATE_KEY, active: true };

const lookup =
  (keys: Record<string, UploadKey> = { [PUBLIC_KEY]: KEY }): LookupKey =>
  async (publicKey) =>
    keys[publicKey] ?? null;

/** 2023-11-14T22:13:20Z minus ten minutes: the reference vector's expire is then 600 s ahead. */
const EXPIRE = 1700000000;
const NOW = (EXPIRE - 600) * 1000;

async function httpError(promise: Promise<unknown>, status: number): Promise<HttpError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(status);
  return e as HttpError;
}

describe('v1: publicKey, token, expire, signature', () => {
  const fields = { publicKey: PUBLIC_KEY, token: 'tok-123', expire: String(EXPIRE), signature: '9ef9925f10136a1c5edf789a5aaa2ec612a494c3' };

  it('accepts the reference vector (token tok-123, expire 1700000000, key private_key_test)', async () => {
    expect(await verifyV1(fields, lookup(), NOW)).toEqual({
      tenantId: 'tenant1',
      keyId: 'key_1',
      replayToken: 'tok-123',
      replayExpiresAt: EXPIRE * 1000,
    });
  });

  it('accepts what the Node SDK signs with getAuthenticationParameters', async () => {
    const client = new ImageKit({ privateKey: PRIVATE_KEY });
    const now = Date.now();
    const params = client.helper.getAuthenticationParameters();
    const auth = await verifyV1(
      { publicKey: PUBLIC_KEY, token: params.token, expire: String(params.expire), signature: params.signature },
      lookup(),
      now,
    );
    expect(auth.replayToken).toBe(params.token);
  });

  it.each(['publicKey', 'token', 'expire', 'signature'] as const)('without %s: a 400 naming it', async (name) => {
    const e = await httpError(verifyV1({ ...fields, [name]: undefined }, lookup(), NOW), 400);
    expect(e.message).toContain(name);
  });

  it.each([
    ['expired', NOW + 601_000],
    ['exactly now', EXPIRE * 1000],
    ['an hour ahead', (EXPIRE - 3600) * 1000],
    ['more than an hour ahead', (EXPIRE - 7200) * 1000],
  ])('an expire that is %s is refused with ImageKit’s message', async (_name, now) => {
    const e = await httpError(verifyV1(fields, lookup(), now), 400);
    expect(e.message).toBe(
      'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.',
    );
  });

  it('an expire just under an hour ahead is fine', async () => {
    await expect(verifyV1(fields, lookup(), (EXPIRE - 3599) * 1000)).resolves.toBeDefined();
  });

  it.each(['abc', '1700000000.5', '-1', '1e10', ''])('a non-numeric expire %j is refused', async (expire) => {
    await httpError(verifyV1({ ...fields, expire }, lookup(), NOW), 400);
  });

  it('a wrong signature is refused', async () => {
    const e = await httpError(verifyV1({ ...fields, signature: '0'.repeat(40) }, lookup(), NOW), 400);
    expect(e.message).toContain('signature');
    await httpError(verifyV1({ ...fields, signature: fields.signature.toUpperCase() }, lookup(), NOW), 400);
    await httpError(verifyV1({ ...fields, token: 'tok-124' }, lookup(), NOW), 400);
    await httpError(verifyV1(fields, lookup({ [PUBLIC_KEY]: { ...KEY, privateKey: 'other' } }), NOW), 400);
  });

  it('an unknown or inactive public key is a 403', async () => {
    await httpError(verifyV1({ ...fields, publicKey: 'public_unknown' }, lookup(), NOW), 403);
    await httpError(verifyV1(fields, lookup({ [PUBLIC_KEY]: { ...KEY, active: false } }), NOW), 403);
  });

  it('tokenReusedError names the token', () => {
    const e = tokenReusedError(1, 'tok-123');
    expect(e.status).toBe(400);
    expect(e.message).toContain("'tok-123' has been used before");
  });
});

describe('v2: a JWT in the token field', () => {
  const secret = new TextEncoder().encode(PRIVATE_KEY);
  const iat = Math.floor(NOW / 1000);

  async function jwt(
    payload: Record<string, unknown>,
    { alg = 'HS256', kid = PUBLIC_KEY, lifetime = 600, key = secret }: { alg?: string; kid?: string; lifetime?: number; key?: Uint8Array } = {},
  ): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg, typ: 'JWT', kid })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .sign(key);
  }

  function form(fields: Record<string, string>, token: string): FormData {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array([1, 2, 3])]));
    for (const [name, value] of Object.entries(fields)) f.append(name, value);
    f.append('token', token);
    return f;
  }

  const FIELDS = { fileName: 'dress.jpg', useUniqueFileName: 'false', tags: 'summer,dress' };

  it('accepts a token whose payload repeats every field; the replay token is the hash of the JWT', async () => {
    const token = await jwt(FIELDS);
    expect(await verifyV2(form(FIELDS, token), lookup(), NOW)).toEqual({
      tenantId: 'tenant1',
      keyId: 'key_1',
      replayToken: await sha256Hex(token),
      replayExpiresAt: (iat + 600) * 1000,
    });
  });

  it('compares numbers and booleans in the payload as strings', async () => {
    const token = await jwt({ fileName: 'a.jpg', useUniqueFileName: false, customCoordinates: '1,2,3,4' });
    await expect(
      verifyV2(form({ fileName: 'a.jpg', useUniqueFileName: 'false', customCoordinates: '1,2,3,4' }, token), lookup(), NOW),
    ).resolves.toBeDefined();
  });

  it('allows a lifetime of exactly an hour, not more', async () => {
    await expect(verifyV2(form(FIELDS, await jwt(FIELDS, { lifetime: 3600 })), lookup(), NOW)).resolves.toBeDefined();
    const e = await httpError(verifyV2(form(FIELDS, await jwt(FIELDS, { lifetime: 3601 })), lookup(), NOW), 400);
    expect(e.message).toContain('"token"');
  });

  it('refuses an expired token', async () => {
    const e = await httpError(verifyV2(form(FIELDS, await jwt(FIELDS)), lookup(), NOW + 601_000), 400);
    expect(e.message).toContain('expired');
  });

  it('refuses a token without iat or exp', async () => {
    const noExp = await new SignJWT(FIELDS).setProtectedHeader({ alg: 'HS256', kid: PUBLIC_KEY }).setIssuedAt(iat).sign(secret);
    await httpError(verifyV2(form(FIELDS, noExp), lookup(), NOW), 400);
    const noIat = await new SignJWT(FIELDS).setProtectedHeader({ alg: 'HS256', kid: PUBLIC_KEY }).setExpirationTime(iat + 60).sign(secret);
    await httpError(verifyV2(form(FIELDS, noIat), lookup(), NOW), 400);
  });

  it('refuses a token issued in the future', async () => {
    const future = await new SignJWT(FIELDS)
      .setProtectedHeader({ alg: 'HS256', kid: PUBLIC_KEY })
      .setIssuedAt(iat + 600)
      .setExpirationTime(iat + 1200)
      .sign(secret);
    await httpError(verifyV2(form(FIELDS, future), lookup(), NOW), 400);
  });

  it('refuses HS512 and alg none', async () => {
    const hs512 = await jwt(FIELDS, { alg: 'HS512', key: new Uint8Array(64).fill(7) });
    const e = await httpError(verifyV2(form(FIELDS, hs512), lookup({ [PUBLIC_KEY]: { ...KEY, privateKey: '\x07'.repeat(64) } }), NOW), 400);
    expect(e.message).toContain('HS256');

    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${encode({ alg: 'none', typ: 'JWT', kid: PUBLIC_KEY })}.${encode({ ...FIELDS, iat, exp: iat + 60 })}.`;
    await httpError(verifyV2(form(FIELDS, none), lookup(), NOW), 400);
  });

  it('refuses a token signed with another key', async () => {
    const e = await httpError(verifyV2(form(FIELDS, await jwt(FIELDS, { key: new TextEncoder().encode('private_other') })), lookup(), NOW), 400);
    expect(e.message).toContain('signature');
  });

  it('a field sent but not signed is refused, naming it', async () => {
    const token = await jwt(FIELDS);
    const e = await httpError(verifyV2(form({ ...FIELDS, folder: '/other/' }, token), lookup(), NOW), 400);
    expect(e.message).toContain('"folder"');
  });

  it('a field signed but not sent is refused, naming it', async () => {
    const token = await jwt({ ...FIELDS, folder: '/mine/' });
    const e = await httpError(verifyV2(form(FIELDS, token), lookup(), NOW), 400);
    expect(e.message).toContain('"folder"');
  });

  it('a field sent with another value is refused, naming it', async () => {
    const token = await jwt(FIELDS);
    const e = await httpError(verifyV2(form({ ...FIELDS, useUniqueFileName: 'true' }, token), lookup(), NOW), 400);
    expect(e.message).toContain('"useUniqueFileName"');
  });

  it('a payload value that is an object is refused, naming it', async () => {
    const token = await jwt({ ...FIELDS, customMetadata: { a: 1 } });
    const e = await httpError(verifyV2(form({ ...FIELDS, customMetadata: '{"a":1}' }, token), lookup(), NOW), 400);
    expect(e.message).toContain('"customMetadata"');
  });

  it('an unknown kid is a 403, a missing kid or a non-JWT a 400', async () => {
    await httpError(verifyV2(form(FIELDS, await jwt(FIELDS, { kid: 'public_unknown' })), lookup(), NOW), 403);
    const noKid = await new SignJWT(FIELDS).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(iat).setExpirationTime(iat + 60).sign(secret);
    await httpError(verifyV2(form(FIELDS, noKid), lookup(), NOW), 400);
    await httpError(verifyV2(form(FIELDS, 'not-a-jwt'), lookup(), NOW), 400);
    const missing = new FormData();
    missing.append('fileName', 'a.jpg');
    await httpError(verifyV2(missing, lookup(), NOW), 400);
  });

  it('an inactive key is a 403', async () => {
    await httpError(verifyV2(form(FIELDS, await jwt(FIELDS)), lookup({ [PUBLIC_KEY]: { ...KEY, active: false } }), NOW), 403);
  });
});
