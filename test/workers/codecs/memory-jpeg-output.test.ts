/**
 * A 24 MP JPEG output streamed from the resize into the encoder: no output frame exists, and the modules stay
 * small. This file runs in its own isolate: the memories it reads are this test's own (they only grow).
 */
import { expect, it } from 'vitest';
import { openUpright } from '../../../src/codecs/open';
import { probe, uprightSize } from '../../../src/codecs/probe';
import { turboJpegEncoder } from '../../../src/codecs/turbo-jpeg-encoder';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import { isFrameSource } from '../../../src/image/frame-source';
import { applySteps } from '../../../src/transform/apply-steps';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes } from '../helpers';
import '../../../src/codecs/wasm/bundled';

const MB = 1e6;

it('12 MP JPEG → 5656×4242 (24 MP) JPEG: rows streamed, under 12 MB of WASM for decoder, resizer and encoder', async () => {
  const bytes = await fixtureBytes(fixtures.photo4000x3000.path);
  const info = probe(bytes);
  const original = uprightSize(info);
  const t = parseTransformation('w-5656');
  const image = await applySteps(await openUpright(bytes, info, decodeHintFor(t, original, 1)), t, original, { rowsOut: true });
  expect(isFrameSource(image)).toBe(true);
  if (!isFrameSource(image)) return;
  const jpeg = await turboJpegEncoder.encodeRows(image, { quality: 80, lossless: false, progressive: false });
  expect(probe(jpeg)).toMatchObject({ format: 'jpeg', width: 5656, height: 4242, progressive: false });
  const memory = wasmMemoryByModule();
  console.log('24 MP JPEG output, WASM MB:', Object.entries(memory).map(([m, b]) => `${m} ${(b! / MB).toFixed(1)}`).join(', '));
  // The 96 MB output frame never exists; the encoder holds a strip and what it compresses to.
  expect(memory.edgepixJpegEnc).toBeLessThanOrEqual(4 * MB);
  const total = Object.values(memory).reduce((sum, b) => sum + b!, 0);
  expect(total).toBeLessThanOrEqual(12 * MB);
});
