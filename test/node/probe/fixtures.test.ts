// Every fixture in the registry probes to the values recorded there, or fails the way the registry says.
import { describe, it, expect } from 'vitest';
import { fixtures, type Fixture } from '../../fixtures/registry';
import { probe, sniffFormat } from '../../../src/codecs/probe';
import type { ColourInfo } from '../../../src/codecs/types';
import { expectProbeError, readFixture } from './helpers';

const entries = Object.entries(fixtures) as [string, Fixture][];

describe('probe() on registry fixtures', () => {
  for (const [name, f] of entries) {
    if (f.invalid) {
      it(`${name}: throws ProbeError '${f.invalid}' (${f.note})`, () => {
        expectProbeError(() => probe(readFixture(f)), f.invalid);
      });
      continue;
    }
    it(`${name}: ${f.format} ${f.width}x${f.height}`, () => {
      const { colour, ...info } = probe(readFixture(f));
      // HEIC's colour description is checked in heic.test.ts.
      if (f.format !== 'heic') expect(colourSummary(colour)).toBe(f.colour);
      expect(info).toEqual({
        format: f.format,
        width: f.width,
        height: f.height,
        orientation: f.orientation ?? 1,
        hasAlpha: f.hasAlpha ?? false,
        frames: f.frames ?? 1,
        bitDepth: f.bitDepth ?? 8,
        // Only JPEG reports `progressive`; toEqual treats a missing key and `undefined` alike.
        progressive: f.format === 'jpeg' ? (f.progressive ?? false) : undefined,
      });
    });
  }
});

/** What a fixture's registry entry says of its colour: `icc <colour space>`, `nclx <primaries>/<transfer>`. */
function colourSummary(colour: ColourInfo | undefined): string | undefined {
  if (!colour) return undefined;
  if (colour.icc) return `icc ${String.fromCharCode(...colour.icc.subarray(16, 20)).trim()}`;
  return `nclx ${colour.primaries}/${colour.transfer}`;
}

describe('sniffFormat() on registry fixtures', () => {
  for (const [name, f] of entries) {
    const expected = f.invalid === 'unsupported format' ? undefined : f.format;
    it(`${name}: ${expected ?? 'undefined'}`, () => {
      expect(sniffFormat(readFixture(f))).toBe(expected);
    });
  }
});

describe('registry', () => {
  it('covers all 18 EXIF orientation samples and every corrupt PngSuite file', () => {
    const paths = entries.map(([, f]) => f.path);
    expect(paths.filter((p) => p.startsWith('images/exif/'))).toHaveLength(18);
    expect(paths.filter((p) => /pngsuite\/x.*\.png$/.test(p))).toHaveLength(14);
  });
});
