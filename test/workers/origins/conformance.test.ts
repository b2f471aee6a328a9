import { env } from 'cloudflare:test';
import { libraryOf } from '../../../src/library/client';
import { LibraryOrigin } from '../../../src/origins/library';
import { describeOriginConformance } from '../conformance/origin-suite';
import { newTenant, putOriginal } from '../helpers';

describeOriginConformance({
  name: 'media library',
  async create() {
    const tenant = await newTenant();
    return {
      origin: new LibraryOrigin(libraryOf(env, tenant), env.MEDIA),
      async put(path, bytes, options = {}) {
        await putOriginal(tenant, path, bytes, options.contentType ?? 'application/octet-stream', { isPrivate: options.isPrivate });
      },
    };
  },
});
