// Seeds local storage (the same .wrangler/state that `wrangler dev` uses) with the `demo` tenant's photos
// from seed/. Idempotent: re-running overwrites the files. The tenant itself is created through the
// operator API once the Worker runs (see start.mjs).
import { readFile } from 'node:fs/promises';
import { getPlatformProxy } from 'wrangler';

export const DEMO_TENANT = 'demo';

const FILES = [
  { path: 'photos/landscape.jpg', source: 'seed/photos/landscape.jpg', type: 'image/jpeg' },
  { path: 'photos/portrait.jpg', source: 'seed/photos/portrait.jpg', type: 'image/jpeg' },
  { path: 'graphics/alpha.png', source: 'seed/graphics/alpha.png', type: 'image/png' },
];

export async function seed() {
  const { env, dispose } = await getPlatformProxy({ persist: true });
  try {
    for (const file of FILES) {
      // A plain ArrayBuffer: the proxy cannot serialise Node's pooled Buffer views.
      const bytes = new Uint8Array(await readFile(file.source)).buffer;
      await env.MEDIA.put(`originals/${DEMO_TENANT}/${file.path}`, bytes, {
        httpMetadata: { contentType: file.type },
      });
    }
  } finally {
    await dispose();
  }
  return FILES.map((f) => f.path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = await seed();
  console.log(`seeded tenant "${DEMO_TENANT}" with ${paths.join(', ')}`);
}
