/**
 * Shared by the decode-budget tests: one whole-image decode through the real path, its measured peak (the decoding
 * module's memory, which only grows, plus the frame handed to JS) beside the estimate from its header. Each test
 * file that uses it runs in its own isolate, so the memory it reads is this decode's own.
 */
import { expect } from 'vitest';
import { decodePeakBytes } from '../../../src/codecs/memory-budget';
import { openUpright } from '../../../src/codecs/open';
import { probe, uprightSize } from '../../../src/codecs/probe';
import type { WasmModuleName } from '../../../src/codecs/wasm/provider';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { materialize } from '../../../src/image/frame-source';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { fixtureBytes } from '../helpers';

export async function expectEstimateCovers(path: string, module: WasmModuleName, transformation: string): Promise<void> {
  const bytes = await fixtureBytes(path);
  const info = probe(bytes);
  const hint = decodeHintFor(parseTransformation(transformation), uprightSize(info), info.orientation);
  const estimate = decodePeakBytes(bytes, info, hint)!;
  const frame = await materialize(await openUpright(bytes, info, hint));
  const measured = wasmMemoryByModule()[module]! + frame.data.byteLength;
  console.log(`${path}: estimated ${(estimate / 1e6).toFixed(1)} MB, measured ${(measured / 1e6).toFixed(1)} MB`);
  expect(estimate).toBeGreaterThanOrEqual(measured);
  // Conservative, not absurd: within half again of what was measured.
  expect(estimate).toBeLessThanOrEqual(measured * 1.5);
}
