/**
 * ImageKit's signed URLs, verified so that URLs signed by `@imagekit/nodejs` 7
 * (`helper.buildSrc({ signed, expiresIn })`) and by the legacy `imagekit` 6 (`url({ signed, expireSeconds })`)
 * both pass, in path and query form.
 *
 * The signers compute, over the URL they built (a WHATWG-serialised `href`):
 *
 *   ik-s = hex(HMAC-SHA1(privateKey, url − "<urlEndpoint>/" + (ik-t ?? "9999999999")))
 *
 * and append `ik-t` (when the URL expires) and `ik-s` as the last query parameters. We verify over the URL as
 * received (`request.url`), which workerd hands over WHATWG-serialised too: bytes outside the URL code-point
 * sets (non-ASCII, space, `"`, `<`, `>`, `^`, `` ` ``, `{`, `}` in the path; `'` too in the query) are
 * percent-encoded as UTF-8 with upper-case hex, escapes already present are kept exactly as sent (`%7e` stays
 * `%7e`), and `.`/`..` segments are resolved. That is the same text the SDKs signed, so:
 *
 *   1. remove every `ik-s` and `ik-t` parameter (by raw name) from the query, keeping the others in order,
 *      and the `?` when nothing is left; a repeated `ik-s` or `ik-t` is refused;
 *   2. strip `<urlEndpoint>/` from the start (a URL outside the endpoint does not verify);
 *   3. append the `ik-t` value as written, or `9999999999` without one;
 *   4. HMAC-SHA1 with each active private key of the tenant, lower-case hex, compared in constant time;
 *   5. a valid signature with `now > ik-t` (seconds) is expired.
 *
 * Two extra candidate strings are tried, both denoting the same URL, so neither widens what a key signs:
 * - Node ≤ 22's URL serialiser leaves `^` raw in paths where the current WHATWG serialiser (workerd) writes
 *   `%5E`, so a path with `%5E` is also tried with `^` (what the Node SDK signed).
 * - imagekit@6 passes the string to sign through `encodeURI` (the part before the first `?`) when it holds a
 *   character above U+007F; if the received URL ever carries raw non-ASCII, that form is tried too. (workerd's
 *   `request.url` is always ASCII, where it already equals what that SDK signed.)
 */
import { constantTimeEqual, hmacSha1Hex } from './crypto';

export const SIGNATURE_PARAM = 'ik-s';
export const EXPIRY_PARAM = 'ik-t';
/** What the SDKs sign in place of an expiry when the URL never expires. */
export const NO_EXPIRY = '9999999999';

export interface SignatureParts {
  /** The URL without its `ik-s` / `ik-t` parameters. */
  url: string;
  signature: string | null;
  expiry: string | null;
  /** `ik-s` or `ik-t` appeared more than once. */
  repeated: boolean;
}

/** Splits `ik-s` and `ik-t` off a raw URL, leaving every other character as it was. */
export function splitSignature(url: string): SignatureParts {
  const q = url.indexOf('?');
  if (q === -1) return { url, signature: null, expiry: null, repeated: false };
  const kept: string[] = [];
  let signature: string | null = null;
  let expiry: string | null = null;
  let repeated = false;
  for (const part of url.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    if (name === SIGNATURE_PARAM) {
      repeated ||= signature !== null;
      signature = value;
    } else if (name === EXPIRY_PARAM) {
      repeated ||= expiry !== null;
      expiry = value;
    } else {
      kept.push(part);
    }
  }
  const base = url.slice(0, q);
  return { url: kept.length ? `${base}?${kept.join('&')}` : base, signature, expiry, repeated };
}

/** `url − "<endpoint>/" + expiry`, or null when the URL is not under the endpoint. */
export function stringToSign(urlWithoutSignature: string, urlEndpoint: string, expiry: string | null): string | null {
  const prefix = `${urlEndpoint.replace(/\/+$/, '')}/`;
  if (!urlWithoutSignature.startsWith(prefix)) return null;
  return urlWithoutSignature.slice(prefix.length) + (expiry ?? NO_EXPIRY);
}

/** Every form of the string to sign that some SDK may have signed for this URL (see the module comment). */
export function signingCandidates(message: string): string[] {
  const out = [message];
  const q = message.indexOf('?');
  const path = q === -1 ? message : message.slice(0, q);
  if (path.includes('%5E')) out.push(path.replaceAll('%5E', '^') + message.slice(path.length));
  if (/[^\x00-\x7f]/.test(message)) out.push(legacyEncode(message));
  return out;
}

/** imagekit@6 `customEncodeURI`, reproduced exactly (including dropping text after a second `?`). */
function legacyEncode(text: string): string {
  if (!text.includes('?')) return safeEncodeURI(text);
  const [path, query] = text.split('?');
  return `${safeEncodeURI(path!)}?${query}`;
}

function safeEncodeURI(text: string): string {
  try {
    return encodeURI(text);
  } catch {
    return text; // a lone surrogate: no signer could have produced this form
  }
}

export type SignatureVerdict =
  | { ok: true; expiry: number | null }
  | { ok: false; reason: 'missing' | 'malformed' | 'mismatch' | 'expired' };

export interface VerifyOptions {
  /** The URL exactly as received (`request.url`). */
  url: string;
  /** The tenant's URL endpoint the signer used: `<origin>/<tenant>` (plus `/<urlPrefix>` for extra endpoints). */
  urlEndpoint: string;
  /** Private keys that may have signed it (every active key of the tenant). */
  privateKeys: readonly string[];
  /** Milliseconds since the epoch. */
  now?: number;
}

/** Checks a URL's `ik-s` / `ik-t` against the tenant's keys. */
export async function verifySignedUrl(options: VerifyOptions): Promise<SignatureVerdict> {
  const parts = splitSignature(options.url);
  if (parts.signature === null) return { ok: false, reason: 'missing' };
  if (parts.repeated || !/^[0-9a-fA-F]{40}$/.test(parts.signature)) return { ok: false, reason: 'malformed' };
  if (parts.expiry !== null && !/^[0-9]{1,12}$/.test(parts.expiry)) return { ok: false, reason: 'malformed' };
  const message = stringToSign(parts.url, options.urlEndpoint, parts.expiry);
  if (message === null) return { ok: false, reason: 'mismatch' };
  const given = parts.signature.toLowerCase();
  let valid = false;
  for (const candidate of signingCandidates(message)) {
    for (const key of options.privateKeys) {
      // No early exit: the time taken does not depend on which key or form matched.
      if (constantTimeEqual(await hmacSha1Hex(key, candidate), given)) valid = true;
    }
  }
  if (!valid) return { ok: false, reason: 'mismatch' };
  const expiry = parts.expiry === null ? null : Number(parts.expiry);
  if (expiry !== null && (options.now ?? Date.now()) / 1000 > expiry) return { ok: false, reason: 'expired' };
  return { ok: true, expiry };
}

/**
 * Signs a URL the way `@imagekit/nodejs` does (for our own tools and tests): `url` is the full URL without
 * `ik-s`/`ik-t`, `expiresAt` the Unix time in seconds or undefined for a URL that never expires.
 */
export async function signUrl(url: string, urlEndpoint: string, privateKey: string, expiresAt?: number): Promise<string> {
  const expiry = expiresAt === undefined ? null : String(expiresAt);
  const message = stringToSign(url, urlEndpoint, expiry);
  if (message === null) throw new Error(`${url} is not under the URL endpoint ${urlEndpoint}`);
  const signature = await hmacSha1Hex(privateKey, message);
  const separator = url.includes('?') ? '&' : '?';
  return expiry === null
    ? `${url}${separator}${SIGNATURE_PARAM}=${signature}`
    : `${url}${separator}${EXPIRY_PARAM}=${expiry}&${SIGNATURE_PARAM}=${signature}`;
}
