/**
 * Peak WASM memory of a 24 MP grid AVIF (12×8 tiles of 500×500) → 800 px WebP through the real pipeline: the
 * decoder decodes one row of tiles at a time, so its module holds twelve tiles' planes (~5 MB), not the image's.
 * This file runs in its own isolate: the memories it reads are this request's own (they only grow).
 */
import { expect, it } from 'vitest';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

const MB = 1e6;

it('24 MP grid AVIF → 800 wide WebP: the AVIF module within 12 MB, all modules within 20 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const tenant = await newTenant();
  await putOriginal(tenant, 'grid.avif', await fixtureBytes(fixtures.avifGrid24mp.path), 'image/avif');
  const res = await get(`/${tenant}/tr:w-800/grid.avif`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  const memory = wasmMemoryByModule();
  const total = Object.values(memory).reduce((sum, n) => sum + n!, 0);
  console.log(`24 MP grid AVIF → 800w WebP: WASM ${(total / MB).toFixed(1)} MB (${JSON.stringify(memory)})`);
  expect(Object.keys(memory).sort()).toEqual(['edgepixAvif', 'edgepixResize', 'edgepixWebp']);
  expect(memory.edgepixAvif).toBeLessThanOrEqual(12 * MB);
  expect(total).toBeLessThanOrEqual(20 * MB);
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 533]);
});
