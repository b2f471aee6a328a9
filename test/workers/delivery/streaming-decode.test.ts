/**
 * A JPEG stored upright is decoded straight into the pipeline's first resize (a FrameSource): the pixels must
 * be exactly those of decoding into a frame first, errors raised while the rows are read must still be the
 * decoder's 422, and a failing source must not poison the resizer.
 */
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../../src/codecs/errors';
import { openUpright } from '../../../src/codecs/open';
import { probe } from '../../../src/codecs/probe/index';
import { decoderFor } from '../../../src/codecs/registry';
import { resizeFrame } from '../../../src/codecs/resize-simd';
import { loadedModules } from '../../../src/codecs/wasm/instances';
import type { Frame } from '../../../src/image/frame';
import { type FrameSource, isFrameSource, materialize, rowsOf } from '../../../src/image/frame-source';
import { applyOrientation } from '../../../src/image/orient';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { parseTransformation } from '../../../src/transform/parse';
import { applySteps } from '../../../src/transform/apply-steps';
import { fixtures, type FixtureName } from '../../fixtures/registry';
import { paint } from '../conformance/resize-suite';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

async function bothWays(name: FixtureName, transformation: string): Promise<{ streamed: Frame; framed: Frame }> {
  const bytes = await fixtureBytes(fixtures[name].path);
  const info = probe(bytes);
  const t = parseTransformation(transformation);
  const upright = info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
  const hint = decodeHintFor(t, upright, info.orientation);
  const streamed = await applySteps(await openUpright(bytes, info, hint), t, upright);
  const decoded = applyOrientation(await decoderFor(info.format)!.decode(bytes, info, hint), info.orientation);
  const framed = await applySteps(decoded, t, upright);
  return { streamed, framed };
}

function expectIdentical(actual: Frame, expected: Frame, label: string): void {
  expect([actual.width, actual.height], label).toEqual([expected.width, expected.height]);
  let differing = 0;
  for (let i = 0; i < actual.data.length; i++) if (actual.data[i] !== expected.data[i]) differing++;
  expect(differing, `${label}: differing bytes`).toBe(0);
}

describe('JPEG decoded straight into the first resize', () => {
  it.each([
    ['photo1000x800', 'w-800'], // full-size decode, 1.25× reduction
    ['photo4000x3000', 'w-800'], // 1/4 DCT scale, box-compensated resize
    ['photo4000x3000', 'w-400,h-400'], // cover: the extract windows the source, the resize reads the window
    ['photo1000x800', 'cm-extract,w-300,h-200,x-100,y-50'], // a positioned extract: only its rows are kept
    ['photo1000x800', 'cm-extract,w-1000,h-100,x-0,y-0'], // the top rows: the decode stops after them
    ['photo4000x3000', 'rt-90:w-300'], // a rotation first: read into a frame
    ['photo4000x3000Progressive', 'w-640'],
    ['jpegBaseline', 'w-100:t-true'],
    ['landscape6', 'w-200'], // orientation 6: decoded and turned, never streamed
  ] as const)('%s with %s gives the same pixels as decoding into a frame first', async (name, transformation) => {
    const { streamed, framed } = await bothWays(name, transformation);
    expectIdentical(streamed, framed, `${name} ${transformation}`);
  });

  it('streams only what is stored upright', async () => {
    const upright = await fixtureBytes(fixtures.landscape1.path);
    const source = await openUpright(upright, probe(upright), { minWidth: 100, minHeight: 75 });
    expect(isFrameSource(source)).toBe(true);
    const turned = await fixtureBytes(fixtures.landscape6.path);
    const info = probe(turned);
    const frame = await openUpright(turned, info, {});
    expect(isFrameSource(frame)).toBe(false);
    expect([frame.width, frame.height]).toEqual([info.height, info.width]);
  });

  it('stops decoding when the reader has what it needs, and the decoder stays good', async () => {
    const bytes = await fixtureBytes(fixtures.photo1000x800.path);
    const source = (await openUpright(bytes, probe(bytes), {})) as FrameSource;
    let rows = 0;
    await source.read((_, count) => {
      rows += count;
      return false;
    });
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(800);
    expect(loadedModules()).toContain('edgepixJpeg');
    const whole = await materialize((await openUpright(bytes, probe(bytes), {})) as FrameSource);
    expect([whole.width, whole.height]).toEqual([1000, 800]);
  });

  it('promises the decoded size before decoding, and keeps that promise', async () => {
    const bytes = await fixtureBytes(fixtures.photo4000x3000.path);
    const source = (await openUpright(bytes, probe(bytes), { minWidth: 800, minHeight: 600 })) as FrameSource;
    expect([source.width, source.height, source.boxFiltered]).toEqual([1000, 750, true]);
    const frame = await materialize(source);
    expect([frame.width, frame.height, frame.boxFiltered]).toEqual([1000, 750, true]);
  });
});

describe('resizing a row source', () => {
  const input = paint(203, 157, false, (x, y) => [(x * 5) & 255, (y * 3) & 255, (x * y) & 255, 255]);
  const withAlpha = paint(203, 157, true, (x, y) => [(x * 5) & 255, (y * 3) & 255, 90, (x + y) & 255]);

  it.each([1, 7, 64, 157])('in strips of %i rows gives the frame resize, bit for bit', async (strip) => {
    for (const frame of [input, withAlpha]) {
      for (const [width, height] of [[80, 61], [20, 15], [300, 232]] as const) {
        const expected = await resizeFrame(frame, width, height);
        const actual = await resizeFrame(rowsOf(frame, strip), width, height);
        expectIdentical(actual, expected, `${width}×${height}, alpha ${frame.hasAlpha}, strips of ${strip}`);
      }
    }
  });

  it('passes on a failing source’s error, and the next resize gets a fresh resampler', async () => {
    const failing: FrameSource = {
      ...rowsOf(input, 16),
      async read(onRows) {
        await rowsOf(input, 16).read((rows, count) => {
          if (count > 0 && rows.byteOffset >= 48 * 203 * 4) throw new CodecError('jpeg decoder', 'bad Huffman code');
          onRows(rows, count);
        });
      },
    };
    const error = await resizeFrame(failing, 80, 61).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as CodecError).codec).toBe('jpeg decoder');
    expect(loadedModules()).not.toContain('edgepixResize');
    expectIdentical(await resizeFrame(rowsOf(input), 80, 61), await resizeFrame(input, 80, 61), 'after the failure');
  });

  it('refuses a source that ends early', async () => {
    const short: FrameSource = { ...rowsOf(input), height: input.height + 10 };
    await expect(resizeFrame(short, 80, 61)).rejects.toThrow(/source ended/);
  });
});

describe('delivery', () => {
  /** testorig.jpg with its scan naming a component the frame does not have: the probe (SOF) is happy, libjpeg is not. */
  async function badScan(): Promise<Uint8Array> {
    const bytes = (await fixtureBytes(fixtures.jpegBaseline.path)).slice();
    const sos = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xda);
    bytes[sos + 5] = 0x09; // first component selector
    return bytes;
  }

  it.each(['w-100', 'rt-90', 'w-100:rt-90'])('a decode error raised while %s reads the rows is the decoder’s 422', async (tr) => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'bad.jpg', await badScan());
    await putOriginal(tenant, 'good.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    const failed = await get(`/${tenant}/tr:${tr}/bad.jpg`);
    expect(failed.status).toBe(422);
    expect(failed.headers.get('content-type')).toContain('application/json');
    expect((await json(failed)).message).toMatch(/^The original could not be decoded as JPEG: .*component/i);
    const good = await get(`/${tenant}/tr:${tr}/good.jpg`);
    expect(good.status).toBe(200);
  });
});
