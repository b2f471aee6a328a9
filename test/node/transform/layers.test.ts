/**
 * Layers in the grammar: path and query forms, chained steps inside a layer, nesting, the SDK's solid blocks, one
 * canonical form for equivalent URLs, and clear 400s for what layers do not take (l-text, lso/leo/ldu on images,
 * too deep, too many, unclosed).
 */
import ImageKit from '@imagekit/nodejs';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { everyLayer, LayerError, MAX_LAYER_DEPTH, MAX_LAYERS } from '../../../src/transform/layers';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { thrownBy } from './expect-errors';

const px = (value: number) => ({ kind: 'px', value });

function expectLayerError(text: string, fragment: string): void {
  const error = thrownBy(() => parseTransformation(text));
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(400);
  expect((error as HttpError).message).toContain(fragment);
}

describe('parsing layers', () => {
  it('reads an image layer with position and chained steps inside it', () => {
    const t = parseTransformation('w-300,l-image,i-@@brand@@logo.png,lx-10,ly-N20,w-100:rt-90,l-end,h-200');
    expect(t.steps).toHaveLength(1);
    const step = t.steps[0]!;
    expect(step.w).toEqual(px(300));
    expect(step.h).toEqual(px(200));
    expect(step.l).toEqual([
      { kind: 'image', input: 'brand/logo.png', params: { lx: px(10), ly: px(-20) }, steps: [{ w: px(100) }, { rt: 90 }] },
    ]);
  });

  it('keeps layers of separate chained steps in their steps', () => {
    const t = parseTransformation('w-300:l-image,i-a.png,l-end:l-image,i-b.png,lfo-top_left,l-end');
    expect(t.steps.map((s) => s.l?.map((l) => l.input))).toEqual([undefined, ['a.png'], ['b.png']]);
  });

  it('reads ie- as base64 or base64url, and ie wins over i', () => {
    const path = 'folder/ünïcode logo.png';
    const b64 = Buffer.from(path).toString('base64');
    const layer = parseTransformation(`l-image,i-other.png,ie-${b64},l-end`).steps[0]!.l![0]!;
    expect(layer.input).toBe(path);
    const url = Buffer.from(path).toString('base64url');
    expect(parseTransformation(`l-image,ie-${url},l-end`).steps[0]!.l![0]!.input).toBe(path);
  });

  it('reads solid blocks as the SDK writes them', () => {
    const layer = parseTransformation('l-image,i-ik_canvas,bg-FF000080,w-bw_mul_0.5,h-40,r-10,al-5,l-end').steps[0]!.l![0]!;
    expect(layer.kind).toBe('solid');
    expect(layer.params).toEqual({ al: 5 });
    expect(layer.steps[0]!.r).toEqual({ tl: 10, tr: 10, br: 10, bl: 10 });
  });

  it('nests layers up to three levels, counting every layer', () => {
    const nested = 'l-image,i-a.png,l-image,i-b.png,l-image,i-c.png,l-end,l-end,l-end';
    const found = everyLayer(parseTransformation(nested).steps);
    expect(found.map((f) => [f.layer.input, f.depth])).toEqual([
      ['a.png', 1],
      ['b.png', 2],
      ['c.png', 3],
    ]);
    expectLayerError('l-image,i-a.png,'.repeat(MAX_LAYER_DEPTH + 1) + 'l-end,'.repeat(MAX_LAYER_DEPTH + 1), `${MAX_LAYER_DEPTH} levels`);
    expectLayerError(Array.from({ length: MAX_LAYERS + 1 }, () => 'l-image,i-a.png,l-end').join(','), `${MAX_LAYERS} layers`);
  });

  it('refuses what layers do not take with a 400 that says why', () => {
    expectLayerError('l-subtitles,i-a.srt,l-end', 'Subtitle layers');
    expectLayerError('l-text,l-end', 'needs its text');
    expectLayerError('l-image,i-a.png,fs-20,l-end', '"fs" does not apply');
    expectLayerError('l-video,i-a.mp4,l-end', 'video');
    expectLayerError('l-image,i-a.png,lso-5,ldu-2,l-end', 'lso, ldu are for video only');
    expectLayerError('l-image,i-a.png,al-5,l-end', '"al" does not apply');
    expectLayerError('l-image,i-a.png', 'has no l-end');
    expectLayerError('w-100,l-end', '"l-end" has no l-');
    expectLayerError('lx-10', 'belongs inside a layer');
    expectLayerError('l-image,i-a.png,q-50,l-end', 'whole output');
    expectLayerError('l-image,i-@@..@@secret.png,l-end', '".." segments');
    expectLayerError('l-image,l-end', 'needs a file path');
    expectLayerError('l-image,i-a.png,lx-1,lxc-5,l-end', 'lx or lxc, not both');
    expect(thrownBy(() => parseTransformation('l-image,i-a.png,lx-bogus,l-end'))).toMatchObject({ status: 400, param: 'lx' });
  });

  it('reads layers inside conditional branches, and keeps them in the canonical form', () => {
    const text = 'if-w_gt_100,l-image,i-big.png,lfo-top_left,l-end,if-else,l-image,i-small.png,l-end,if-end';
    const t = parseTransformation(text);
    expect(everyLayer(t.steps).map((f) => f.layer.input)).toEqual(['big.png', 'small.png']);
    expect(canonicalize(parseTransformation(canonicalize(t)))).toBe(canonicalize(t));
    expect(canonicalize(t)).toContain('l-image,i-small.png,l-end');
    expectLayerError('l-image,i-a.png,if-w_gt_1,w-1,if-end,l-end', 'cannot be inside a layer');
  });

  it('refuses layer variables outside layers', () => {
    expect(thrownBy(() => parseTransformation('w-bw_div_2'))).toMatchObject({ status: 400, param: 'w' });
  });
});

describe('canonical form of layers', () => {
  it('is one text for equivalent URLs, and parses back to the same transformation', () => {
    const equivalent = [
      'l-image,i-brand@@logo.png,lx-10,w-100,ly-N5,l-end',
      'l-image,i-@@brand@@logo.png,ly-N5,w-100,lx-10,l-end',
      `l-image,ie-${Buffer.from('brand/logo.png').toString('base64')},w-100,lx-10,ly-N5,l-end`,
    ];
    const texts = equivalent.map((u) => canonicalize(parseTransformation(u)));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toBe('l-image,i-brand@@logo.png,lx-10,ly-N5,w-100,l-end');
    const t = parseTransformation(texts[0]!);
    expect(canonicalize(t)).toBe(texts[0]);
  });

  it('writes nested layers, chained layer steps, solid blocks and non-plain paths so they parse back', () => {
    for (const text of [
      'w-300,l-image,i-a.png,lfo-bottom_right,w-50:rt-90,l-image,i-ik_canvas,al-3,w-10,h-10,bg-00FF00,l-end,l-end',
      `l-image,ie-${Buffer.from('a,b:c é.png').toString('base64')},l-end`,
      'l-image,i-a.png,lx-N0,ly-bh_sub_lh_sub_10,o-50,l-end',
    ]) {
      const once = canonicalize(parseTransformation(text));
      expect(canonicalize(parseTransformation(once))).toBe(once);
      expect(parseTransformation(once)).toEqual(parseTransformation(text));
    }
  });

  it('leaves o-100 out and keeps other opacities', () => {
    expect(canonicalize(parseTransformation('w-10,o-100'))).toBe('w-10');
    expect(canonicalize(parseTransformation('w-10,o-40'))).toBe('w-10,o-40');
  });
});

describe('URLs from @imagekit/nodejs', () => {
  const sdk = new ImageKit({ privateKey: 'private_test' });
  const transformationOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.searchParams.get('tr') ?? decodeURIComponent(parsed.pathname.split('/')[2]!).replace(/^tr:/, '');
  };

  it('parses image and solid colour overlays in both positions to the same canonical form', () => {
    const texts = (['path', 'query'] as const).map((transformationPosition) =>
      canonicalize(
        parseTransformation(
          transformationOf(
            sdk.helper.buildSrc({
              urlEndpoint: 'https://ik.example/demo',
              src: '/photo.jpg',
              transformationPosition,
              transformation: [
                { width: 400 },
                { overlay: { type: 'image', input: '/brand/logo é.png', position: { x: 10, y: 'N10' }, transformation: [{ width: 50, opacity: 60 }] } },
                { overlay: { type: 'solidColor', color: 'FF0000', position: { focus: 'top_right' }, transformation: [{ width: 40, height: 20, radius: 5, alpha: 5 }] } },
              ],
            }),
          ),
        ),
      ),
    );
    expect(texts[0]).toBe(texts[1]);
    const t = parseTransformation(texts[0]!);
    expect(t.steps[1]!.l![0]).toMatchObject({ kind: 'image', input: 'brand/logo é.png', params: { lx: px(10), ly: px(-10) } });
    expect(t.steps[2]!.l![0]).toMatchObject({ kind: 'solid', params: { lfo: 'top_right', al: 5 } });
  });

  it('parses text overlays with every text parameter, in both positions, to one canonical form that parses back', () => {
    const texts = (['path', 'query'] as const).map((transformationPosition) =>
      canonicalize(
        parseTransformation(
          transformationOf(
            sdk.helper.buildSrc({
              urlEndpoint: 'https://ik.example/demo',
              src: '/photo.jpg',
              transformationPosition,
              transformation: [
                {
                  overlay: {
                    type: 'text',
                    text: 'Hello, مرحبا',
                    position: { x: 10, y: 'N10' },
                    transformation: [
                      {
                        fontSize: 'bh_mul_0.1',
                        fontFamily: 'NotoSansArabic',
                        fontColor: 'FF0000',
                        background: '00000080',
                        padding: '10_20',
                        innerAlignment: 'right',
                        lineHeight: 50,
                        typography: 'i_b',
                        width: 300,
                        radius: 8,
                        rotation: 'N15',
                        flip: 'h',
                        alpha: 7,
                      },
                    ],
                  },
                },
              ],
            }),
          ),
        ),
      ),
    );
    expect(texts[0]).toBe(texts[1]);
    const t = parseTransformation(texts[0]!);
    expect(canonicalize(t)).toBe(texts[0]);
    expect(t.steps[0]!.l![0]).toMatchObject({
      kind: 'text',
      input: 'Hello, مرحبا',
      params: { ff: { kind: 'platform', family: 'Noto Sans Arabic' }, ia: 'right', al: 7, tg: { bold: true, italic: true, strikethrough: false } },
    });
    expect(texts[0]).toContain('ff-NotoSansArabic');
    expect(texts[0]).toContain('tg-b_i');
  });
});
