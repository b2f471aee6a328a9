/**
 * Node counterpart of src/codecs/wasm/bundled.ts: compiles the same .wasm files from node_modules and registers
 * them, so the codec adapters run unchanged outside workerd. It lives in bench/ rather than src/ because the
 * Worker's tsconfig checks all of src/ against workerd's types, which have neither Node's modules nor
 * WebAssembly.compile.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerWasmModules, type WasmModuleName, type WasmModules } from '../src/codecs/wasm/provider';

// Same files as bundled.ts: package, then path inside it ('.' is this repository, for the modules under wasm/).
const FILES: Record<WasmModuleName, [string, string]> = {
  avifDec: ['@jsquash/avif', 'codec/dec/avif_dec.wasm'],
  avifEnc: ['@jsquash/avif', 'codec/enc/avif_enc.wasm'],
  edgepixAvif: ['.', 'wasm/dist/avif.wasm'],
  edgepixHeic: ['.', 'wasm/dist/heic.wasm'],
  edgepixJpeg: ['.', 'wasm/dist/jpeg.wasm'],
  edgepixJpegEnc: ['.', 'wasm/dist/jpeg.wasm'],
  edgepixLcms: ['.', 'wasm/dist/lcms.wasm'],
  edgepixPng: ['.', 'wasm/dist/png.wasm'],
  edgepixPngEnc: ['.', 'wasm/dist/png.wasm'],
  edgepixResize: ['.', 'wasm/dist/resize.wasm'],
  edgepixText: ['.', 'wasm/dist/text.wasm'],
  edgepixWebp: ['.', 'wasm/dist/webp.wasm'],
  edgepixWebpAnim: ['.', 'wasm/dist/webp.wasm'],
  jpegDec: ['@jsquash/jpeg', 'codec/dec/mozjpeg_dec.wasm'],
  jpegEnc: ['@jsquash/jpeg', 'codec/enc/mozjpeg_enc.wasm'],
  png: ['@jsquash/png', 'codec/pkg/squoosh_png_bg.wasm'],
  resize: ['@jsquash/resize', 'lib/resize/pkg/squoosh_resize_bg.wasm'],
  webpDec: ['@jsquash/webp', 'codec/dec/webp_dec.wasm'],
  webpEnc: ['@jsquash/webp', 'codec/enc/webp_enc_simd.wasm'],
};

// Node can compile bytes; workerd cannot, so the shared workers-types leave compile() out.
const nodeWebAssembly = WebAssembly as unknown as { compile(bytes: Uint8Array): Promise<WebAssembly.Module> };

export async function registerNodeWasmModules(): Promise<void> {
  const require = createRequire(import.meta.url);
  const compiled = await Promise.all(
    Object.entries(FILES).map(async ([name, [pkg, path]]) => {
      const root = pkg === '.' ? fileURLToPath(new URL('..', import.meta.url)) : dirname(require.resolve(`${pkg}/package.json`));
      const file = join(root, path);
      return [name, await nodeWebAssembly.compile(readFileSync(file))] as const;
    }),
  );
  registerWasmModules(Object.fromEntries(compiled) as WasmModules);
}
