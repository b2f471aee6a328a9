import { expect } from 'vitest';
import type { WasmModuleName } from '../../src/codecs/wasm/provider';

/**
 * The WASM linear memories of the modules a request used, summed, are at most `limit` bytes (decimal MB in
 * messages). The project's own codecs must be among them: the point is to measure them, not jsquash's.
 */
export function expectWasmMemoryAtMost(
  memory: Partial<Record<WasmModuleName, number>>,
  limit: number,
  what: string,
  own: WasmModuleName[] = ['edgepixJpeg', 'edgepixWebp'],
) {
  expect(Object.keys(memory)).toEqual(expect.arrayContaining(own));
  const total = Object.values(memory).reduce((sum, bytes) => sum + bytes!, 0);
  const split = Object.entries(memory)
    .map(([name, bytes]) => `${name} ${(bytes! / 1e6).toFixed(1)}`)
    .join(', ');
  console.log(`${what}: WASM memory ${(total / 1e6).toFixed(1)} MB (${split})`);
  expect(total, `${what}: ${split}`).toBeLessThanOrEqual(limit);
}
