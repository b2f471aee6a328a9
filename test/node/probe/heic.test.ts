// HEIC probing beyond the registry's header values: recognising HEIF by its brands and primary item, the colour
// description (ICC profile, nclx), and refusals of cut-short and inconsistent files.
import { describe, expect, it } from 'vitest';
import { probe, sniffFormat } from '../../../src/codecs/probe';
import { fixtures } from '../../fixtures/registry';
import { expectProbeError, readFixture } from './helpers';

/** A copy of `bytes` with the ftyp brands replaced (same count, so every offset stays). */
function withBrands(bytes: Uint8Array, brands: string[]): Uint8Array {
  const out = bytes.slice();
  const count = (new DataView(out.buffer).getUint32(0) - 16) / 4 + 1; // major + compatible brands
  expect(brands).toHaveLength(count);
  brands.forEach((brand, k) => out.set(new TextEncoder().encode(brand), k === 0 ? 8 : 16 + (k - 1) * 4));
  return out;
}

/** Offset of the first occurrence of an ASCII box type. */
const find = (bytes: Uint8Array, type: string) => Buffer.from(bytes).indexOf(type, 0, 'latin1');

describe('HEIC probe', () => {
  it('reads the ICC profile of a colr prof box whole', () => {
    const info = probe(readFixture(fixtures.heicSingle));
    const icc = info.colour!.icc!;
    // An ICC profile declares its own size first and carries 'acsp' at 36.
    expect(new DataView(icc.buffer, icc.byteOffset).getUint32(0)).toBe(icc.length);
    expect(Buffer.from(icc.subarray(36, 40)).toString('latin1')).toBe('acsp');
    expect(info.colour).toEqual({ icc });
  });

  it('reads an nclx colr box as code points, and irot as the orientation', () => {
    const info = probe(readFixture(fixtures.heicGridRotated));
    expect(info.colour).toEqual({ primaries: 1, transfer: 13, matrix: 6, fullRange: true });
    expect(info.orientation).toBe(8);
  });

  it('reports no colour description when the file has none', () => {
    expect(probe(readFixture(fixtures.heicGrid)).colour).toBeUndefined();
  });

  it('recognises HEVC-coded HEIF by its primary item when only the generic mif1 brand is there', () => {
    const generic = withBrands(readFixture(fixtures.heicGrid), ['mif1', 'mif1', 'miaf']);
    expect(sniffFormat(generic)).toBe('heic');
    expect(probe(generic)).toMatchObject({ format: 'heic', width: 720, height: 480 });
  });

  it('leaves AVIF to the AVIF probe, and a mif1 file whose primary item is not HEVC unrecognised', () => {
    expect(sniffFormat(readFixture(fixtures.avifOpaque))).toBe('avif');
    const bytes = withBrands(readFixture(fixtures.heicSingle), ['mif1', 'mif1', 'heic', 'miaf'].slice(0, 4));
    // Rename the primary item's type in iinf: hvc1 → hvc9 (an item type nobody decodes).
    const infe = find(bytes, 'hvc1');
    bytes[infe + 3] = '9'.charCodeAt(0);
    const mif1Only = withBrands(bytes, ['mif1', 'mif1', 'miaf', 'miaf']);
    expect(sniffFormat(mif1Only)).toBeUndefined();
  });

  it('says truncated when the data ends inside the meta box', () => {
    const bytes = readFixture(fixtures.heicGrid);
    expectProbeError(() => probe(bytes.subarray(0, find(bytes, 'iprp'))), 'truncated');
  });

  it('refuses a grid whose tiles are not HEVC', () => {
    const bytes = readFixture(fixtures.heicGrid).slice();
    // Every tile item renamed; the brands still say heic.
    for (let at = find(bytes, 'hvc1'); at >= 0; at = Buffer.from(bytes).indexOf('hvc1', at + 4, 'latin1')) bytes[at + 3] = 0x39;
    expectProbeError(() => probe(bytes), 'malformed');
  });
});
