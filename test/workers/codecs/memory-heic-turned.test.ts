/**
 * A turned 12 MP iPhone-layout HEIC (the grid with irot 1, as a portrait photo is stored) → 800 px WebP: its
 * rows cannot stream into the resizer, so they are written, turned, into one upright frame as each row of
 * tiles is decoded (src/image/orient.ts, orientRows); the HEIC module still holds one row of tiles. Its own
 * isolate, as memory-heic.test.ts.
 */
import { expect, it } from 'vitest';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { gridHeic } from '../../../scripts/heic-grid.mjs';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, newTenant, putOriginal } from '../helpers';

it('12 MP grid HEIC with irot → 800 wide WebP, upright, the HEIC module within 16 MB', async () => {
  // The fixture's 48 tiles, in their places, with irot 1 on the grid.
  const layout = Array.from({ length: 48 }, (_, i) => i);
  const turned = gridHeic(await fixtureBytes(fixtures.heic12mp.path), { columns: 8, rows: 6, width: 4032, height: 3024, layout, rotate: 1 });
  const tenant = await newTenant();
  await putOriginal(tenant, 'portrait.heic', new Uint8Array(turned), 'image/heic');
  const res = await get(`/${tenant}/tr:w-600/portrait.heic`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([600, 800]);
  expect(wasmMemoryByModule().edgepixHeic!).toBeLessThanOrEqual(16e6);
});
