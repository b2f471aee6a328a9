/**
 * The HEIC decoder (libde265, wasm/heic/, over the container reading of src/codecs/heic-layout.ts) against
 * heif-convert's decodes of the same files (libheif 1.15 with libde265, *.reference.webp, lossless): grids
 * decoded a row of tiles at a time, a single image, an alpha plane, irot; and HEIC originals through delivery:
 * resized, converted to what the browser accepts (never HEIC), refused with a 4xx JSON when damaged.
 */
import { describe, expect, it } from 'vitest';
import { decoderFor } from '../../../src/codecs/registry';
import { probe } from '../../../src/codecs/probe';
import type { Frame } from '../../../src/image/frame';
import { type Fixture, fixtures } from '../../fixtures/registry';
import { decodeImage, decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

async function decodeFixture(fixture: Fixture): Promise<Frame> {
  const bytes = await fixtureBytes(fixture.path);
  return decoderFor('heic')!.decode(bytes, probe(bytes), {});
}

const reference = async (fixture: Fixture) => decodeImage(await fixtureBytes(fixture.path.replace('.heic', '.reference.webp')));

/**
 * Mean and largest absolute difference over the channels `channels` (0–3) of two same-sized frames, where `b`
 * is not fully transparent (the lossless WebP reference does not keep the colour of invisible pixels).
 */
function compare(a: Frame, b: Frame, channels = [0, 1, 2]): { mean: number; max: number } {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (b.data[i + 3] === 0 && !channels.includes(3)) continue;
    for (const c of channels) {
      const d = Math.abs(a.data[i + c]! - b.data[i + c]!);
      sum += d;
      max = Math.max(max, d);
    }
  }
  return { mean: sum / ((a.data.length / 4) * channels.length), max };
}

describe('HEIC decoder', () => {
  it('decodes a grid tile row by tile row to heif-convert\'s pixels', async () => {
    const frame = await decodeFixture(fixtures.heicGrid);
    const diff = compare(frame, await reference(fixtures.heicGrid));
    console.log('grid vs heif-convert', diff);
    // The same libde265 and the same conversion (BT.601, chroma repeated) as libheif 1.15: the same pixels.
    expect(diff.max).toBeLessThanOrEqual(1);
    expect(frame.hasAlpha).toBe(false);
  });

  it('decodes a single HEVC image to heif-convert\'s pixels', async () => {
    const frame = await decodeFixture(fixtures.heicSingle);
    const diff = compare(frame, await reference(fixtures.heicSingle));
    console.log('single vs heif-convert', diff);
    expect(diff.max).toBeLessThanOrEqual(1);
  });

  it('decodes the alpha plane into the A channel', async () => {
    const frame = await decodeFixture(fixtures.heicAlpha);
    const ref = await reference(fixtures.heicAlpha);
    expect(frame.hasAlpha).toBe(true);
    expect(compare(frame, ref, [3]).max).toBe(0);
    expect(compare(frame, ref).max).toBeLessThanOrEqual(1);
    // The fixture fades from opaque on the left to transparent on the right.
    expect(frame.data[3]).toBeGreaterThan(240);
    expect(frame.data[(frame.width - 1) * 4 + 3]).toBeLessThan(16);
  });

  it('turns a grid by its irot when delivered upright', async () => {
    const upright = await decodeImage(await fixtureBytes(fixtures.heicGridRotated.path));
    const stored = await reference(fixtures.heicGrid);
    expect([upright.width, upright.height]).toEqual([480, 720]);
    // irot 1 is 90° anti-clockwise: the upright (x, y) is the stored (W − 1 − y, x).
    let sum = 0;
    for (let y = 0; y < upright.height; y++) {
      for (let x = 0; x < upright.width; x++) {
        const at = (y * upright.width + x) * 4;
        const from = (x * stored.width + (stored.width - 1 - y)) * 4;
        for (let c = 0; c < 3; c++) sum += Math.abs(upright.data[at + c]! - stored.data[from + c]!);
      }
    }
    expect(sum / (upright.width * upright.height * 3)).toBeLessThan(0.01);
  });
});

describe('HEIC originals through delivery', () => {
  async function stored(fixture: Fixture, name: string) {
    const tenant = await newTenant();
    await putOriginal(tenant, name, await fixtureBytes(fixture.path), 'image/heic');
    return tenant;
  }

  it('w-400 gives a 400-wide WebP to a browser that takes WebP, a JPEG to one that does not', async () => {
    const tenant = await stored(fixtures.heicGrid, 'photo.heic');
    const webp = await get(`/${tenant}/tr:w-400/photo.heic`, { headers: { Accept: 'image/webp,*/*' } });
    expect(webp.status).toBe(200);
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
    const out = await decodeResponse(webp);
    expect([out.width, out.height]).toEqual([400, 267]);
    const jpeg = await get(`/${tenant}/tr:w-400/photo.heic`, { headers: { Accept: '*/*' } });
    expect(jpeg.headers.get('Content-Type')).toBe('image/jpeg');
    expect([(await decodeResponse(jpeg)).width]).toEqual([400]);
  });

  it('an untransformed HEIC is converted (f-auto), never served as HEIC; orig-true serves the file', async () => {
    const tenant = await stored(fixtures.heicSingle, 'p.heic');
    const plain = await get(`/${tenant}/p.heic`, { headers: { Accept: '*/*' } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Type')).toBe('image/jpeg');
    const out = await decodeResponse(plain);
    expect([out.width, out.height]).toEqual([320, 240]);
    const webp = await get(`/${tenant}/p.heic`, { headers: { Accept: 'image/webp' } });
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
    const original = await get(`/${tenant}/tr:orig-true/p.heic`);
    expect(new Uint8Array(await original.arrayBuffer())).toEqual(await fixtureBytes(fixtures.heicSingle.path));
  });

  it('irot turns the output: a 720×480 grid stored with irot 1 is delivered 400×600', async () => {
    const tenant = await stored(fixtures.heicGridRotated, 'r.heic');
    const res = await get(`/${tenant}/tr:w-400/r.heic`, { headers: { Accept: 'image/webp' } });
    const out = await decodeResponse(res);
    expect([out.width, out.height]).toEqual([400, 600]);
  });

  it('an alpha HEIC keeps its transparency in PNG', async () => {
    const tenant = await stored(fixtures.heicAlpha, 'a.heic');
    const res = await get(`/${tenant}/tr:f-png/a.heic`);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    const out = await decodeResponse(res);
    expect(out.hasAlpha).toBe(true);
  });

  /** A 422 with a JSON message and help. */
  async function expectRefused(res: Response, fragment: string) {
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['help', 'message']);
    expect(body.message).toContain(fragment);
  }

  it('a HEIC cut short in its image data is a 422, not a 500', async () => {
    const bytes = await fixtureBytes(fixtures.heicGrid.path);
    const tenant = await newTenant();
    await putOriginal(tenant, 'cut.heic', bytes.subarray(0, Math.floor(bytes.length * 0.6)), 'image/heic');
    await expectRefused(await get(`/${tenant}/tr:w-200/cut.heic`), 'could not be decoded as HEIC');
  });

  it('a HEIC cut short in its header is a 422 that says so', async () => {
    const bytes = await fixtureBytes(fixtures.heicGrid.path);
    const tenant = await newTenant();
    await putOriginal(tenant, 'head.heic', bytes.subarray(0, 300), 'image/heic');
    await expectRefused(await get(`/${tenant}/tr:w-200/head.heic`), 'truncated');
  });

  it('a HEIC whose HEVC parameter sets are garbage is a 422', async () => {
    const bytes = (await fixtureBytes(fixtures.heicSingle.path)).slice();
    // hvcC's arrays (VPS, SPS, PPS) start 23 bytes into the box's payload: overwrite the NAL units' bodies.
    const hvcC = new TextDecoder('latin1').decode(bytes).indexOf('hvcC') + 4;
    for (let i = hvcC + 30; i < hvcC + 90; i++) bytes[i] = 0xa5;
    const tenant = await newTenant();
    await putOriginal(tenant, 'bad.heic', bytes, 'image/heic');
    await expectRefused(await get(`/${tenant}/tr:w-200/bad.heic`), 'could not be decoded as HEIC');
  });
});
