import { HttpError } from '../http/errors';
import type { Original, Origin } from './types';

/** R2 key of a tenant's original. Delivery paths map 1:1 under the tenant's prefix. */
export const originalKey = (tenantId: string, path: string) => `originals/${tenantId}/${path}`;

/** The tenant's files stored directly in the MEDIA bucket. */
export class R2Origin implements Origin {
  readonly name = 'r2';

  constructor(
    private readonly bucket: R2Bucket,
    private readonly tenantId: string,
  ) {}

  async get(path: string): Promise<Original | null> {
    const key = originalKey(this.tenantId, path);
    const head = await this.bucket.head(key);
    if (!head) return null;
    const read = async () => {
      // Read exactly the version the cache key was built from; a concurrent overwrite is a retryable miss.
      const object = await this.bucket.get(key, { onlyIf: { etagMatches: head.etag } });
      if (!object || !('body' in object)) {
        throw new HttpError(503, 'The file changed while it was being read', 'Retry the request.', {
          'Retry-After': '1',
        });
      }
      return object;
    };
    const meta = head.customMetadata ?? {};
    return {
      path,
      etag: head.etag,
      size: head.size,
      contentType: head.httpMetadata?.contentType,
      lastModified: head.uploaded,
      isPrivate: meta.isPrivateFile === 'true' || meta['is-private-file'] === 'true',
      bytes: async () => new Uint8Array(await (await read()).arrayBuffer()),
      stream: async () => (await read()).body,
    };
  }
}
