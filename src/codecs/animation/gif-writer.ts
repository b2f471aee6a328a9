/**
 * GIF out, over gifenc (MIT): each frame is quantised to its own palette of at most 256 colours (pairwise-nearest-
 * neighbour clustering, gifenc's PnnQuant port; no dithering), mapped to it and LZW-coded as a full-canvas frame with
 * a local colour table. Translucent pixels become either transparent (alpha ≤ 127) or opaque, GIF having one
 * transparent index. Every frame is the whole canvas and is cleared before the next (disposal 2): the next
 * frame's transparent pixels must show nothing of it, and which frames have any is not known in advance. Why not libimagequant: it is GPLv3 (or commercial), which would bind everyone who ships edgepix.
 */
import * as gifencModule from 'gifenc';
import type { Palette, PixelFormat } from 'gifenc';
import type { Frame } from '../../image/frame';
import type { Encoder } from '../types';
import type { AnimationEncoder, AnimationFrame, AnimationWriteOptions, AnimationWriter } from './types';

const RESTORE_BACKGROUND = 2;

// Bundlers read gifenc's ES module (named exports); Node loads its CommonJS build, whose exports arrive as default.
const gifenc: typeof gifencModule = 'GIFEncoder' in gifencModule ? gifencModule : (gifencModule as unknown as { default: typeof gifencModule }).default;
const { applyPalette, GIFEncoder, quantize } = gifenc;

/** gifenc's repeat for `loop` plays (0 forever): NETSCAPE counts repetitions after the first; one play has no extension. */
const repeatOf = (loop: number) => (loop === 0 ? 0 : loop === 1 ? -1 : loop - 1);

function writer({ loop }: Pick<AnimationWriteOptions, 'loop'>): AnimationWriter {
  const gif = GIFEncoder();
  let first = true;
  return {
    async add({ frame, delay }: AnimationFrame) {
      const format: PixelFormat = frame.hasAlpha ? 'rgba4444' : 'rgb565';
      const palette: Palette = quantize(frame.data, 256, frame.hasAlpha ? { format, oneBitAlpha: true } : { format });
      const index = applyPalette(frame.data, palette, format);
      const transparentIndex = frame.hasAlpha ? palette.findIndex((colour) => colour[3] === 0) : -1;
      gif.writeFrame(index, frame.width, frame.height, {
        palette,
        delay,
        dispose: RESTORE_BACKGROUND,
        ...(first && { repeat: repeatOf(loop) }),
        ...(transparentIndex >= 0 && { transparent: true, transparentIndex }),
      });
      first = false;
    },
    async finish() {
      gif.finish();
      return gif.bytesView().slice();
    },
    close() {},
  };
}

export const gifAnimationEncoder: AnimationEncoder = {
  format: 'gif',
  mimeType: 'image/gif',
  begin: async (options) => writer(options),
};

/** A still GIF: one frame, no loop extension. */
export const gifEncoder: Encoder = {
  format: 'gif',
  mimeType: 'image/gif',
  async encode(frame: Frame) {
    const gif = writer({ loop: 1 });
    await gif.add({ frame, delay: 0 });
    return gif.finish();
  },
};
