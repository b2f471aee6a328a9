/**
 * Download links of export archives: `/v1/exports/<tenant>/<export>/<name>?expires=<unix s>&signature=<hex>`,
 * the signature an HMAC-SHA256 (key derived from MASTER_KEY for this purpose alone) over the tenant, the export,
 * the name and the expiry. A link works for that one archive of that one tenant until it expires; anyone who
 * holds it may download, as with any signed URL, so it is handed only to who may read the export.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { constantTimeEqual, purposeHmacHex } from '../security/crypto';

/** How long a link stays valid (never past the archives' own expiry). */
export const LINK_SECONDS = 24 * 60 * 60;

const PURPOSE = 'export download links';
const message = (tenantId: string, exportId: string, name: string, expires: number) => `${tenantId}\n${exportId}\n${name}\n${expires}`;

export async function downloadLink(env: Pick<Env, 'MASTER_KEY'>, origin: string, tenantId: string, exportId: string, name: string, expires: number): Promise<string> {
  const signature = await purposeHmacHex(env.MASTER_KEY, PURPOSE, message(tenantId, exportId, name, expires));
  return `${origin}/v1/exports/${encodeURIComponent(tenantId)}/${encodeURIComponent(exportId)}/${name}?expires=${expires}&signature=${signature}`;
}

/** Throws 403 for a link that was not signed for exactly this archive, 410 for one that expired. */
export async function checkDownloadLink(env: Pick<Env, 'MASTER_KEY'>, tenantId: string, exportId: string, name: string, params: URLSearchParams, now = Date.now()): Promise<void> {
  const expiresText = params.get('expires') ?? '';
  const signature = params.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(expiresText) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new HttpError(403, 'This download link is not valid', 'Ask for a fresh link with GET /v1/accounts/exports/:id.');
  }
  const expires = Number(expiresText);
  const expected = await purposeHmacHex(env.MASTER_KEY, PURPOSE, message(tenantId, exportId, name, expires));
  if (!constantTimeEqual(expected, signature)) throw new HttpError(403, 'This download link is not valid', 'Ask for a fresh link with GET /v1/accounts/exports/:id.');
  if (expires * 1000 <= now) throw new HttpError(410, 'This download link has expired', 'Ask for a fresh link with GET /v1/accounts/exports/:id.');
}
