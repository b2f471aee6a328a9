import mozjpegDec from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import mozjpegEnc from '@jsquash/jpeg/codec/enc/mozjpeg_enc.js';
import type { Frame } from '../image/frame';
import { codecCall } from './errors';
import { assertJpegComplete } from './integrity';
import { flattenedForOpaqueOutput, toFrame } from './frames';
import type { Decoder, EncodeOptions, Encoder } from './types';
import { bootEmscripten } from './wasm/emscripten';
import type { ImageDataLike } from './wasm/image-data';
import { withInstance } from './wasm/instances';

interface MozjpegDecoder {
  decode(bytes: Uint8Array, preserveOrientation: boolean): ImageDataLike | null;
}
interface MozjpegEncoder {
  encode(data: Uint8ClampedArray, width: number, height: number, options: object): Uint8Array | null;
}

const bootDecoder = () => bootEmscripten<MozjpegDecoder>(mozjpegDec, 'jpegDec');
const bootEncoder = () => bootEmscripten<MozjpegEncoder>(mozjpegEnc, 'jpegEnc');

export const jpegDecoder: Decoder = {
  format: 'jpeg',
  async decode(bytes) {
    assertJpegComplete(bytes);
    // Orientation stays raw: the pipeline applies EXIF orientation itself, the same way for every format.
    const image = await codecCall('jpeg decoder', () =>
      withInstance('jpegDec', bootDecoder, (codec) => codec.decode(bytes, false)),
    );
    return toFrame(image, false);
  },
};

export const jpegEncoder: Encoder = {
  format: 'jpeg',
  mimeType: 'image/jpeg',
  async encode(frame: Frame, opts: EncodeOptions) {
    const opaque = flattenedForOpaqueOutput(frame);
    const options = mozjpegOptions(opts);
    return codecCall('jpeg encoder', () =>
      withInstance('jpegEnc', bootEncoder, (codec) =>
        copyOut(codec.encode(opaque.data, opaque.width, opaque.height, options)),
      ),
    );
  },
};

// mozjpeg's full search (trellis, multipass) is several times slower for a few percent of bytes; at the edge
// the CPU budget matters more. Huffman optimisation stays on: it is cheap and always smaller.
function mozjpegOptions(opts: EncodeOptions): object {
  return {
    quality: opts.quality,
    baseline: false,
    arithmetic: false,
    progressive: opts.progressive,
    optimize_coding: true,
    smoothing: 0,
    color_space: 3,
    quant_table: 3,
    trellis_multipass: false,
    trellis_opt_zero: false,
    trellis_opt_table: false,
    trellis_loops: 1,
    auto_subsample: true,
    chroma_subsample: 2,
    separate_chroma_quality: false,
    chroma_quality: opts.quality,
  };
}

/** The glue returns a view into WASM memory that the next call overwrites; keep our own copy. */
export function copyOut(view: Uint8Array | null): Uint8Array | null {
  return view ? view.slice() : null;
}
