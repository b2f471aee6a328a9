/**
 * Password hashing: PBKDF2-SHA256 at 100 000 iterations (the most WebCrypto in Workers allows) with a 16-byte
 * random salt, stored as `pbkdf2-sha256$<iterations>$<salt>$<hash>` so the cost can be raised later and old
 * hashes still verify. `npm run bench:passwords` measures the cost beside argon2id (see the README).
 */
import { HttpError } from '../http/errors';

export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = 'pbkdf2-sha256';
const encoder = new TextEncoder();

export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return [SCHEME, String(iterations), toBase64(salt), toBase64(hash)].join('$');
}

/** Whether `password` matches `stored`; compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, rounds, salt, hash] = stored.split('$');
  const iterations = Number(rounds);
  if (scheme !== SCHEME || !salt || !hash || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false;
  const expected = fromBase64(hash);
  const actual = await derive(password, fromBase64(salt), iterations);
  return expected.byteLength === actual.byteLength && crypto.subtle.timingSafeEqual(expected, actual);
}

// Verified when no user matches, so an unknown email costs as long as a wrong password.
let dummy: Promise<string> | undefined;
export async function burnPasswordTime(password: string): Promise<void> {
  dummy ??= hashPassword('not a password of anyone');
  await verifyPassword(password, await dummy);
}

/** The password policy: 10–256 characters, and not the email address (nor its part before the @). */
export function checkPasswordPolicy(password: unknown, email: string): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new HttpError(400, `The password must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters long`, 'Choose a longer password; a passphrase of a few words works well.', {}, { field: 'password' });
  }
  const lower = password.trim().toLowerCase();
  const address = email.toLowerCase();
  if (lower === address || lower === address.split('@')[0]) {
    throw new HttpError(400, 'The password must not be your email address', 'Choose something else.', {}, { field: 'password' });
  }
  return password;
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}
