/**
 * The decode budget's estimate for AVIF covers what the decoder really holds (own isolate): the file, and the
 * module's memory after streaming every row (dav1d's planes and state, one strip; no frame is made).
 */
import { expect, it } from 'vitest';
import { decodePeakBytes } from '../../../src/codecs/memory-budget';
import { openUpright } from '../../../src/codecs/open';
import { probe, uprightSize } from '../../../src/codecs/probe';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { isFrameSource } from '../../../src/image/frame-source';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';

it('covers a 1600×1200 10-bit 4:4:4 AVIF decode, without overstating it by half', async () => {
  const bytes = await fixtureBytes(fixtures.budgetAvif10.path);
  const info = probe(bytes);
  const hint = decodeHintFor(parseTransformation('w-800'), uprightSize(info), info.orientation);
  const estimate = decodePeakBytes(bytes, info, hint)!;
  const source = await openUpright(bytes, info, hint);
  expect(isFrameSource(source)).toBe(true);
  if (!isFrameSource(source)) return;
  let rows = 0;
  await source.read((_, count) => {
    rows += count;
  });
  expect(rows).toBe(1200);
  const measured = wasmMemoryByModule().edgepixAvif! + bytes.byteLength;
  console.log(`${fixtures.budgetAvif10.path}: estimated ${(estimate / 1e6).toFixed(1)} MB, measured ${(measured / 1e6).toFixed(1)} MB`);
  expect(estimate).toBeGreaterThanOrEqual(measured);
  expect(estimate).toBeLessThanOrEqual(measured * 1.5);
});
