import { instantiateTracked } from './instances';
import type { WasmModuleName } from './provider';

type EmscriptenFactory<T> = (options: object) => Promise<T>;

/** Boots an Emscripten glue module on our compiled module instead of letting it fetch its .wasm file. */
export function bootEmscripten<T>(factory: EmscriptenFactory<T>, name: WasmModuleName): Promise<T> {
  return factory({
    noInitialRun: true,
    // Codecs log through stdio on failure; keep that out of Worker logs, errors surface as exceptions.
    print: () => {},
    printErr: () => {},
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      const instance = instantiateTracked(name, imports);
      receive(instance);
      return instance.exports;
    },
  });
}
