import { env } from 'cloudflare:test';
import { R2Origin, originalKey } from '../../src/origins/r2';
import { describeOriginConformance } from './conformance/origin-suite';

let counter = 0;

describeOriginConformance({
  name: 'R2 (tenant files in MEDIA)',
  async create() {
    const tenant = `origin-${counter++}`;
    return {
      origin: new R2Origin(env.MEDIA, tenant),
      async put(path, bytes, options = {}) {
        await env.MEDIA.put(originalKey(tenant, path), bytes, {
          httpMetadata: options.contentType ? { contentType: options.contentType } : undefined,
          customMetadata: options.isPrivate ? { isPrivateFile: 'true' } : undefined,
        });
      },
    };
  },
});
