/**
 * The R2 bucket that holds a tenant's bytes (originals, variants, library files). Every read and write of a
 * tenant's objects goes through here, so where a tenant's data lives is decided in one place: the bucket of
 * its jurisdiction (tenants/residency.ts).
 *
 * `mediaOf` answers at once with a bucket whose every call first awaits the tenant's residency (tenants/home.ts):
 * callers need no tenant config at hand (queue consumers, cron tasks and other objects have none), a bucket is
 * never guessed, and on a request that already found its tenant the lookup is the config memo.
 *
 * While the home bucket fails (an R2 error: its region is unreachable), a tenant with fallback "closed" gets a
 * 503 naming its jurisdiction. With "open", reads (get, head) are answered from the default bucket when it holds
 * a copy under the same key — edgepix writes none there for such a tenant; an operator may keep one — and a
 * variant with no copy is a cache miss (it is made again from its original); writes, deletes and listings are
 * 503 either way, so nothing of the tenant is ever written outside its jurisdiction. Each fallback is reported
 * to `onFallback` (delivery: Server-Timing) and audited (residency-audit.ts).
 */
import type { Env } from '../env';
import { residencyOf } from '../tenants/home';
import { HttpError } from '../http/errors';
import { jurisdictionUnavailable, type Jurisdiction, type Residency } from '../tenants/residency';
import { auditFallback } from './residency-audit';
import { lazyBucket } from './lazy-bucket';

export type MediaEnv = Pick<Env, 'MEDIA' | 'MEDIA_EU' | 'MEDIA_FEDRAMP' | 'CONFIG' | 'AUDIT_LOG'>;

/** Told when a read was served from outside the tenant's jurisdiction: `from` is home, `to` where it was read. */
export type FallbackListener = (from: Jurisdiction, to: Jurisdiction) => void;

const BINDINGS = { default: 'MEDIA', eu: 'MEDIA_EU', fedramp: 'MEDIA_FEDRAMP' } as const;

/** The bucket of a jurisdiction; a deployment without it cannot hold such a tenant (the operator API checks). */
export function bucketIn(env: Pick<Env, 'MEDIA' | 'MEDIA_EU' | 'MEDIA_FEDRAMP'>, jurisdiction: Jurisdiction): R2Bucket {
  const bucket = env[BINDINGS[jurisdiction]];
  if (!bucket) {
    throw new HttpError(503, `This deployment has no bucket for the ${jurisdiction} jurisdiction`, `Bind ${BINDINGS[jurisdiction]} in wrangler.toml (README "Data residency").`);
  }
  return bucket;
}

export function hasBucketIn(env: Pick<Env, 'MEDIA' | 'MEDIA_EU' | 'MEDIA_FEDRAMP'>, jurisdiction: Jurisdiction): boolean {
  return Boolean(env[BINDINGS[jurisdiction]]);
}

export function mediaOf(env: MediaEnv, tenantId: string, onFallback?: FallbackListener): R2Bucket {
  return lazyBucket(async () => {
    const residency = await residencyOf(env, tenantId);
    return homeBucket(env, tenantId, residency, onFallback);
  });
}

/** Objects under `variants/` are made again from their originals: without a copy outside, a miss is honest. */
const remakeable = (key: string) => key.startsWith('variants/');

function homeBucket(env: MediaEnv, tenantId: string, residency: Residency, onFallback?: FallbackListener): R2Bucket {
  const home = bucketIn(env, residency.jurisdiction);
  if (residency.jurisdiction === 'default') return home;
  const down = () => jurisdictionUnavailable(residency.jurisdiction);
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw unavailable(error) ? down() : error;
    }
  };
  const read = async <T extends R2Object | null>(key: string, work: (bucket: R2Bucket) => Promise<T>): Promise<T> => {
    try {
      return await work(home);
    } catch (error) {
      if (!unavailable(error)) throw error;
      if (residency.fallback === 'closed') throw down();
      console.error(`residency: the ${residency.jurisdiction} bucket failed, reading ${key} from the default one`, error);
      const copy = await work(env.MEDIA);
      if (!copy && !remakeable(key)) throw jurisdictionUnavailable(residency.jurisdiction, 'no copy of the file is kept outside it');
      if (copy) {
        onFallback?.(residency.jurisdiction, 'default');
        await auditFallback(env, tenantId, residency.jurisdiction, key);
      }
      return copy;
    }
  };
  return {
    head: (key) => read(key, (bucket) => bucket.head(key)),
    get: ((key: string, options?: R2GetOptions) => read(key, (bucket) => bucket.get(key, options))) as R2Bucket['get'],
    put: ((key: string, value: Parameters<R2Bucket['put']>[1], options?: R2PutOptions) => guard(() => home.put(key, value, options))) as R2Bucket['put'],
    delete: (keys) => guard(() => home.delete(keys)),
    list: (options) => guard(() => home.list(options)),
    createMultipartUpload: (key, options) => guard(() => home.createMultipartUpload(key, options)),
    resumeMultipartUpload: (key, uploadId) => home.resumeMultipartUpload(key, uploadId),
  };
}

/** An R2 failure that is the bucket's, not the call's: a bad argument is a TypeError or RangeError and stays one. */
function unavailable(error: unknown): boolean {
  return error instanceof Error && !(error instanceof TypeError) && !(error instanceof RangeError) && !(error instanceof HttpError);
}
