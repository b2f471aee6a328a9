// Truncated, corrupt and hostile input: probe() must return or throw ProbeError, never anything else, and stay fast.
import { describe, it, expect } from 'vitest';
import type { FixtureName } from '../../fixtures/registry';
import { probe, ProbeError } from '../../../src/codecs/probe';
import { expectProbeError, readFixture } from './helpers';

/** probe() outcome on `bytes`: the info, or the ProbeError. Anything else thrown fails the test. */
function attempt(bytes: Uint8Array) {
  try {
    return probe(bytes);
  } catch (e) {
    if (e instanceof ProbeError) return e;
    throw new Error(`non-ProbeError for ${bytes.length} bytes: ${String(e)}`, { cause: e });
  }
}

// One or more per format and per header path (EXIF APP1, VP8X + trailing EXIF, APNG, GIF frames, AVIF alpha).
const SAMPLES: FixtureName[] = [
  'jpegBaseline',
  'jpegProgressive',
  'jpegExifLittleEndian',
  'landscape6',
  'jpeg12bit',
  'basn6a08',
  'tbbn3p08',
  'pngAnimated',
  'webpLossy',
  'webpLossless',
  'webpAlpha',
  'webpExifOrientation6',
  'webpAnimated',
  'avifOpaque',
  'avifAlpha',
  'heicGrid',
  'heicAlpha',
  'gifAnimated',
  'gifTransparent',
];

describe('every prefix of length 0..200', () => {
  for (const name of SAMPLES) {
    it(`${name}: returns the full file's size or throws ProbeError`, () => {
      const bytes = readFixture(name);
      const full = probe(bytes);
      for (let n = 0; n <= Math.min(200, bytes.length); n++) {
        const r = attempt(bytes.subarray(0, n));
        // A prefix that holds the whole header must agree with the full file.
        if (r instanceof ProbeError) continue;
        expect([r.format, r.width, r.height], `prefix ${n}`).toEqual([full.format, full.width, full.height]);
      }
    });
  }

  it('short prefixes of the header are reported as truncated, not malformed', () => {
    // Past the magic bytes but before the header ends: the only honest answer is 'truncated'.
    expectProbeError(() => probe(readFixture('jpegBaseline').subarray(0, 100)), 'truncated'); // before SOF0
    expectProbeError(() => probe(readFixture('basn2c08').subarray(0, 20)), 'truncated'); // inside IHDR
    expectProbeError(() => probe(readFixture('tbbn3p08').subarray(0, 60)), 'truncated'); // before IDAT
    expectProbeError(() => probe(readFixture('webpLossy').subarray(0, 24)), 'truncated'); // inside the VP8 header
    expectProbeError(() => probe(readFixture('webpExifOrientation6').subarray(0, 600)), 'truncated'); // before EXIF
    expectProbeError(() => probe(readFixture('avifAlpha').subarray(0, 100)), 'truncated'); // inside meta
    expectProbeError(() => probe(readFixture('gifTransparent').subarray(0, 12)), 'truncated'); // screen descriptor
  });

  it('empty and tiny inputs are an unsupported format', () => {
    const jpeg = readFixture('jpegBaseline');
    for (const n of [0, 1, 2]) expectProbeError(() => probe(jpeg.subarray(0, n)), 'unsupported format');
  });
});

describe('seeded random corruption of the first 512 bytes', () => {
  // Deterministic xorshift so a failure reproduces.
  let seed = 0x2545f491;
  const rand = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const SPECIAL = [0x00, 0xff, 0x7f, 0x80, 0x01];

  for (const name of SAMPLES) {
    it(`${name}: 400 mutants return or throw ProbeError`, () => {
      // Headers live in the first few KB; 64 KB keeps the copies cheap and still holds every sample's chunk list.
      const original = readFixture(name).subarray(0, 65536);
      const span = Math.min(512, original.length);
      for (let k = 0; k < 400; k++) {
        const bytes = original.slice();
        for (let m = 1 + rand(4); m > 0; m--) {
          bytes[rand(span)] = rand(2) ? rand(256) : SPECIAL[rand(SPECIAL.length)]!;
        }
        // Also cut some mutants short, so bad lengths meet the end of the data.
        attempt(rand(4) === 0 ? bytes.subarray(0, rand(bytes.length + 1)) : bytes);
      }
    });
  }
});

describe('unsupported formats', () => {
  const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  it.each([
    ['BMP', text('BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00')],
    ['TIFF', text('II*\x00\x08\x00\x00\x00')],
    ['RIFF WAVE', text('RIFF\x24\x00\x00\x00WAVEfmt ')],
  ])('%s', (_, bytes) => {
    expect(expectProbeError(() => probe(bytes), 'unsupported format').message).toBe('unsupported format');
  });

  it('SVG is read now: a root without a size it can be drawn at is malformed', () => {
    expectProbeError(() => probe(text('<svg xmlns="http://www.w3.org/2000/svg"/>')), 'malformed');
  });

  it('HEIC is read now: its bare ftyp is recognised and cut short before the meta box', () => {
    expectProbeError(() => probe(text('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic')), 'truncated');
  });
});

describe('decompression bombs probe to their declared size from the header alone', () => {
  // No timing here (benchmarks own numbers): the proof that probing never touches pixel data is that a copy
  // holding only the header probes exactly like the whole file.
  it.each([
    ['pngBomb', 16384, 16384, -1],
    ['jpegBomb', 30000, 30000, 0],
  ] as const)('%s declares %ix%i', (name, width, height, kind) => {
    const bytes = readFixture(name);
    const full = probe(bytes);
    expect(full).toMatchObject({ width, height });
    const header = kind < 0 ? startOfIdatData(bytes) : startOfScan(bytes);
    expect(probe(bytes.slice(0, header))).toEqual(full);
  });

  it('a 4000x3000 photo probes from the bytes before its scan data', () => {
    const bytes = readFixture('photo4000x3000');
    expect(bytes.length).toBeGreaterThan(1_000_000);
    const header = startOfScan(bytes);
    expect(header).toBeLessThan(2_000);
    expect(probe(bytes.slice(0, header))).toEqual(probe(bytes));
  });

  it('sets format on the error once sniffed', () => {
    expect(expectProbeError(() => probe(readFixture('xd9n2c08'))).format).toBe('png');
  });
});

/** Offset just past a JPEG's SOS marker header, where entropy-coded data begins. */
function startOfScan(jpeg: Uint8Array): number {
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    const marker = jpeg[offset + 1]!;
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    offset += 2 + length;
    if (marker === 0xda) return offset;
  }
  throw new Error('no SOS marker');
}

/** Offset where a PNG's first IDAT payload begins (signature, IHDR, ancillary chunks and the IDAT header). */
function startOfIdatData(png: Uint8Array): number {
  const at = Buffer.from(png).indexOf('IDAT');
  if (at < 0) throw new Error('no IDAT chunk');
  return at + 4;
}
