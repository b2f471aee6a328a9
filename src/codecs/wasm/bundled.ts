/**
 * Registers the WASM modules the Worker bundles: exactly those the codec registry uses. workerd compiles them
 * when the Worker loads (it cannot compile bytes at run time); instantiating them, which is what costs
 * memory, happens lazily. The stock jsquash JPEG, PNG and AVIF decoders, mozjpeg, WebP codec (an older libwebp,
 * before the CVE-2023-4863 fix) and resizer are not shipped; tests register them to keep them under the same suites.
 */
import avifEnc from '@jsquash/avif/codec/enc/avif_enc.wasm';
import edgepixAvif from '../../../wasm/dist/avif.wasm';
import edgepixHeic from '../../../wasm/dist/heic.wasm';
import edgepixJpeg from '../../../wasm/dist/jpeg.wasm';
import edgepixLcms from '../../../wasm/dist/lcms.wasm';
import edgepixPng from '../../../wasm/dist/png.wasm';
import edgepixResize from '../../../wasm/dist/resize.wasm';
import edgepixText from '../../../wasm/dist/text.wasm';
import edgepixWebp from '../../../wasm/dist/webp.wasm';
import { registerWasmModules } from './provider';

registerWasmModules({
  avifEnc,
  edgepixAvif,
  edgepixHeic,
  edgepixJpeg,
  edgepixJpegEnc: edgepixJpeg,
  edgepixLcms,
  edgepixPng,
  edgepixPngEnc: edgepixPng,
  edgepixResize,
  edgepixText,
  edgepixWebp,
  edgepixWebpAnim: edgepixWebp,
});
