/**
 * Host side of the project-built modules under wasm/: Emscripten `-sSTANDALONE_WASM --no-entry` reactors
 * with no JS glue. They import only `emscripten_notify_memory_growth` (a no-op here), when stdio is linked a
 * few WASI calls that are answered "not supported", and with `-sSUPPORT_LONGJMP=wasm` (libjpeg's error exits)
 * `getTempRet0`/`setTempRet0`, a scratch register the setjmp code passes values through; a module may also
 * import functions of its adapter (the PNG decoder reads its file through one). Exports are plain C functions
 * plus `memory`.
 */
import { byteView } from '../../image/frame';
import { instantiateTracked } from './instances';
import type { WasmModuleName } from './provider';

const ENOSYS = 52;

export interface StandaloneExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(pointer: number): void;
  _initialize?: () => void;
  [name: string]: unknown;
}

export interface StandaloneModule<E extends StandaloneExports = StandaloneExports> {
  exports: E;
  /** A fresh view of linear memory (views go stale when memory grows). */
  bytes(): Uint8Array;
  /** Copies `data` into a new allocation and returns its pointer; the caller frees it. */
  copyIn(data: Uint8Array | Uint8ClampedArray): number;
  /** A copy of `length` bytes at `pointer` (the caller still frees the allocation). */
  copyOut(pointer: number, length: number): ArrayBuffer;
  /** Reads the NUL-terminated (ASCII) C string at `pointer`. */
  string(pointer: number): string;
}

/** `host`: functions the module imports from `env` beyond the ones every module gets. */
export function instantiateStandalone<E extends StandaloneExports>(
  name: WasmModuleName,
  host: Record<string, (...args: number[]) => number | void> = {},
): StandaloneModule<E> {
  const unsupported = () => ENOSYS;
  let tempRet0 = 0;
  const instance = instantiateTracked(name, {
    env: {
      ...host,
      emscripten_notify_memory_growth: () => {},
      getTempRet0: () => tempRet0,
      setTempRet0: (value: number) => {
        tempRet0 = value;
      },
    },
    wasi_snapshot_preview1: new Proxy({}, { get: () => unsupported }),
  });
  const exports = instance.exports as unknown as E;
  exports._initialize?.();
  return {
    exports,
    bytes: () => new Uint8Array(exports.memory.buffer),
    copyIn(data) {
      const pointer = exports.malloc(data.byteLength);
      if (!pointer) throw new RangeError(`${name}: out of memory allocating ${data.byteLength} bytes`);
      new Uint8Array(exports.memory.buffer, pointer, data.byteLength).set(byteView(data));
      return pointer;
    },
    copyOut: (pointer, length) => exports.memory.buffer.slice(pointer, pointer + length),
    string(pointer) {
      const memory = new Uint8Array(exports.memory.buffer);
      const end = memory.indexOf(0, pointer);
      return String.fromCharCode(...memory.subarray(pointer, end === -1 ? pointer : end));
    },
  };
}

/**
 * Takes an RGBA image a module allocated at `pixels`, with its width and height written as two int32 at
 * `size`: copies it out of linear memory and frees the module's copy.
 */
export function takeRgba(
  module: StandaloneModule,
  pixels: number,
  size: number,
): { data: Uint8ClampedArray; width: number; height: number } {
  const [width, height] = new Int32Array(module.exports.memory.buffer, size, 2) as unknown as [number, number];
  const data = new Uint8ClampedArray(module.copyOut(pixels, width * height * 4));
  module.exports.free(pixels);
  return { data, width, height };
}

