/**
 * Peak WASM memory of a 24 MP PNG → 800 px WebP through the real pipeline (not timed). The PNG decoder reads
 * the file through an import and hands its rows to the resizer a strip at a time, so neither the file nor the
 * 96 MB decoded image is ever in a module (the decoder it replaced held both: 243 MB of WASM). An interlaced
 * file is decoded whole into a frame, within the decoder's budget, and refused from its header above it.
 * This file runs in its own isolate: the memories it reads are these requests' own (they only grow).
 */
import { expect, it } from 'vitest';
import { PNG_DECODE_BUDGET_BYTES } from '../../../src/codecs/libspng';
import { openUpright } from '../../../src/codecs/open';
import { probe } from '../../../src/codecs/probe';
import { loadedModules, wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { isFrameSource } from '../../../src/image/frame-source';
import { chunk, type PngSpec, writePng } from '../../shared/png-writer';
import { decodeResponse, get, json, newTenant, putOriginal } from '../helpers';

const MB = 1e6;

/** A photo-sized gradient with some texture (it compresses to a couple of MB). */
const gradient = (width: number, height: number): PngSpec => ({
  width,
  height,
  colourType: 2,
  bitDepth: 8,
  filter: 1,
  sample: (x, y, c) => (c === 0 ? (x * 255) / (width - 1) : c === 1 ? (y * 255) / (height - 1) : ((x ^ y) >> 3) & 255) | 0,
});

const total = (memory: Partial<Record<string, number>>) => Object.values(memory).reduce((sum, bytes) => sum! + bytes!, 0)!;
const split = (memory: Partial<Record<string, number>>) =>
  Object.entries(memory)
    .map(([name, bytes]) => `${name} ${(bytes! / MB).toFixed(1)}`)
    .join(', ');

it('24 MP PNG → 800 wide WebP: rows stream from the decoder into the resizer, the modules together within 8 MB', async () => {
  expect(loadedModules()).toEqual([]);
  const png = await writePng(gradient(6000, 4000));
  // The pipeline gets a row source, not a decoded frame.
  expect(isFrameSource(await openUpright(png, probe(png), { minWidth: 800 }))).toBe(true);

  const tenant = await newTenant();
  await putOriginal(tenant, 'big.png', png, 'image/png');
  const res = await get(`/${tenant}/tr:w-800/big.png`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toBe('image/webp');
  const memory = wasmMemoryByModule();
  console.log(`24 MP PNG → 800w WebP: WASM memory ${(total(memory) / MB).toFixed(1)} MB (${split(memory)})`);
  expect(Object.keys(memory).sort()).toEqual(['edgepixPng', 'edgepixResize', 'edgepixWebp']);
  expect(memory.edgepixPng).toBeLessThanOrEqual(2 * MB);
  expect(total(memory)).toBeLessThanOrEqual(8 * MB);
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 533]);
});

it('an interlaced 6 MP PNG decodes whole into a frame; its module memory stays as small', async () => {
  const png = await writePng({ ...gradient(3000, 2000), interlaced: true });
  expect(isFrameSource(await openUpright(png, probe(png), { minWidth: 800 }))).toBe(false);
  const tenant = await newTenant();
  await putOriginal(tenant, 'adam7.png', png, 'image/png');
  const res = await get(`/${tenant}/tr:w-800/adam7.png`, { headers: { Accept: 'image/webp' } });
  expect(res.status).toBe(200);
  expect(wasmMemoryByModule().edgepixPng).toBeLessThanOrEqual(2 * MB);
  const out = await decodeResponse(res);
  expect([out.width, out.height]).toEqual([800, 533]);
});

it('an interlaced PNG whose frame would not fit the budget → 422 from its header', async () => {
  // 6000×4000 interlaced: a 96 MB frame. Only IHDR is real; the image data is never read.
  const bytes = await writePng({ width: 1, height: 1, colourType: 2, bitDepth: 8, interlaced: true, sample: () => 0 });
  const view = new DataView(bytes.buffer);
  view.setUint32(16, 6000);
  view.setUint32(20, 4000);
  bytes.set(chunk('IHDR', bytes.slice(16, 29)).subarray(21), 29);
  expect(6000 * 4000 * 4).toBeGreaterThan(PNG_DECODE_BUDGET_BYTES);
  const before = wasmMemoryByModule().edgepixPng;

  const tenant = await newTenant();
  await putOriginal(tenant, 'huge-adam7.png', bytes, 'image/png');
  const res = await get(`/${tenant}/tr:w-800/huge-adam7.png`);
  expect(res.status).toBe(422);
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['help', 'message']);
  expect(body.message).toContain('6000×4000 interlaced (Adam7) PNG needs about 98 MB of memory to decode, over the 64 MB');
  expect(body.help).toContain('Limits');
  expect(wasmMemoryByModule().edgepixPng).toBe(before);
});
