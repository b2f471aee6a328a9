/**
 * Peak WASM memory of a 12 MP progressive JPEG → 800 px WebP, through the real pipeline (not timed).
 * Progressive files keep libjpeg's whole-image coefficient buffer (~36 MB at 12 MP, 4:2:0) whatever the scale,
 * so this is the guarded path's ordinary case. Its own file, so its own isolate and memories.
 */
import { expect, it } from 'vitest';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';
import { expectWasmMemoryAtMost } from '../wasm-memory';

it('12 MP progressive JPEG → 800 wide WebP: the modules together stay within 96 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const tenant = await newTenant();
  await putOriginal(tenant, 'prog.jpg', await fixtureBytes(fixtures.photo4000x3000Progressive.path));
  const res = await get(`/${tenant}/tr:w-800/prog.jpg`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  const memory = wasmMemoryByModule();
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 600]);
  expectWasmMemoryAtMost(memory, 96e6, '12 MP progressive → 800w WebP');
});
