/**
 * Animated WebP over libwebp's WebPAnimDecoder and WebPAnimEncoder (wasm/webp/anim.c, in webp.wasm), in an
 * instance of their own (edgepixWebpAnim). The decoder holds the file and its canvas (two, for disposal) and
 * hands out one composited canvas per call; the encoder takes one canvas per call, through a buffer reused for
 * every frame, and keeps only what it has encoded. A trap throws the instance away (withInstance): a handle
 * from the instance before is then refused rather than used.
 */
import { anyTransparent } from '../../image/frame';
import { CodecError, codecCall } from '../errors';
import { shared, withInstance } from '../wasm/instances';
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from '../wasm/standalone';
import type { AnimationDecoder, AnimationEncoder, AnimationReader, AnimationWriter } from './types';

interface AnimExports extends StandaloneExports {
  webp_anim_error(): number;
  webp_anim_decoder_new(data: number, length: number, info: number): number;
  webp_anim_decoder_next(decoder: number, timestamp: number): number;
  webp_anim_decoder_delete(decoder: number): void;
  webp_anim_encoder_new(width: number, height: number, loop: number, quality: number, lossless: number, method: number): number;
  webp_anim_encoder_add(encoder: number, rgba: number, timestamp: number): number;
  webp_anim_encoder_finish(encoder: number, timestamp: number, size: number): number;
  webp_anim_encoder_delete(encoder: number): void;
}

type Module = StandaloneModule<AnimExports>;

const NAME = 'edgepixWebpAnim';
/** As the still encoder (libwebp.ts): libwebp's default balance. */
const METHOD = 4;

const boot = async () => instantiateStandalone<AnimExports>(NAME);

/**
 * Calls into the instance `module` came from. Any failure throws that instance away (withInstance), and its
 * handles with it: `dead` then tells close() to leave them alone.
 */
function caller(codec: string, module: Module) {
  const state = { dead: false };
  const on = async <T>(call: (m: Module) => T): Promise<T> => {
    try {
      // Boxed: null is an answer here (no frame left), which codecCall would take for a failure.
      const box = await codecCall(codec, () =>
        withInstance(NAME, boot, (m) => {
          if (m !== module) throw new CodecError(codec, 'the codec was reset');
          return { value: call(m) };
        }),
      );
      return box.value;
    } catch (error) {
      state.dead = true;
      throw error;
    }
  };
  return { on, state };
}

const failure = (codec: string, m: Module) => new CodecError(codec, m.string(m.exports.webp_anim_error()) || 'failed');

export const webpAnimationDecoder: AnimationDecoder = {
  format: 'webp',
  async open(bytes) {
    const codec = 'webp decoder';
    const module = await shared(NAME, boot);
    const { on, state } = caller(codec, module);
    const { decoder, info, timestamp } = await on((m) => {
      const info = m.exports.malloc(16);
      const timestamp = m.exports.malloc(4);
      // The decoder owns the copy of the file from here.
      const decoder = m.exports.webp_anim_decoder_new(m.copyIn(bytes), bytes.byteLength, info);
      if (!decoder) {
        m.exports.free(info);
        m.exports.free(timestamp);
        throw failure(codec, m);
      }
      return { decoder, info, timestamp };
    });
    const [width, height, loop] = Array.from(new Int32Array(module.exports.memory.buffer, info, 3)) as [number, number, number];
    module.exports.free(info);
    let shownUntil = 0;
    const reader: AnimationReader = {
      width,
      height,
      loop,
      next: () =>
        on((m) => {
          const canvas = m.exports.webp_anim_decoder_next(decoder, timestamp);
          if (!canvas) {
            if (m.string(m.exports.webp_anim_error())) throw failure(codec, m);
            return null;
          }
          const end = new Int32Array(m.exports.memory.buffer, timestamp, 1)[0]!;
          const data = new Uint8ClampedArray(m.copyOut(canvas, width * height * 4));
          const delay = end - shownUntil;
          shownUntil = end;
          return { frame: { width, height, data, hasAlpha: anyTransparent(data) }, delay };
        }),
      close() {
        if (state.dead) return;
        module.exports.webp_anim_decoder_delete(decoder);
        module.exports.free(timestamp);
      },
    };
    return reader;
  },
};

export const webpAnimationEncoder: AnimationEncoder = {
  format: 'webp',
  mimeType: 'image/webp',
  async begin({ width, height, loop, quality, lossless }) {
    const codec = 'webp encoder';
    const module = await shared(NAME, boot);
    const { on, state } = caller(codec, module);
    const { encoder, rgba, size } = await on((m) => {
      const encoder = m.exports.webp_anim_encoder_new(width, height, loop, lossless ? 100 : quality, lossless ? 1 : 0, METHOD);
      if (!encoder) throw failure(codec, m);
      return { encoder, rgba: m.exports.malloc(width * height * 4), size: m.exports.malloc(4) };
    });
    let timestamp = 0;
    const writer: AnimationWriter = {
      add: ({ frame, delay }) =>
        on((m) => {
          new Uint8ClampedArray(m.exports.memory.buffer, rgba, width * height * 4).set(frame.data);
          if (!m.exports.webp_anim_encoder_add(encoder, rgba, timestamp)) throw failure(codec, m);
          timestamp += delay;
        }),
      finish: () =>
        on((m) => {
          const file = m.exports.webp_anim_encoder_finish(encoder, timestamp, size);
          if (!file) throw failure(codec, m);
          const body = new Uint8Array(m.copyOut(file, new Int32Array(m.exports.memory.buffer, size, 1)[0]!));
          m.exports.free(file);
          return body;
        }),
      close() {
        if (state.dead) return;
        module.exports.webp_anim_encoder_delete(encoder);
        module.exports.free(rgba);
        module.exports.free(size);
      },
    };
    return writer;
  },
};
