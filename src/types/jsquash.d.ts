// The Emscripten and wasm-bindgen glue inside @jsquash ships without declarations for these deep imports.
declare module '@jsquash/*/codec/dec/mozjpeg_dec.js';
declare module '@jsquash/*/codec/enc/mozjpeg_enc.js';
declare module '@jsquash/*/codec/dec/webp_dec.js';
declare module '@jsquash/*/codec/enc/webp_enc_simd.js';
declare module '@jsquash/*/codec/dec/avif_dec.js';
declare module '@jsquash/*/codec/enc/avif_enc.js';
declare module '@jsquash/png/codec/pkg/squoosh_png.js' {
  export function initSync(module: WebAssembly.Module): WebAssembly.Exports;
  export function decode(data: Uint8Array): { data: Uint8ClampedArray; width: number; height: number };
  export function encode(data: Uint8Array, width: number, height: number, bitDepth: number): Uint8Array;
}
declare module '@jsquash/resize/lib/resize/pkg/squoosh_resize.js' {
  export function initSync(module: WebAssembly.Module): WebAssembly.Exports;
  export function resize(
    input: Uint8Array,
    inputWidth: number,
    inputHeight: number,
    outputWidth: number,
    outputHeight: number,
    method: number,
    premultiply: boolean,
    linearRgb: boolean,
  ): Uint8ClampedArray;
}
