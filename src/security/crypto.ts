/**
 * The few cryptographic primitives edgepix uses, all on WebCrypto: AES-GCM for secrets at rest (keyed by
 * MASTER_KEY), HMAC-SHA1 for ImageKit's URL and upload signatures, SHA-256 for lookups and hash chains, and
 * constant-time comparison for everything secret.
 */
import { HttpError } from '../http/errors';
import { memo } from '../cache/memo';

const encoder = new TextEncoder();

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

export async function hmacSha1Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  return hex(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
}

/** Compares two strings in time that depends only on their lengths, never on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) {
    // Still do the work, so a length mismatch is not faster than a content mismatch.
    crypto.subtle.timingSafeEqual(left, left);
    return false;
  }
  return crypto.subtle.timingSafeEqual(left, right);
}

/** URL-safe random text with `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

// Keyed by the secret itself: an isolate normally sees one MASTER_KEY, tests a few.
const masterKeys = memo<Promise<CryptoKey>>({ capacity: 8 });

function masterKey(secret: string | undefined): Promise<CryptoKey> {
  return masterKeys.get(secret ?? '', () => crypto.subtle.importKey('raw', masterBytes(secret), 'AES-GCM', false, ['encrypt', 'decrypt']));
}

function masterBytes(secret: string | undefined): Uint8Array {
  if (!secret) throw new HttpError(500, 'MASTER_KEY is not configured', 'Set it with `wrangler secret put MASTER_KEY`.');
  let raw: Uint8Array;
  try {
    raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
  } catch {
    raw = new Uint8Array();
  }
  if (raw.byteLength !== 32) throw new HttpError(500, 'MASTER_KEY must be base64 of 32 bytes', 'Generate one with `openssl rand -base64 32`.');
  return raw;
}

const purposeKeys = memo<Promise<CryptoKey>>({ capacity: 16 });

/**
 * HMAC-SHA256 (hex) of `message` under a key derived from MASTER_KEY for one purpose (HKDF-SHA256, the purpose as
 * info): signed download links, audit pseudonyms. A value made for one purpose never verifies for another.
 */
export async function purposeHmacHex(masterSecret: string | undefined, purpose: string, message: string): Promise<string> {
  const key = await purposeKeys.get(`${purpose}\u0000${masterSecret}`, async () => {
    const base = await crypto.subtle.importKey('raw', masterBytes(masterSecret), 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(), info: encoder.encode(`edgepix ${purpose}`) },
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    );
  });
  return hex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}

const VERSION = 'v1';

/**
 * Encrypts a secret for storage: `v1.<iv>.<ciphertext>` (base64). `context` (e.g. the tenant id) is bound as
 * additional data, so a ciphertext copied into another tenant's record does not decrypt.
 */
export async function encryptSecret(masterSecret: string | undefined, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    await masterKey(masterSecret),
    encoder.encode(plaintext),
  );
  return [VERSION, toBase64(iv), toBase64(new Uint8Array(sealed))].join('.');
}

export async function decryptSecret(masterSecret: string | undefined, sealed: string, context: string): Promise<string> {
  const [version, iv, data] = sealed.split('.');
  if (version !== VERSION || !iv || !data) throw new Error('unknown secret format');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) },
    await masterKey(masterSecret),
    fromBase64(data),
  );
  return new TextDecoder().decode(plain);
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
