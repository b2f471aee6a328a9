import { HttpError } from '../../http/errors';
import { decryptPrivateKey, isActive, type ApiKeyRecord } from '../../security/keys';
import { SIGNATURE_PARAM, splitSignature, verifySignedUrl } from '../../security/signature';
import type { TenantConfig } from '../../tenants/config';
import type { ParsedContext, Stage } from '../context';
import { memo } from '../../cache/memo';

export const SIGNING_HELP =
  'Sign the URL with a private key of this account, as the ImageKit SDKs do: helper.buildSrc({ signed: true, expiresIn }) in @imagekit/nodejs, url({ signed: true, expireSeconds }) in imagekit.';

/**
 * ImageKit's URL signatures (src/security/signature.ts). Checked whenever `ik-s` is present, and required when
 * the tenant restricts unsigned URLs; private files are checked once the original is known (checkPrivate).
 * A missing, invalid or expired signature is a 401.
 */
export const verifySignature: Stage<ParsedContext> = async (ctx) => {
  const { tenant } = ctx;
  const hasSignature = splitSignature(ctx.request.url).signature !== null;
  if (!hasSignature) {
    if (tenant.settings.restrictUnsignedUrls) {
      throw new HttpError(401, 'This URL must be signed: the account accepts signed URLs only.', SIGNING_HELP);
    }
    return;
  }
  const verdict = await verifySignedUrl({
    url: ctx.request.url,
    urlEndpoint: urlEndpointOf(ctx),
    privateKeys: await signingKeys(ctx.env.MASTER_KEY, tenant),
  });
  if (!verdict.ok) {
    const messages = {
      missing: `The URL has no ${SIGNATURE_PARAM} signature.`,
      malformed: 'The URL signature is malformed: ik-s must be 40 hex digits and ik-t a Unix time in seconds, each given once.',
      mismatch: 'The URL signature (ik-s) does not match the URL.',
      expired: 'The signed URL has expired (ik-t is in the past).',
    };
    throw new HttpError(401, messages[verdict.reason], SIGNING_HELP);
  }
  ctx.signed = true;
};

/**
 * The URL endpoint the signer used, as a URL: `<request origin>/<tenant>` (or the tenant's own hostname's
 * origin), plus `/<urlPrefix>` when the request came through a URL endpoint with a prefix.
 */
export function urlEndpointOf(ctx: ParsedContext): string {
  const base = ctx.url.endpointBase;
  // A /cdn-cgi/image/ URL is signed under the host's origin whatever endpoint its source names (cdn-cgi.ts).
  return ctx.urlPrefix && !ctx.url.cloudflare ? `${base}/${ctx.urlPrefix}` : base;
}

const decrypted = memo<Promise<string | null>>({ ttlMs: 60_000, capacity: 1_000 });

/** The private keys of the tenant's active keys, decrypted (memoised per isolate for a minute). */
export async function signingKeys(masterKey: string | undefined, tenant: TenantConfig, now = Date.now()): Promise<string[]> {
  const keys = await Promise.all(tenant.keys.filter((k) => isActive(k, now)).map((k) => decryptedKey(masterKey, tenant.id, k, now)));
  return keys.filter((k): k is string => k !== null);
}

function decryptedKey(masterKey: string | undefined, tenantId: string, record: ApiKeyRecord, now: number): Promise<string | null> {
  // Keyed by the ciphertext too: a re-keyed record never reuses an old entry.
  const id = `${tenantId}\n${record.id}\n${record.privateKeyCiphertext}`;
  return decrypted.get(
    id,
    () =>
      decryptPrivateKey(masterKey, tenantId, record).catch((error: unknown) => {
        // A missing or malformed MASTER_KEY is the operator's problem (500), not a bad signature (and not kept).
        if (error instanceof HttpError) throw error;
        console.error(`cannot decrypt key ${record.id} of tenant ${tenantId}`, error);
        return null;
      }),
    now,
  );
}
