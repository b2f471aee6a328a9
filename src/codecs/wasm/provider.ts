/**
 * Where codecs get their compiled WASM modules. The Worker registers the modules wrangler bundled
 * (bundled.ts); tests register the stock alternatives as well; the Node benchmark registers modules compiled
 * from node_modules. Keeping the lookup here lets the codec adapters run unchanged in all three.
 */
export type WasmModuleName =
  | 'avifDec'
  | 'avifEnc'
  | 'edgepixAvif'
  | 'edgepixHeic'
  | 'edgepixJpeg'
  | 'edgepixJpegEnc'
  | 'edgepixLcms'
  | 'edgepixPng'
  | 'edgepixPngEnc'
  | 'edgepixResize'
  | 'edgepixText'
  | 'edgepixWebp'
  | 'edgepixWebpAnim'
  | 'jpegDec'
  | 'jpegEnc'
  | 'png'
  | 'resize'
  | 'webpDec'
  | 'webpEnc';

/**
 * The encoders of jpeg.wasm and png.wasm run in instances of their own (edgepixJpegEnc, edgepixPngEnc: the same
 * modules): a decode streaming into a resize streaming into an encode would otherwise grow the memory the
 * decoder's rows are being read from. Animated WebP has one of its own too (edgepixWebpAnim, webp.wasm): its
 * decoder and encoder keep state across a whole animation, which a failed still-image call must not throw away.
 */
export type WasmModules = Partial<Record<WasmModuleName, WebAssembly.Module>>;

const registered: WasmModules = {};

/** Adds modules to the table (later registrations of the same name win). */
export function registerWasmModules(modules: WasmModules): void {
  Object.assign(registered, modules);
}

export function wasmModule(name: WasmModuleName): WebAssembly.Module {
  const module = registered[name];
  if (!module) throw new Error(`WASM module "${name}" is not registered (the Worker bundles only the codecs it uses)`);
  return module;
}
