/**
 * Client-side authentication of ImageKit's upload API (v1 token signatures and v2 JWTs), without I/O of its own: the key
 * lookup is injected, and remembering used tokens is the caller's ledger (it stores `replayToken` until
 * `replayExpiresAt` and refuses a second use with tokenReusedError).
 *
 * - v1: form fields publicKey, token, expire, signature = hex HMAC-SHA1(privateKey, token + expire).
 * - v2: form field token = a JWT (HS256, kid = public key) whose payload repeats every other form field.
 *
 * Statuses: an unknown or expired public key is 403 (ImageKit: "could not authenticate your account with the keys
 * provided"); everything wrong with the request itself (missing field, bad expire, bad signature, payload mismatch)
 * is 400, as ImageKit answers a bad upload signature with 400.
 */
import { decodeProtectedHeader, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { constantTimeEqual, hmacSha1Hex, sha256Hex } from '../security/crypto';
import { decryptPrivateKey, isActive, type KeyIndexEntry, publicKeyIndex } from '../security/keys';
import { loadTenant } from '../tenants/store';

export interface UploadKey {
  tenantId: string;
  keyId: string;
  privateKey: string;
  /** False once the key was deleted (or its delayed deletion has passed). */
  active: boolean;
}

export type LookupKey = (publicKey: string) => Promise<UploadKey | null>;

export interface UploadAuth {
  tenantId: string;
  keyId: string;
  /** What the replay ledger must remember: the v1 token itself, or SHA-256 (hex) of the v2 JWT. */
  replayToken: string;
  /** Milliseconds since the epoch; after it the expiry check refuses the token anyway, so the ledger may forget. */
  replayExpiresAt: number;
}

export interface V1Fields {
  publicKey?: string;
  signature?: string;
  token?: string;
  expire?: string;
}

/** ImageKit's own bound: `expire` (v1) and the JWT's lifetime (v2) are less than an hour. */
export const MAX_LIFETIME_SECONDS = 3600;
/** How far a v2 token's `iat` may be ahead of this server's clock (the signer's clock may run a little fast). */
export const IAT_SKEW_SECONDS = 60;

const missing = (field: string) =>
  new HttpError(400, `Missing ${field} parameter for client-side upload`, `Send "${field}" with the upload request.`);

// ImageKit's wording, which SDK users see and search for.
const invalidExpire = () =>
  new HttpError(
    400,
    'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.',
    'Sign a fresh token whose expire is in Unix seconds, later than now and less than 3600 seconds ahead.',
  );

const badSignature = () =>
  new HttpError(
    400,
    'Your request contains invalid signature.',
    'The signature must be lowercase hex HMAC-SHA1 of token + expire, keyed with the private key of publicKey.',
  );

const cannotAuthenticate = () =>
  new HttpError(
    403,
    'Your account cannot be authenticated.',
    'Check that publicKey is a current public key of your account.',
  );

/** The ledger's answer to a token it has seen before, even when the earlier request failed. */
export function tokenReusedError(version: 1 | 2, token: string): HttpError {
  const which = version === 1 ? `The token with value '${token}'` : 'This token';
  return new HttpError(
    400,
    `${which} has been used before.`,
    'Generate a new token for every upload request (e.g. a v4 UUID), even after a failed one.',
  );
}

/** v1: publicKey + token + expire + signature. `now` is milliseconds since the epoch. */
export async function verifyV1(fields: V1Fields, lookupKey: LookupKey, now = Date.now()): Promise<UploadAuth> {
  const { publicKey, signature, token, expire } = fields;
  if (!publicKey) throw missing('publicKey');
  if (!token) throw missing('token');
  if (!expire) throw missing('expire');
  if (!signature) throw missing('signature');

  const expireSeconds = /^\d{1,12}$/.test(expire) ? Number(expire) : NaN;
  const nowSeconds = Math.floor(now / 1000);
  if (!(expireSeconds > nowSeconds && expireSeconds - nowSeconds < MAX_LIFETIME_SECONDS)) throw invalidExpire();

  const key = await activeKey(lookupKey, publicKey);
  // The SDKs sign the decimal string exactly as sent (`token + expire`), so sign the field, not the parsed number.
  const expected = await hmacSha1Hex(key.privateKey, token + expire);
  if (!constantTimeEqual(expected, signature)) throw badSignature();

  return { tenantId: key.tenantId, keyId: key.keyId, replayToken: token, replayExpiresAt: expireSeconds * 1000 };
}

/** Claims of the JWT itself, not upload fields. */
const TIME_CLAIMS = new Set(['iat', 'exp']);
/** Form fields the JWT cannot repeat: the file, and the JWT itself. */
const UNSIGNED_FIELDS = new Set(['file', 'token']);

/** v2: the `token` field is a JWT signed with the private key, whose payload repeats every other field. */
export async function verifyV2(form: FormData, lookupKey: LookupKey, now = Date.now()): Promise<UploadAuth> {
  const jwt = form.get('token');
  if (typeof jwt !== 'string' || jwt === '') throw missing('token');

  let kid: unknown;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    throw badToken('it is not a JWT');
  }
  if (typeof kid !== 'string' || kid === '') throw badToken('its header has no "kid" (your public key)');
  const key = await activeKey(lookupKey, kid);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, new TextEncoder().encode(key.privateKey), {
      algorithms: ['HS256'],
      requiredClaims: ['iat', 'exp'],
      currentDate: new Date(now),
    }));
  } catch (e) {
    throw joseToHttp(e);
  }

  const iat = payload.iat!;
  const exp = payload.exp!;
  if (exp - iat > MAX_LIFETIME_SECONDS) throw badToken(`"exp" − "iat" is more than ${MAX_LIFETIME_SECONDS} seconds`);
  if (iat > Math.floor(now / 1000) + IAT_SKEW_SECONDS) throw badToken('its "iat" is in the future');

  checkPayloadMatchesForm(payload, form);
  return { tenantId: key.tenantId, keyId: key.keyId, replayToken: await sha256Hex(jwt), replayExpiresAt: exp * 1000 };
}

/** Every signed claim must be sent with the same value, and every sent field must be signed. */
function checkPayloadMatchesForm(payload: JWTPayload, form: FormData): void {
  for (const [name, claim] of Object.entries(payload)) {
    if (TIME_CLAIMS.has(name)) continue;
    const sent = form.get(name);
    if (sent === null) throw mismatch(name, 'is in the token but not in the request');
    const scalar = typeof claim === 'string' || typeof claim === 'number' || typeof claim === 'boolean';
    if (!scalar) throw mismatch(name, 'must be a string in the token payload');
    const signed = String(claim);
    if (typeof sent !== 'string' || sent !== signed) throw mismatch(name, 'differs between the token and the request');
  }
  for (const name of new Set(form.keys())) {
    if (UNSIGNED_FIELDS.has(name)) continue;
    if (!Object.hasOwn(payload, name) || TIME_CLAIMS.has(name)) {
      throw mismatch(name, 'is in the request but not in the token');
    }
  }
}

const badToken = (why: string) =>
  new HttpError(
    400,
    `Invalid value for "token": ${why}`,
    'Send a JWT signed with HS256 and your private key, with kid = your public key.',
  );

const mismatch = (field: string, why: string) =>
  new HttpError(
    400,
    `Invalid value for "${field}": it ${why}`,
    'The JWT payload must carry every upload field except file and token, with the same values, as strings.',
  );

function joseToHttp(e: unknown): HttpError {
  if (e instanceof jose.JWTExpired) return badToken('it has expired');
  if (e instanceof jose.JOSEAlgNotAllowed) return badToken('it must be signed with HS256');
  if (e instanceof jose.JWSSignatureVerificationFailed) return badSignature();
  if (e instanceof jose.JWTClaimValidationFailed) return badToken(`claim "${e.claim}" is missing or invalid`);
  if (e instanceof jose.JOSEError) return badToken('it is not a valid JWT');
  throw e;
}

async function activeKey(lookupKey: LookupKey, publicKey: string): Promise<UploadKey> {
  const key = await lookupKey(publicKey);
  if (!key || !key.active) throw cannotAuthenticate();
  return key;
}

/** The production lookup: KV `publickey:<publicKey>` → tenant config → the key record, private key decrypted. */
export function lookupKeyFromKv(env: Env): LookupKey {
  return async (publicKey) => {
    const entry = await env.CONFIG.get<KeyIndexEntry>(publicKeyIndex(publicKey), 'json');
    if (!entry) return null;
    const tenant = await loadTenant(env, entry.tenantId);
    const record = tenant?.keys.find((k) => k.id === entry.keyId);
    // The index could outlive a rotated key; the record's own public key is the truth.
    if (!tenant || !record || record.publicKey !== publicKey) return null;
    return {
      tenantId: tenant.id,
      keyId: record.id,
      privateKey: await decryptPrivateKey(env.MASTER_KEY, tenant.id, record),
      active: isActive(record),
    };
  };
}
