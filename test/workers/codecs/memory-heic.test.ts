/**
 * Peak WASM memory of a 12 MP iPhone-layout HEIC (8×6 tiles of 512×512) → 800 px WebP, through the real
 * pipeline (not timed): the decoder holds one row of tiles (a 4032×512 RGBA strip, 8.3 MB) and one tile's
 * decoder state, never the 48 MB image, and the rows stream into the resizer. This file runs in its own
 * isolate: the memories it reads are this request's own (they only grow).
 */
import { expect, it } from 'vitest';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';
import { expectWasmMemoryAtMost } from '../wasm-memory';

it('12 MP grid HEIC → 800 wide WebP: the HEIC module stays within 16 MB, all modules within 32 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const tenant = await newTenant();
  await putOriginal(tenant, 'iphone.heic', await fixtureBytes(fixtures.heic12mp.path), 'image/heic');
  const res = await get(`/${tenant}/tr:w-800/iphone.heic`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('image/webp');
  const memory = wasmMemoryByModule();
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 600]);
  expect(memory.edgepixHeic!).toBeLessThanOrEqual(16e6);
  expectWasmMemoryAtMost(memory, 32e6, '12 MP grid HEIC → 800w WebP', ['edgepixHeic', 'edgepixWebp']);
});
