/**
 * The Worker's handle on a tenant's MediaLibrary Durable Object. The object answers `Result` values (RPC
 * would keep only an error's message); this client turns failures back into HttpErrors, so routes just await.
 * The tenant id comes from the authenticated key or the delivery URL: one object per tenant is the isolation.
 */
import type { MediaLibrary, Result } from '../durable/media-library';
import type { Env } from '../env';
import { fromErrorData } from '../http/errors';
import { guardedStub } from '../durable/guarded-stub';
import { forgetPublished } from './published';

type Unwrapped<T> = T extends { ok: true; value: infer V } ? V : T extends { ok: false; error: unknown } ? never : T;

export type LibraryClient = {
  [K in keyof MediaLibrary]: MediaLibrary[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Unwrapped<Awaited<R>>> : never;
};

export function libraryOf(env: Pick<Env, 'MEDIA_LIBRARY'>, tenantId: string): LibraryClient {
  const stub = guardedStub('MediaLibrary', env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenantId))) as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  return new Proxy({} as LibraryClient, {
    get: (_target, method) => {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return async (...args: unknown[]) => {
        const value = await stub[method]!(...args);
        if (!DELIVERY_READS.has(method)) forgetPublished(tenantId);
        return unwrap(value);
      };
    },
  });
}

/**
 * What delivery itself calls, and calls that change no file. Any other call may have changed the library, and the object has published the
 * change before answering: this isolate then stops trusting its memo of the published index (readPublished).
 */
const DELIVERY_READS = new Set([
  'lookup',
  'addUsage',
  // Backup's bookkeeping (the queue consumer runs in the same isolates as delivery) changes no file.
  'backupSettings',
  'backupStatus',
  'backupClaim',
  'backupMirrored',
  'backupFailed',
]);

function unwrap(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return value;
  const result = value as Result<unknown>;
  if (result.ok) return result.value;
  throw fromErrorData(result.error);
}
