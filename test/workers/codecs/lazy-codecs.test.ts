/**
 * Codecs are instantiated on first use: a request loads only the modules it needs. Each test file runs in its
 * own isolate, so this file starts with no codec instantiated.
 */
import { expect, it } from 'vitest';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, get, newTenant, putOriginal } from '../helpers';

it('a JPEG → JPEG resize instantiates the JPEG decoder and encoder and the resizer, nothing else', async () => {
  expect(loadedModules()).toEqual([]);
  const tenant = await newTenant();
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
  const res = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: 'image/jpeg' } });
  expect(res.status).toBe(200);
  expect(loadedModules().sort()).toEqual(['edgepixJpeg', 'edgepixJpegEnc', 'edgepixResize']);
  // Tracked memories are real, and the decoder never held the 1000×800 frame: for w-200 it decoded at 1/4.
  expect(wasmMemoryByModule().edgepixJpeg).toBeGreaterThan(250 * 200 * 4);
  expect(wasmMemoryByModule().edgepixJpeg).toBeLessThan(1000 * 800 * 4);

  const webp = await get(`/${tenant}/tr:w-200/p.jpg`, { headers: { Accept: 'image/webp' } });
  expect(webp.headers.get('Content-Type')).toBe('image/webp');
  expect(loadedModules().sort()).toEqual(['edgepixJpeg', 'edgepixJpegEnc', 'edgepixResize', 'edgepixWebp']);
});
