/**
 * The stock jsquash modules the Worker no longer ships (JPEG and AVIF decoders, mozjpeg, PNG, WebP codec, resizer),
 * registered for the tests that keep their adapters under the shared conformance suites.
 */
import '../../src/codecs/wasm/bundled';
import avifDec from '@jsquash/avif/codec/dec/avif_dec.wasm';
import jpegDec from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm';
import jpegEnc from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
// @ts-expect-error the package's .wasm.d.ts describes instance exports; the pool gives a compiled Module
import png from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
// @ts-expect-error the package's .wasm.d.ts describes instance exports; the pool gives a compiled Module
import resize from '@jsquash/resize/lib/resize/pkg/squoosh_resize_bg.wasm';
import webpDec from '@jsquash/webp/codec/dec/webp_dec.wasm';
import webpEnc from '@jsquash/webp/codec/enc/webp_enc_simd.wasm';
import { registerWasmModules } from '../../src/codecs/wasm/provider';

registerWasmModules({
  avifDec,
  jpegDec,
  jpegEnc,
  png: png as WebAssembly.Module,
  resize: resize as WebAssembly.Module,
  webpDec,
  webpEnc,
});
