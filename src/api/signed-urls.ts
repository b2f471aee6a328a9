/**
 * Signed delivery URLs for people who hold no private key (the dashboard's users): the server signs with one of
 * the tenant's active keys, the way `@imagekit/nodejs` would with that key, so the URL verifies like any other.
 *
 *   POST /v1/files/signed-url {url, expireSeconds?} → 200 {url, expiresAt}
 *
 * `url` must be one of the tenant's delivery URLs (`<files endpoint>/…`, as the list API answers them);
 * `expireSeconds` is 1 to 31 536 000 (a year), 3600 by default; a URL that never expires cannot be asked for.
 * Needs `files: read`: whoever may read a private file in the library may hand out a link to it.
 */
import { signingKeys } from '../delivery/stages/verify-signature';
import { HttpError } from '../http/errors';
import { signUrl, splitSignature } from '../security/signature';
import { checkField, integer, optional, text } from '../validate/fields';
import { readJsonObject } from './body';
import type { LibraryContext } from './library-route';
import { json } from './respond';

const MAX_EXPIRY_SECONDS = 31_536_000;

export async function create(ctx: LibraryContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const url = checkField(body, 'url', text('a delivery URL of this account', { min: 1, max: 4096 }));
  const expireSeconds = checkField(body, 'expireSeconds', optional(integer(1, MAX_EXPIRY_SECONDS), 3600));
  if (!url.startsWith(`${ctx.endpoint}/`) || splitSignature(url).signature !== null) {
    throw new HttpError(400, `Invalid value for "url": expected an unsigned URL under ${ctx.endpoint}/`, 'Pass a file URL as the list API answers it.');
  }
  const [key] = await signingKeys(ctx.env.MASTER_KEY, ctx.tenant);
  if (!key) throw new HttpError(409, 'The account has no active API key to sign with', 'Create an API key, then sign again.');
  const expiresAt = Math.floor(Date.now() / 1000) + expireSeconds;
  return json({ url: await signUrl(url, ctx.endpoint, key, expiresAt), expiresAt: new Date(expiresAt * 1000).toISOString() });
}
