/**
 * Peak WASM memory of a 300-frame 800×600 GIF resized to 400 wide, as animated WebP and as GIF, through the real
 * pipeline: frames are decoded, resized and encoded one at a time, so the modules hold one frame's work and the
 * encoded output, never the frames (300 × 800×600 RGBA would be 576 MB). The GIF is made here
 * (test/shared/animated-gif.ts); this file runs in its own isolate, so the memories it reads are these requests' own.
 */
import { expect, it } from 'vitest';
import { probe } from '../../../src/codecs/probe';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { bandsGif } from '../../shared/animated-gif';
import { get, newTenant, putOriginal } from '../helpers';

const MB = 1e6;
const WIDTH = 800;
const HEIGHT = 600;
const FRAMES = 300;

const total = (memory: Partial<Record<string, number>>) => Object.values(memory).reduce((sum, bytes) => sum! + bytes!, 0)!;
const split = (memory: Partial<Record<string, number>>) =>
  Object.entries(memory)
    .map(([name, bytes]) => `${name} ${(bytes! / MB).toFixed(1)}`)
    .join(', ');

it('300 frames of 800×600 GIF → 400 wide animated WebP and GIF: the modules together within 64 MB', { timeout: 240_000 }, async () => {
  expect(loadedModules()).toEqual([]);
  const gif = bandsGif(WIDTH, HEIGHT, FRAMES);
  expect(probe(gif).frames).toBe(FRAMES);
  const tenant = await newTenant();
  await putOriginal(tenant, 'long.gif', gif, 'image/gif');

  for (const f of ['f-webp', 'f-gif']) {
    const res = await get(`/${tenant}/tr:w-400,${f}/long.gif`);
    expect(res.status).toBe(200);
    const info = probe(new Uint8Array(await res.arrayBuffer()));
    expect([info.width, info.height, info.frames]).toEqual([400, 300, FRAMES]);
  }
  const memory = wasmMemoryByModule();
  console.log(`${FRAMES}×${WIDTH}×${HEIGHT} GIF → 400w WebP and GIF: WASM memory ${(total(memory) / MB).toFixed(1)} MB (${split(memory)})`);
  expect(Object.keys(memory).sort()).toEqual(['edgepixResize', 'edgepixWebpAnim']);
  expect(total(memory)).toBeLessThanOrEqual(64 * MB);
});
