/**
 * The AVIF decoder (dav1d, wasm/avif/) against sharp's decode of the same files (libheif over dav1d or aom,
 * written beside each fixture as <file>.sharp.png by scripts/make-avif-fixtures.mjs): every chroma layout, bit
 * depth, range and matrix the module converts, alpha straight and premultiplied, grids; and broken files.
 */
import { describe, expect, it } from 'vitest';
import { dav1dDecoder } from '../../../src/codecs/dav1d';
import { CodecError } from '../../../src/codecs/errors';
import { libspngDecoder } from '../../../src/codecs/libspng';
import { probe } from '../../../src/codecs/probe';
import { type Frame } from '../../../src/image/frame';
import { isFrameSource } from '../../../src/image/frame-source';
import { meanAbsoluteDifference, structuralSimilarity } from '../../shared/similarity';
import { type Fixture, type FixtureName, fixtures } from '../../fixtures/registry';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

async function decodeFixture(name: FixtureName): Promise<Frame> {
  const bytes = await fixtureBytes(fixtures[name].path);
  return dav1dDecoder.decode(bytes, probe(bytes), {});
}

async function sharpDecode(name: FixtureName): Promise<Frame> {
  const bytes = await fixtureBytes(`${fixtures[name].path}.sharp.png`);
  return libspngDecoder.decode(bytes, probe(bytes), {});
}

/** Mean absolute difference of one channel (3: alpha). */
function channelDifference(a: Frame, b: Frame, channel: number): number {
  let total = 0;
  for (let i = channel; i < a.data.length; i += 4) total += Math.abs(a.data[i]! - b.data[i]!);
  return total / (a.data.length / 4);
}

/** RGB multiplied by alpha, as a premultiplied decoder leaves it. */
function premultiplied(frame: Frame): Frame {
  const data = new Uint8ClampedArray(frame.data);
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = Math.round((data[i + c]! * data[i + 3]!) / 255);
  }
  return { ...frame, data };
}

describe('dav1d AVIF decoder: pixels as sharp decodes them', () => {
  const cases: Array<[FixtureName, string]> = [
    ['avif420', '8-bit 4:2:0'],
    ['avif444', '8-bit 4:4:4'],
    ['avifPhoto10bit', '10-bit'],
    ['avifPhoto12bit', '12-bit'],
    ['avifMono', 'monochrome'],
    ['avifBt709Limited', '4:2:2, BT.709 limited range (from colr nclx)'],
    ['avifAlphaRamp', 'alpha item'],
    ['avifGrid', 'a 3×2 grid cropped to 380×250'],
  ];
  for (const [name, what] of cases) {
    it(`${what}: ${fixtures[name].path}`, async () => {
      const [ours, reference] = await Promise.all([decodeFixture(name), sharpDecode(name)]);
      expect([ours.width, ours.height]).toEqual([fixtures[name].width, fixtures[name].height]);
      expect(ours.hasAlpha).toBe((fixtures[name] as Fixture).hasAlpha ?? false);
      // sharp's conversion upsamples chroma its own way: equal within a level or two on average.
      expect(meanAbsoluteDifference(reference, ours)).toBeLessThan(1.5);
      expect(structuralSimilarity(reference, ours)).toBeGreaterThan(0.98);
      if (ours.hasAlpha) expect(channelDifference(reference, ours, 3)).toBeLessThan(0.5);
    });
  }

  it('the nclx box decides the matrix and range: the same planes read as BT.601 full range come out different', async () => {
    const bytes = await fixtureBytes(fixtures.avifBt709Limited.path);
    const nclx = new TextDecoder('latin1').decode(bytes).indexOf('nclx');
    const asBt601 = bytes.slice();
    asBt601.set([0, 1, 0, 1, 0, 6, 0x80], nclx + 4);
    const reference = await sharpDecode('avifBt709Limited');
    const wrong = await dav1dDecoder.decode(asBt601, probe(asBt601), {});
    expect(meanAbsoluteDifference(reference, wrong)).toBeGreaterThan(5);
  });

  it('premultiplied alpha (prem) is divided out: straight colour, equal to sharp once premultiplied again', async () => {
    const [ours, reference, straight] = await Promise.all([
      decodeFixture('avifPremultiplied'),
      sharpDecode('avifPremultiplied'), // libheif leaves the samples premultiplied
      sharpDecode('avifAlphaRamp'), // the same picture and ramp, stored straight
    ]);
    expect(ours.hasAlpha).toBe(true);
    expect(meanAbsoluteDifference(premultiplied(ours), reference)).toBeLessThan(1.5);
    // Straight colour: where alpha is about a half, colours are the picture's, not half of them.
    const at = (frame: Frame) => frame.data[(75 * ours.width + 113) * 4]!;
    expect(Math.abs(at(ours) - at(straight))).toBeLessThan(10);
    expect(at(reference)).toBeLessThan(at(ours) * 0.75);
  });

  it('reports the colr boxes on the probe (for colour management), without converting', async () => {
    const bytes = await fixtureBytes(fixtures.avifBt709Limited.path);
    expect(probe(bytes).colour).toEqual({ primaries: 1, transfer: 1, matrix: 1, fullRange: false });
  });
});

describe('dav1d AVIF decoder: streaming', () => {
  it('open() gives a row source whose strips cover the image and which stops when told', async () => {
    const bytes = await fixtureBytes(fixtures.avifGrid.path);
    const info = probe(bytes);
    const source = dav1dDecoder.open!(bytes, info, {})!;
    expect(isFrameSource(source)).toBe(true);
    let rows = 0;
    await source.read((strip, count) => {
      expect(strip.byteLength).toBeGreaterThanOrEqual(count * info.width * 4);
      rows += count;
    });
    expect(rows).toBe(250);
    let calls = 0;
    await source.read(() => {
      calls++;
      return false;
    });
    expect(calls).toBe(1);
  });
});

describe('dav1d AVIF decoder: broken files', () => {
  it('a file cut inside its AV1 data is a CodecError, and the decoder keeps working', async () => {
    const bytes = await fixtureBytes(fixtures.avifTruncated.path);
    await expect(dav1dDecoder.decode(bytes, probe(bytes), {})).rejects.toBeInstanceOf(CodecError);
    const after = await decodeFixture('avif420');
    expect(after.width).toBe(227);
  });

  it('AV1 data overwritten with garbage is a CodecError', async () => {
    const bytes = (await fixtureBytes(fixtures.avif420.path)).slice();
    const mdat = new TextDecoder('latin1').decode(bytes).indexOf('mdat');
    for (let i = mdat + 4; i < bytes.length; i++) bytes[i] = (i * 131) & 255;
    await expect(dav1dDecoder.decode(bytes, probe(bytes), {})).rejects.toBeInstanceOf(CodecError);
  });

  it('AV1 data larger than its ispe declares is refused (the memory estimate counted the declared size)', async () => {
    const bytes = (await fixtureBytes(fixtures.avif420.path)).slice();
    const ispe = new TextDecoder('latin1').decode(bytes).indexOf('ispe');
    const view = new DataView(bytes.buffer);
    view.setUint32(ispe + 8, 100);
    view.setUint32(ispe + 12, 60);
    const info = probe(bytes);
    expect([info.width, info.height]).toEqual([100, 60]);
    await expect(dav1dDecoder.decode(bytes, info, {})).rejects.toBeInstanceOf(CodecError);
  });

  it('delivery answers a truncated AVIF with 422 JSON, not a 500', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'cut.avif', await fixtureBytes(fixtures.avifTruncated.path), 'image/avif');
    const res = await get(`/${tenant}/tr:w-100/cut.avif`, { headers: { Accept: 'image/webp' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    const body = await json(res);
    expect(body.message).toMatch(/avif/i);
    expect(body.help).toBeTruthy();
  });

  it('a grid whose tiles are missing is a 4xx, not a 500', async () => {
    const bytes = (await fixtureBytes(fixtures.avifGrid.path)).slice();
    // Point the grid at 3×3 tiles while only six are referenced.
    const text = new TextDecoder('latin1').decode(bytes);
    const mdat = text.indexOf('mdat');
    bytes[mdat + 4 + 2] = 2; // rows_minus_one
    const tenant = await newTenant();
    await putOriginal(tenant, 'grid.avif', bytes, 'image/avif');
    const res = await get(`/${tenant}/tr:w-100/grid.avif`, { headers: { Accept: 'image/webp' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await json(res)).message).toBeTruthy();
  });
});
