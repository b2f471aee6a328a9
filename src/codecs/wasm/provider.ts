/**
 * Where codecs get their compiled WASM modules. The Worker registers the modules wrangler bundled
 * (bundled.ts); the Node benchmark registers modules compiled from node_modules. Keeping the lookup here lets
 * the codec adapters run unchanged in both.
 */
export type WasmModuleName =
  | 'avifDec'
  | 'avifEnc'
  | 'edgepixJpeg'
  | 'edgepixResize'
  | 'edgepixWebp'
  | 'jpegDec'
  | 'jpegEnc'
  | 'png'
  | 'resize'
  | 'webpDec'
  | 'webpEnc';

export type WasmModules = Record<WasmModuleName, WebAssembly.Module>;

let registered: WasmModules | undefined;

export function registerWasmModules(modules: WasmModules): void {
  registered = modules;
}

export function wasmModule(name: WasmModuleName): WebAssembly.Module {
  if (!registered) throw new Error('no WASM modules registered: import codecs/wasm/bundled first');
  return registered[name];
}
