/**
 * Peak WASM memory of a 24 MP phone photo → 800 px WebP, through the real pipeline (not timed). The decoder
 * decodes at the DCT scale the hint allows (1/4: 1500×1000), so no module ever holds the 96 MB full-size frame.
 * This file runs in its own isolate: the memories it reads are this request's own (they only grow).
 */
import { expect, it } from 'vitest';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';
import { expectWasmMemoryAtMost } from '../wasm-memory';

it('24 MP baseline JPEG → 800 wide WebP: the modules together stay within 32 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const tenant = await newTenant();
  await putOriginal(tenant, 'big.jpg', await fixtureBytes(fixtures.photo6000x4000.path));
  const res = await get(`/${tenant}/tr:w-800/big.jpg`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('image/webp');
  const memory = wasmMemoryByModule();
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 533]);
  expectWasmMemoryAtMost(memory, 32e6, '24 MP baseline → 800w WebP');
});
