import { decode as pngDecode, encode as pngEncode, initSync } from '@jsquash/png/codec/pkg/squoosh_png.js';
import { codecCall } from './errors';
import { assertPngChunksIntact } from './integrity';
import { toFrame } from './frames';
import type { Decoder, Encoder } from './types';
import { trackMemory, withInstance } from './wasm/instances';
import { wasmModule } from './wasm/provider';

// wasm-bindgen keeps one instance per glue module, so "reset" re-links the same instance; PNG's Rust code
// reports errors as exceptions rather than traps, which leaves the instance usable.
async function boot() {
  const exports = initSync(wasmModule('png'));
  trackMemory('png', exports);
  return { decode: pngDecode, encode: pngEncode };
}

export const pngDecoder: Decoder = {
  format: 'png',
  async decode(bytes, info) {
    assertPngChunksIntact(bytes);
    const image = await codecCall('png decoder', () => withInstance('png', boot, (png) => png.decode(bytes)));
    return toFrame(image, info.hasAlpha);
  },
};

export const pngEncoder: Encoder = {
  format: 'png',
  mimeType: 'image/png',
  async encode(frame) {
    const pixels = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
    return codecCall('png encoder', () =>
      withInstance('png', boot, (png) => png.encode(pixels, frame.width, frame.height, 8)),
    );
  },
};
