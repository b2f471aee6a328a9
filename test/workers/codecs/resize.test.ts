/**
 * Both resizers pass the same conformance suite, agree with each other, and edgepix's own (the one the
 * pipeline uses) turns bad requests and traps into CodecErrors without poisoning later resizes.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { resizeFrame as jsquashResize } from '../../../src/codecs/resize';
import { resizeFrame as simdResize, shrinkFor } from '../../../src/codecs/resize-simd';
import '../stock-codecs';
import { loadedModules, withInstance } from '../../../src/codecs/wasm/instances';
import type { StandaloneModule } from '../../../src/codecs/wasm/standalone';
import { fixtures } from '../../fixtures/registry';
import { structuralSimilarity } from '../../shared/similarity';
import { card, describeResizeConformance, paint, photo } from '../conformance/resize-suite';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

describeResizeConformance({ name: 'edgepix SIMD Lanczos3 (wasm/resize)', resize: simdResize });
describeResizeConformance({ name: 'triangle filter (wasm/resize)', resize: (f, w, h) => simdResize(f, w, h, { filter: 'triangle' }) });
describeResizeConformance({ name: '@jsquash/resize Lanczos3', resize: jsquashResize });

describe('the two resizers', () => {
  it('agree on a photo, down and up (SSIM > 0.98)', async () => {
    const input = await photo();
    for (const [width, height] of [[800, 640], [333, 266], [120, 96], [1500, 1200]]) {
      const ours = await simdResize(input, width!, height!);
      const theirs = await jsquashResize(input, width!, height!);
      expect(structuralSimilarity(theirs, ours), `${width}×${height}`).toBeGreaterThan(0.98);
    }
  });

  it('agree on an image with alpha', async () => {
    const input = paint(160, 120, true, (x, y) => [x, y, 255 - x, Math.min(255, (x + y) * 2)]);
    const ours = await simdResize(input, 70, 52);
    const theirs = await jsquashResize(input, 70, 52);
    let worst = 0;
    for (let i = 0; i < ours.data.length; i++) {
      // colour under (nearly) no alpha is meaningless; compare what can be seen
      if (theirs.data[i | 3]! < 16) continue;
      worst = Math.max(worst, Math.abs(ours.data[i]! - theirs.data[i]!));
    }
    expect(worst).toBeLessThanOrEqual(3);
  });
});

describe('edgepix resizer', () => {
  it('box-shrinks only what leaves at least 2× for Lanczos3', () => {
    expect(shrinkFor(4000, 800, 2)).toBe(2);
    expect(shrinkFor(6000, 800, 2)).toBe(3);
    expect(shrinkFor(1000, 800, 2)).toBe(1);
    expect(shrinkFor(100, 800, 2)).toBe(1);
    expect(shrinkFor(65535, 1, 2)).toBe(128);
    expect(shrinkFor(4000, 800, 0)).toBe(1);
  });

  it('refuses impossible sizes with a CodecError and keeps working', async () => {
    const input = card(64, 48);
    await expect(simdResize(input, 0, 10)).rejects.toBeInstanceOf(CodecError);
    await expect(simdResize(input, 10, 70_000)).rejects.toBeInstanceOf(CodecError);
    await expect(simdResize(input, 2.5, 10)).rejects.toBeInstanceOf(CodecError);
    const out = await simdResize(input, 32, 24);
    expect([out.width, out.height]).toEqual([32, 24]);
  });

  it('throws away an instance that trapped, and the next resize gets a fresh one', async () => {
    await simdResize(card(64, 48), 32, 24);
    expect(loadedModules()).toContain('edgepixResize');
    const failing = () => Promise.reject(new Error('the instance exists already'));
    // A handle far outside linear memory: the module's first load traps.
    const trap = withInstance('edgepixResize', failing, (module: StandaloneModule) => (module.exports.resize_want as (h: number) => number)(0x7ffffff0));
    await expect(trap).rejects.toBeInstanceOf(WebAssembly.RuntimeError);
    expect(loadedModules()).not.toContain('edgepixResize');
    const out = await simdResize(card(64, 48), 20, 15);
    expect([out.width, out.height]).toEqual([20, 15]);
    expect(loadedModules()).toContain('edgepixResize');
  });

  it('returns the same frame when the size does not change', async () => {
    const input = card(30, 20);
    expect(await simdResize(input, 30, 20)).toBe(input);
  });
});

describe('resize failures in the pipeline', () => {
  it('a trap mid-request is a 422 JSON error, and the next request works on a fresh instance', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    const ok = await get(`/${tenant}/tr:w-301/p.jpg`, { headers: { Accept: 'image/jpeg' } });
    expect(ok.status).toBe(200);
    // Wreck the shared instance's heap (allocator state included): its next call traps.
    await withInstance('edgepixResize', () => Promise.reject(new Error('exists')), (module: StandaloneModule) => {
      new Uint8Array(module.exports.memory.buffer).fill(0xff);
    });
    const failed = await get(`/${tenant}/tr:w-302/p.jpg`, { headers: { Accept: 'image/jpeg' } });
    expect(failed.status).toBe(422);
    expect(failed.headers.get('Content-Type')).toContain('application/json');
    expect((await json(failed)).message).toContain('could not be transformed');
    const again = await get(`/${tenant}/tr:w-303/p.jpg`, { headers: { Accept: 'image/jpeg' } });
    expect(again.status).toBe(200);
  });
});
