/**
 * Delivery URLs given to the API (cache purge, metadata by URL): they must be the calling tenant's, on this
 * deployment (`<endpoint>/...`), and are read with the delivery URL parser, so `tr:` segments and `?tr=` mean
 * what they mean at delivery. Anything else is a 400 naming the field.
 */
import { parseDeliveryUrl, type DeliveryUrl } from '../delivery/url';
import { HttpError } from '../http/errors';
import { badField } from '../validate/fields';
import type { LibraryContext } from './library-route';

export interface OwnDeliveryUrl {
  url: URL;
  delivery: DeliveryUrl;
}

export function ownDeliveryUrl(ctx: LibraryContext, value: unknown, field = 'url'): OwnDeliveryUrl {
  const expected = `a URL of this account's files: ${ctx.endpoint}/<file path>`;
  const url = parseUrl(value);
  if (!url) throw badField(field, expected);
  const endpoint = new URL(ctx.endpoint);
  if (url.origin !== endpoint.origin || !url.pathname.startsWith(`${endpoint.pathname}/`)) throw badField(field, expected);
  let delivery: DeliveryUrl | undefined;
  try {
    delivery = parseDeliveryUrl(url);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw badField(field, `${expected} (${error.message})`);
  }
  if (!delivery || delivery.tenantId !== ctx.tenant.id) throw badField(field, expected);
  return { url, delivery };
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
