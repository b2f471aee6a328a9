import type { ByteRange } from '../http/byte-range';
import { HttpError } from '../http/errors';
import type { LibraryClient } from '../library/client';
import type { Original, Origin } from './types';

/**
 * The tenant's media library: the first origin of every URL endpoint. Paths resolve through the library's
 * index to the current version (or the one `ik-obj-version` names); the version id is the etag, so a new
 * version never meets a variant cached for an older one.
 */
export class LibraryOrigin implements Origin {
  readonly name = 'library';

  constructor(
    private readonly library: Pick<LibraryClient, 'lookup'>,
    private readonly bucket: R2Bucket,
    private readonly versionId?: string,
  ) {}

  async get(path: string): Promise<Original | null> {
    const found = await this.library.lookup(`/${path}`, this.versionId);
    if (!found) return null;
    const read = async (range?: ByteRange) => {
      const object = await this.bucket.get(found.blobKey, range ? { range: { offset: range.start, length: range.end - range.start + 1 } } : undefined);
      // Records are committed only after their bytes are stored; a missing blob is a storage fault.
      if (!object) throw new HttpError(503, 'The file\'s bytes are not available right now', 'Retry the request.', { 'Retry-After': '1' });
      return object;
    };
    return {
      path,
      etag: found.versionId,
      size: found.size,
      contentType: found.mime,
      lastModified: new Date(found.updatedAt),
      isPrivate: found.isPrivate,
      ...(found.customCoordinates ? { customCoordinates: found.customCoordinates } : {}),
      bytes: async () => new Uint8Array(await (await read()).arrayBuffer()),
      stream: async (range) => (await read(range)).body,
    };
  }
}
