/**
 * ImageKit's usage API (`client.accounts.usage.get` in `@imagekit/nodejs`):
 *
 *   GET /v1/accounts/usage?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD → 200 {bandwidthBytes, mediaLibraryStorageBytes,
 *     originalCacheStorageBytes, videoProcessingUnitsCount, extensionUnitsCount}
 *
 * As ImageKit documents it, the range includes startDate and excludes endDate, so endDate must come after
 * startDate; it may span at most 90 days. Bandwidth is what delivery sent (UTC days); storage is the media
 * library's bytes now, each stored blob once however many files share it. There is no original cache,
 * video processing or extension, so those are 0. Usage is account information, like the other
 * `/v1/accounts` routes, so it needs `settings: read`.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { utcDay } from '../library/store/usage';
import { badField } from '../validate/fields';
import { json } from './respond';
import { settingsRoute } from './tenant-route';

const DAY_MS = 86_400_000;
const MAX_DAYS = 90;

export function registerUsageRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/usage',
    settingsRoute('read', async (ctx) => {
      const query = new URL(ctx.request.url).searchParams;
      const start = dateParam(query, 'startDate');
      const end = dateParam(query, 'endDate');
      if (end <= start) throw badField('endDate', 'a date after startDate (the range excludes endDate)');
      if (end - start > MAX_DAYS * DAY_MS) throw badField('endDate', `at most ${MAX_DAYS} days after startDate`);
      const usage = await libraryOf(ctx.env, ctx.tenant.id).usage(utcDay(start), utcDay(end - DAY_MS));
      return json({
        bandwidthBytes: usage.bandwidthBytes,
        mediaLibraryStorageBytes: usage.storageBytes,
        originalCacheStorageBytes: 0,
        videoProcessingUnitsCount: 0,
        extensionUnitsCount: 0,
      });
    }),
  );
}

/** A `YYYY-MM-DD` calendar date as UTC midnight (ms); a 400 naming the parameter otherwise. */
function dateParam(query: URLSearchParams, name: string): number {
  const value = query.get(name) ?? '';
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2024-02-30 over to March: a real date reads back unchanged.
  if (Number.isNaN(ms) || utcDay(ms) !== value) throw badField(name, 'a date in YYYY-MM-DD format');
  return ms;
}
