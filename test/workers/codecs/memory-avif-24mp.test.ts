/**
 * Peak WASM memory of a 24 MP 8-bit 4:2:0 AVIF → 800 px WebP through the real pipeline (not timed). dav1d holds
 * the image's YUV planes (1.5 bytes a pixel) and its state; RGBA comes out a strip at a time into the resizer,
 * so the 96 MB RGBA image never exists (the jsquash decoder it replaced held it twice: ~600 MB at its peak).
 * This file runs in its own isolate: the memories it reads are this request's own (they only grow).
 */
import { expect, it } from 'vitest';
import { avifDecodeMemory } from '../../../src/codecs/dav1d';
import { probe } from '../../../src/codecs/probe';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

const MB = 1e6;

it('24 MP AVIF → 800 wide WebP: the AVIF module within its estimate, all modules within 64 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const bytes = await fixtureBytes(fixtures.avif24mp.path);
  const tenant = await newTenant();
  await putOriginal(tenant, 'big.avif', bytes, 'image/avif');
  const res = await get(`/${tenant}/tr:w-800/big.avif`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('image/webp');
  const memory = wasmMemoryByModule();
  const total = Object.values(memory).reduce((sum, n) => sum + n!, 0);
  console.log(`24 MP AVIF → 800w WebP: WASM ${(total / MB).toFixed(1)} MB (${JSON.stringify(memory)})`);
  expect(Object.keys(memory).sort()).toEqual(['edgepixAvif', 'edgepixResize', 'edgepixWebp']);
  // The planes: 6016 × 4096 (dav1d's 128-aligned sides) × 1.5 = 37 MB, which the module must hold.
  expect(memory.edgepixAvif).toBeGreaterThan(37 * MB);
  expect(memory.edgepixAvif).toBeLessThanOrEqual(avifDecodeMemory(bytes, probe(bytes)));
  expect(total).toBeLessThanOrEqual(64 * MB);
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 533]);
});
