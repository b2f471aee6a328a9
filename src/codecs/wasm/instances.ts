/**
 * One instance per WASM module per isolate, created on first use and reused: per-request instances are
 * collected lazily by workerd and inflate memory. A trap can leave an instance's heap corrupt, so a failed
 * call drops the instance and the next request starts from a fresh one.
 *
 * Every instance's linear memory is tracked so tests and benchmarks can read the real WASM footprint
 * (memories only grow, so their sizes are also the peak).
 */
import { wasmModule, type WasmModuleName } from './provider';

const instances = new Map<WasmModuleName, Promise<unknown>>();
const memories = new Map<WasmModuleName, WebAssembly.Memory>();

/** Instantiates `name` with `imports` and records its memory. For glue code that asks for an instance. */
export function instantiateTracked(name: WasmModuleName, imports: WebAssembly.Imports): WebAssembly.Instance {
  const instance = new WebAssembly.Instance(wasmModule(name), imports);
  trackMemory(name, instance.exports);
  return instance;
}

export function trackMemory(name: WasmModuleName, exports: WebAssembly.Exports | object): void {
  for (const value of Object.values(exports)) {
    if (value instanceof WebAssembly.Memory) memories.set(name, value);
  }
}

/** The codec object built by `create`, created once per isolate. */
export function shared<T>(name: WasmModuleName, create: () => Promise<T>): Promise<T> {
  let instance = instances.get(name) as Promise<T> | undefined;
  if (!instance) {
    instance = create();
    instances.set(name, instance);
    instance.catch(() => discard(name));
  }
  return instance;
}

/**
 * Runs `call` on the shared instance; any failure throws away the instance so it cannot poison later calls.
 * An async `call` (a resize fed by a streaming decoder) holds the instance across its awaits: other requests
 * may use it meanwhile, so it must not keep views of the memory across them.
 */
export async function withInstance<T, R>(
  name: WasmModuleName,
  create: () => Promise<T>,
  call: (instance: T) => R | Promise<R>,
): Promise<R> {
  const instance = await shared(name, create);
  try {
    return await call(instance);
  } catch (error) {
    discard(name);
    throw error;
  }
}

function discard(name: WasmModuleName): void {
  instances.delete(name);
  memories.delete(name);
}

/** Bytes of linear memory held by every live codec instance. */
export function wasmMemoryBytes(): number {
  let total = 0;
  for (const memory of memories.values()) total += memory.buffer.byteLength;
  return total;
}

/** Per-module memory sizes, for benchmarks and memory tests. */
export function wasmMemoryByModule(): Partial<Record<WasmModuleName, number>> {
  const sizes: Partial<Record<WasmModuleName, number>> = {};
  for (const [name, memory] of memories) sizes[name] = memory.buffer.byteLength;
  return sizes;
}

/** Names of the modules instantiated so far in this isolate (lazy loading is observable in tests). */
export function loadedModules(): WasmModuleName[] {
  return [...instances.keys()];
}
