import { initSync, resize as wasmResize } from '@jsquash/resize/lib/resize/pkg/squoosh_resize.js';
import type { Frame } from '../image/frame';
import { boxShrink, shrinkFactor } from '../image/shrink';
import { codecCall } from './errors';
import { trackMemory, withInstance } from './wasm/instances';
import { wasmModule } from './wasm/provider';

async function boot() {
  const exports = initSync(wasmModule('resize'));
  trackMemory('resize', exports);
  return wasmResize;
}

const LANCZOS3 = 3;

/**
 * Lanczos3 in sRGB space, like sharp and imgproxy: linear-light resampling costs 2–3× the CPU and memory for a
 * difference few can see. Premultiplied only when the frame has alpha, so transparent pixels do not bleed.
 * Big reductions box-shrink by a whole factor first (see boxShrink), as libvips does.
 */
export async function resizeFrame(frame: Frame, width: number, height: number): Promise<Frame> {
  if (frame.width === width && frame.height === height) return frame;
  frame = boxShrink(frame, shrinkFactor(frame, { width, height }));
  const input = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  const data = await codecCall('resize', () =>
    withInstance('resize', boot, (resize) =>
      resize(input, frame.width, frame.height, width, height, LANCZOS3, frame.hasAlpha, false),
    ),
  );
  return { width, height, data, hasAlpha: frame.hasAlpha };
}
