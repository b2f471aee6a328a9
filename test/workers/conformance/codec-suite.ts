/**
 * One conformance suite for every codec adapter (Hono-style): the same assertions run against each
 * decoder/encoder pair, whichever library is behind it.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { probe } from '../../../src/codecs/probe';
import type { Decoder, Encoder } from '../../../src/codecs/types';
import type { Frame } from '../../../src/image/frame';
import { applyOrientation } from '../../../src/image/orient';
import { fixtures, type FixtureName } from '../../fixtures/registry';
import { meanAbsoluteDifference, structuralSimilarity } from '../../shared/similarity';
import { fixtureBytes } from '../helpers';

export interface CodecUnderTest {
  name: string;
  decoder: Decoder;
  encoder: Encoder;
  /** Whether the format keeps an alpha channel. */
  alpha: boolean;
  /** Whether encoding with lossless=true gives the exact pixels back. */
  lossless: boolean;
  /** Real files of this format, decoded and checked against the registry's dimensions. */
  samples: FixtureName[];
  /**
   * A file with EXIF orientation 6, and a reference for how it looks upright: another file, turned by its
   * own `referenceOrientation` (1 when the reference is already upright).
   */
  oriented?: { file: FixtureName; reference: FixtureName; referenceOrientation: number };
}

/** A 96×64 test card: gradients in R and G, a solid blue square, and (with alpha) an alpha ramp. */
export function testCard(withAlpha: boolean): Frame {
  const width = 96;
  const height = 64;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const square = x >= 32 && x < 64 && y >= 16 && y < 48;
      data[i] = square ? 20 : Math.round((x / (width - 1)) * 255);
      data[i + 1] = square ? 40 : Math.round((y / (height - 1)) * 255);
      data[i + 2] = square ? 220 : 128;
      data[i + 3] = withAlpha ? Math.round((x / (width - 1)) * 255) : 255;
    }
  }
  return { width, height, data, hasAlpha: withAlpha };
}

const copy = (f: Frame): Frame => ({ ...f, data: f.data.slice() });

export function describeCodecConformance(codec: CodecUnderTest): void {
  describe(`codec conformance: ${codec.name}`, () => {
    const roundTrip = async (frame: Frame, lossless = false) => {
      const encoded = await codec.encoder.encode(copy(frame), { quality: 90, lossless, progressive: false });
      const info = probe(encoded);
      expect(info.format).toBe(codec.decoder.format);
      return codec.decoder.decode(encoded, info, {});
    };

    it('round-trips dimensions and pixels of an opaque image', async () => {
      const card = testCard(false);
      const decoded = await roundTrip(card);
      expect([decoded.width, decoded.height]).toEqual([card.width, card.height]);
      expect(structuralSimilarity(card, decoded)).toBeGreaterThan(0.9);
      expect(meanAbsoluteDifference(card, decoded)).toBeLessThan(6);
    });

    if (codec.lossless) {
      it('is exact when lossless', async () => {
        const card = testCard(codec.alpha);
        const decoded = await roundTrip(card, true);
        expect(meanAbsoluteDifference(card, decoded)).toBe(0);
      });
    }

    it(codec.alpha ? 'keeps alpha' : 'flattens alpha over white', async () => {
      const card = testCard(true);
      const decoded = await roundTrip(card);
      const alphaAt = (x: number) => decoded.data[(32 * decoded.width + x) * 4 + 3]!;
      if (codec.alpha) {
        expect(decoded.hasAlpha).toBe(true);
        expect(alphaAt(0)).toBeLessThan(16);
        expect(alphaAt(95)).toBeGreaterThan(240);
      } else {
        expect(alphaAt(0)).toBe(255);
        // fully transparent left edge became white
        const i = (5 * decoded.width + 0) * 4;
        expect(decoded.data[i + 2]).toBeGreaterThan(230);
      }
    });

    it('decodes real files at their declared size', async () => {
      for (const name of codec.samples) {
        const bytes = await fixtureBytes(fixtures[name].path);
        const frame = await codec.decoder.decode(bytes, probe(bytes), {}).catch((e: Error) => {
          throw new Error(`${name}: ${e.message}`);
        });
        expect([frame.width, frame.height], name).toEqual([fixtures[name].width, fixtures[name].height]);
      }
    });

    it('honours a decode hint: at least the pixels asked for, at most the stored size', async () => {
      for (const name of codec.samples) {
        const bytes = await fixtureBytes(fixtures[name].path);
        const info = probe(bytes);
        const hint = { minWidth: Math.ceil(info.width / 3), minHeight: Math.ceil(info.height / 3) };
        const frame = await codec.decoder.decode(bytes, info, hint);
        expect(frame.width, name).toBeGreaterThanOrEqual(hint.minWidth);
        expect(frame.height, name).toBeGreaterThanOrEqual(hint.minHeight);
        expect(frame.width, name).toBeLessThanOrEqual(info.width);
        expect(frame.height, name).toBeLessThanOrEqual(info.height);
        expect(frame.data.length, name).toBe(frame.width * frame.height * 4);
      }
    });

    if (codec.oriented) {
      const { file, reference: referenceName, referenceOrientation } = codec.oriented;
      it('decodes raw pixels that EXIF orientation turns upright', async () => {
        const bytes = await fixtureBytes(fixtures[file].path);
        const info = probe(bytes);
        expect(info.orientation).toBe(6);
        const turned = applyOrientation(await codec.decoder.decode(bytes, info, {}), info.orientation);
        const referenceBytes = await fixtureBytes(fixtures[referenceName].path);
        const reference = applyOrientation(
          await codec.decoder.decode(referenceBytes, probe(referenceBytes), {}),
          referenceOrientation,
        );
        expect([turned.width, turned.height]).toEqual([reference.width, reference.height]);
        expect(meanAbsoluteDifference(reference, turned)).toBeLessThan(12);
      });
    }

    it('refuses corrupt data with a CodecError and keeps working afterwards', async () => {
      const good = await codec.encoder.encode(testCard(false), { quality: 80, lossless: false, progressive: false });
      const corrupt = good.slice(0, Math.floor(good.length / 3));
      corrupt.fill(0x5a, 40);
      const info = probe(good);
      await expect(codec.decoder.decode(corrupt, info, {})).rejects.toBeInstanceOf(CodecError);
      const after = await codec.decoder.decode(good, info, {});
      expect(after.width).toBe(96);
    });
  });
}
