/**
 * Registers the WASM modules wrangler bundles with the Worker. workerd compiles them when the Worker loads
 * (it cannot compile bytes at run time); instantiating them, which is what costs memory, happens lazily.
 */
import avifDec from '@jsquash/avif/codec/dec/avif_dec.wasm';
import avifEnc from '@jsquash/avif/codec/enc/avif_enc.wasm';
import jpegDec from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm';
import jpegEnc from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
// @ts-expect-error the package's .wasm.d.ts describes instance exports; wrangler gives a compiled Module
import png from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
// @ts-expect-error as above
import resize from '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm';
import webpDec from '@jsquash/webp/codec/dec/webp_dec.wasm';
import webpEnc from '@jsquash/webp/codec/enc/webp_enc_simd.wasm';
import edgepixJpeg from '../../../wasm/dist/jpeg.wasm';
import edgepixResize from '../../../wasm/dist/resize.wasm';
import edgepixWebp from '../../../wasm/dist/webp.wasm';
import { registerWasmModules } from './provider';

registerWasmModules({
  avifDec,
  avifEnc,
  edgepixJpeg,
  edgepixResize,
  edgepixWebp,
  jpegDec,
  jpegEnc,
  png: png as WebAssembly.Module,
  resize: resize as WebAssembly.Module,
  webpDec,
  webpEnc,
});
