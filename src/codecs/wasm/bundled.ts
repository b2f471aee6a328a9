/**
 * Registers the WASM modules the Worker bundles: exactly those the codec registry uses. workerd compiles them
 * when the Worker loads (it cannot compile bytes at run time); instantiating them, which is what costs
 * memory, happens lazily. The stock jsquash JPEG and AVIF decoders, WebP codec (an older libwebp, before the
 * CVE-2023-4863 fix) and resizer are not shipped; tests register them to keep them under the same suites.
 */
import avifEnc from '@jsquash/avif/codec/enc/avif_enc.wasm';
import jpegEnc from '@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm';
// @ts-expect-error the package's .wasm.d.ts describes instance exports; wrangler gives a compiled Module
import png from '@jsquash/png/codec/pkg/squoosh_png_bg.wasm';
import edgepixAvif from '../../../wasm/dist/avif.wasm';
import edgepixJpeg from '../../../wasm/dist/jpeg.wasm';
import edgepixPng from '../../../wasm/dist/png.wasm';
import edgepixResize from '../../../wasm/dist/resize.wasm';
import edgepixWebp from '../../../wasm/dist/webp.wasm';
import { registerWasmModules } from './provider';

registerWasmModules({
  avifEnc,
  edgepixAvif,
  edgepixJpeg,
  edgepixPng,
  edgepixResize,
  edgepixWebp,
  jpegEnc,
  png: png as WebAssembly.Module,
});
