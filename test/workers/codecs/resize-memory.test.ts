/**
 * The resizer streams: resizing a 24 MP frame keeps the module's heap to a chunk of input rows, a ring of
 * filtered rows and a chunk of output rows — far below the 96 MB frame. Not timed. Its own file, so the
 * module's memory (which only grows) is this test's alone.
 */
import { expect, it } from 'vitest';
import { resizeFrame } from '../../../src/codecs/resize-simd';
import '../../../src/codecs/wasm/bundled';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { createFrame } from '../../../src/image/frame';

const MB = 1 << 20;

it('resizes 6000×4000 to 800 wide holding well under the frame size in WASM memory', async () => {
  for (const hasAlpha of [false, true]) {
    const frame = createFrame(6000, 4000, hasAlpha);
    const words = new Uint32Array(frame.data.buffer);
    for (let i = 0; i < words.length; i++) words[i] = (Math.imul(i, 2654435761) >>> 8) | 0xff000000;
    const out = await resizeFrame(frame, 800, 533);
    expect([out.width, out.height]).toEqual([800, 533]);
    expect(out.data[out.data.length - 1]).toBe(255);
  }
  // and an enlargement: the output streams out too, it never sits whole in the module
  const small = createFrame(1000, 800, false);
  small.data.fill(255);
  const big = await resizeFrame(small, 5000, 4000);
  expect(big.data[big.data.length - 4]).toBe(255);

  const used = wasmMemoryByModule().edgepixResize!;
  expect(used).toBeGreaterThan(0);
  expect(used).toBeLessThan(8 * MB);
  expect(used).toBeLessThan(6000 * 4000 * 4 / 10);
});
