/**
 * Corrupt animations: every reader either reads all its frames or throws a CodecError (a 422), never anything else
 * (which would be a 500). Mutants of each fixture whose header still probes as an animation within 1 MP: bytes
 * overwritten at seeded random places, and the file cut at every 1/20th.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { apngAnimationDecoder } from '../../../src/codecs/animation/apng';
import { gifAnimationDecoder } from '../../../src/codecs/animation/gif';
import type { AnimationDecoder } from '../../../src/codecs/animation/types';
import { webpAnimationDecoder } from '../../../src/codecs/animation/webp';
import { CodecError } from '../../../src/codecs/errors';
import { probe, ProbeError } from '../../../src/codecs/probe';
import type { FixtureName } from '../../fixtures/registry';
import { readFixture } from '../probe/helpers';

beforeAll(registerNodeWasmModules);

/** 'ok', 'refused' (a CodecError, or a header refused first); anything else thrown fails the test. */
async function outcome(decoder: AnimationDecoder, bytes: Uint8Array): Promise<'ok' | 'refused'> {
  try {
    // What delivery refuses from the header first (not an animation; over the animation limits' scale).
    const info = probe(bytes);
    if (info.frames < 2 || info.width * info.height > 1e6) return 'refused';
  } catch (e) {
    if (e instanceof ProbeError) return 'refused';
    throw e;
  }
  try {
    const reader = await decoder.open(bytes);
    try {
      while (await reader.next());
    } finally {
      reader.close();
    }
    return 'ok';
  } catch (e) {
    if (e instanceof CodecError) return 'refused';
    throw new Error(`not a CodecError: ${String(e)}`, { cause: e });
  }
}

function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
}

describe.each([
  ['animationGif', gifAnimationDecoder],
  ['animationDisposal', gifAnimationDecoder],
  ['animationWebp', webpAnimationDecoder],
  ['animationApng', apngAnimationDecoder],
  ['pngAnimated', apngAnimationDecoder],
] as [FixtureName, AnimationDecoder][])('%s', (name, decoder) => {
  const bytes = readFixture(name);

  it('reads the fixture itself', async () => {
    expect(await outcome(decoder, bytes)).toBe('ok');
  });

  it('reads or refuses 60 mutants with a CodecError', async () => {
    const next = random(name.length * 7919);
    const outcomes = new Set<string>();
    for (let m = 0; m < 60; m++) {
      const mutant = bytes.slice();
      for (let k = 1 + Math.floor(next() * 4); k > 0; k--) mutant[Math.floor(next() * mutant.length)] = Math.floor(next() * 256);
      outcomes.add(await outcome(decoder, mutant));
    }
    for (let cut = 1; cut < 20; cut++) outcomes.add(await outcome(decoder, bytes.subarray(0, Math.floor((bytes.length * cut) / 20))));
    expect(outcomes.has('refused')).toBe(true);
  });
});
