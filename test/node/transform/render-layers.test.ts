/**
 * Layers drawn by the step runner, against references computed here: sharp's composite for image layers at lx/ly
 * (negative too) and every lfo position, and per-pixel arithmetic for solid blocks with r, al and o, nesting, and
 * opacity of the image itself.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { createFrame, type Frame } from '../../../src/image/frame';
import { materialize } from '../../../src/image/frame-source';
import { applySteps } from '../../../src/transform/apply-steps';
import type { Layer } from '../../../src/transform/layers';
import { parseTransformation } from '../../../src/transform/parse';
import type { Dimensions } from '../../../src/transform/planned-ops';
import { layerCompositor } from '../../../src/transform/render-layers';
import { openSolid } from '../../../src/transform/solid-layer';

beforeAll(registerNodeWasmModules);

/** A deterministic opaque base: colour varies with position. */
function base(width: number, height: number): Frame {
  const frame = createFrame(width, height, false);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      frame.data.set([(x * 7) % 256, (y * 11) % 256, ((x + y) * 5) % 256, 255], p);
    }
  }
  return frame;
}

/** A logo: a half-transparent red square with an opaque blue 2×2 centre. */
function logo(size = 10): Frame {
  const frame = createFrame(size, size, true);
  for (let i = 0; i < size * size; i++) frame.data.set([255, 0, 0, 128], i * 4);
  for (const [x, y] of [[4, 4], [5, 4], [4, 5], [5, 5]] as const) frame.data.set([0, 0, 255, 255], (y * size + x) * 4);
  return frame;
}

const copy = (f: Frame): Frame => ({ ...f, data: new Uint8ClampedArray(f.data) });
const open = async (layer: Layer, parent: Dimensions) =>
  layer.kind === 'solid' ? openSolid(layer, parent) : { image: copy(logo()), original: { width: 10, height: 10 }, steps: layer.steps };

async function render(frame: Frame, text: string): Promise<Frame> {
  return materialize(await applySteps(frame, parseTransformation(text), { width: frame.width, height: frame.height }, { layers: layerCompositor(open) }));
}

async function sharpComposite(under: Frame, over: Frame, left: number, top: number): Promise<Uint8Array> {
  const raw = (f: Frame) => ({ raw: { width: f.width, height: f.height, channels: 4 as const } });
  const out = await sharp(Buffer.from(under.data), raw(under))
    .composite([{ input: Buffer.from(over.data), ...raw(over), left, top }])
    .raw()
    .toBuffer();
  return new Uint8Array(out);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

const pixel = (f: Frame, x: number, y: number) => [...f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4)];

describe('image layers', () => {
  it.each([
    ['lx-5,ly-3', 5, 3],
    ['lx-N4,ly-N2', 40 - 10 - 4, 30 - 10 - 2],
    ['ly-7', 0, 7],
    ['lx-bw_sub_lw_sub_1,ly-bh_div_2', 40 - 10 - 1, 15],
  ])('places %s as sharp composites it', async (position, left, top) => {
    const under = base(40, 30);
    const expected = await sharpComposite(under, logo(), left, top);
    const out = await render(copy(under), `l-image,i-logo.png,${position},l-end`);
    expect(maxDifference(out.data, expected)).toBeLessThanOrEqual(1);
  });

  it.each([
    ['center', 15, 10],
    ['top_left', 0, 0],
    ['top', 15, 0],
    ['top_right', 30, 0],
    ['left', 0, 10],
    ['right', 30, 10],
    ['bottom_left', 0, 20],
    ['bottom', 15, 20],
    ['bottom_right', 30, 20],
  ])('lfo-%s puts the layer at %i,%i', async (focus, left, top) => {
    const under = base(40, 30);
    const expected = await sharpComposite(under, logo(), left, top);
    const out = await render(copy(under), `l-image,i-logo.png,lfo-${focus},l-end`);
    expect(maxDifference(out.data, expected)).toBeLessThanOrEqual(1);
  });

  it('cuts a layer off at the parent edges and keeps the parent size', async () => {
    const under = base(40, 30);
    const out = await render(copy(under), 'l-image,i-logo.png,lx-35,ly-25,l-end');
    expect([out.width, out.height]).toEqual([40, 30]);
    // The blue centre (at 39,29) is inside; everything left of x=35 is untouched.
    expect(pixel(out, 39, 29)).toEqual([0, 0, 255, 255]);
    expect(pixel(out, 34, 29)).toEqual(pixel(under, 34, 29));
  });

  it('runs the layer\'s own steps (resize, rotate, opacity) before placing it', async () => {
    const under = base(40, 30);
    const out = await render(copy(under), 'l-image,i-logo.png,lx-0,ly-0,w-20,h-20,c-force:o-50,l-end');
    // The resized logo's centre is blue at half opacity over the base.
    const b = pixel(under, 10, 10);
    const got = pixel(out, 10, 10);
    expect(Math.abs(got[2]! - (255 * 0.5 + b[2]! * 0.5))).toBeLessThanOrEqual(2);
    expect(Math.abs(got[0]! - b[0]! * 0.5)).toBeLessThanOrEqual(2);
    // Nothing beyond the 20×20 layer changed.
    expect(pixel(out, 25, 25)).toEqual(pixel(under, 25, 25));
  });
});

describe('solid blocks', () => {
  it('fills w×h with bg at al alpha, placed by lfo', async () => {
    const under = base(40, 30);
    const out = await render(copy(under), 'l-image,i-ik_canvas,bg-00FF00,w-10,h-6,al-5,lfo-bottom_right,l-end');
    const b = pixel(under, 35, 27);
    const got = pixel(out, 35, 27);
    expect(maxDifference(got, [b[0]! * 0.5, 255 * 0.5 + b[1]! * 0.5, b[2]! * 0.5, 255])).toBeLessThanOrEqual(1);
    expect(pixel(out, 29, 27)).toEqual(pixel(under, 29, 27));
  });

  it('rounds a block with r and fades it with o; its corners leave the base as it was', async () => {
    const under = base(40, 30);
    const out = await render(copy(under), 'l-image,i-ik_canvas,bg-FF0000,w-20,h-20,r-8,o-40,lx-0,ly-0,l-end');
    expect(pixel(out, 0, 0)).toEqual(pixel(under, 0, 0));
    const b = pixel(under, 10, 10);
    expect(maxDifference(pixel(out, 10, 10), [255 * 0.4 + b[0]! * 0.6, b[1]! * 0.6, b[2]! * 0.6, 255])).toBeLessThanOrEqual(1);
  });

  it('sizes a block from its parent with bw and bh expressions', async () => {
    const under = base(40, 30);
    const out = await render(copy(under), 'l-image,i-ik_canvas,bg-0000FF,w-bw_div_2,h-bh_mul_1,lx-0,ly-0,l-end');
    expect(pixel(out, 19, 29)).toEqual([0, 0, 255, 255]);
    expect(pixel(out, 20, 0)).toEqual(pixel(under, 20, 0));
  });

  it('nests: a block inside a block is placed in its parent block', async () => {
    const under = base(40, 30);
    const out = await render(
      copy(under),
      'l-image,i-ik_canvas,bg-FFFFFF,w-20,h-20,lx-10,ly-5,l-image,i-ik_canvas,bg-000000,w-4,h-4,lfo-bottom_right,l-end,l-end',
    );
    expect(pixel(out, 10, 5)).toEqual([255, 255, 255, 255]);
    // The inner block's bottom-right corner is the outer one's: (10+20-1, 5+20-1).
    expect(pixel(out, 29, 24)).toEqual([0, 0, 0, 255]);
    expect(pixel(out, 25, 20)).toEqual([255, 255, 255, 255]);
    expect(pixel(out, 26, 21)).toEqual([0, 0, 0, 255]);
  });
});

describe('opacity of the image', () => {
  it('multiplies alpha by o', async () => {
    const out = await render(base(4, 4), 'o-25');
    expect(out.hasAlpha).toBe(true);
    expect(pixel(out, 1, 1)[3]).toBe(64);
  });
});
