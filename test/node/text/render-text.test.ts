/**
 * The text engine (wasm/text: HarfBuzz + FreeType) against Pango (sharp's text renderer, which shapes with
 * HarfBuzz and draws with FreeType/cairo) with the same font files: Latin with kerning, Arabic (joined,
 * right to left), Devanagari (conjuncts, reordered vowel signs), wrapping at a width, and the order of
 * right-to-left words. Each comparison also has a negative control, so the threshold is shown to tell apart.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeWasmModules } from '../../../bench/wasm-modules';
import { HttpError } from '../../../src/http/errors';
import { structuralSimilarity } from '../../shared/similarity';
import { columns, fontPath, inkBands, inkOnWhite, ours, pango, textSpec } from '../../shared/text-reference';

beforeAll(registerNodeWasmModules);

// SSIM of the same text drawn by both engines (measured 0.79–0.91: Pango places glyphs on whole pixels, we on
// 1/64) is above SAME; wrong shaping or order (measured 0.0–0.34) is below DIFFERENT.
const SAME = 0.75;
const DIFFERENT = 0.5;

async function compare(text: string, file: string, family: string, extra: Parameters<typeof textSpec>[1] = {}) {
  const mine = inkOnWhite(await ours(textSpec(text, { font: { family }, ...extra })));
  const reference = inkOnWhite(await pango(text, file, family, extra.size ?? 48));
  return { mine, reference, ssim: structuralSimilarity(reference, mine) };
}

describe('text against Pango with the same font', () => {
  it('Latin with kerning', async () => {
    const { mine, reference, ssim } = await compare('AVATAR Today, WAVE', 'OpenSans-Regular.ttf', 'Open Sans');
    expect(ssim).toBeGreaterThan(SAME);
    expect(Math.abs(mine.width - reference.width)).toBeLessThanOrEqual(3);
    expect(Math.abs(mine.height - reference.height)).toBeLessThanOrEqual(3);
    const other = inkOnWhite(await pango('AVATAR Toady, WEAV', 'OpenSans-Regular.ttf', 'Open Sans', 48));
    expect(structuralSimilarity(other, mine)).toBeLessThan(DIFFERENT);
  });

  it('Arabic: joined letters, right to left', async () => {
    const text = 'مرحبا بالعالم';
    const { mine, reference, ssim } = await compare(text, 'NotoSansArabic-Regular.ttf', 'Noto Sans Arabic');
    expect(ssim).toBeGreaterThan(SAME);
    expect(Math.abs(mine.width - reference.width)).toBeLessThanOrEqual(3);
    // The same letters unjoined (each isolated by a zero-width non-joiner) do not pass for the joined text.
    const unjoined = inkOnWhite(await pango([...text].join('\u200c'), 'NotoSansArabic-Regular.ttf', 'Noto Sans Arabic', 48));
    expect(structuralSimilarity(unjoined, mine)).toBeLessThan(DIFFERENT);
  });

  it('Devanagari: conjuncts and vowel signs', async () => {
    const text = 'नमस्ते दुनिया क्षत्रिय';
    const { mine, reference, ssim } = await compare(text, 'NotoSansDevanagari-Regular.ttf', 'Noto Sans Devanagari');
    expect(ssim).toBeGreaterThan(SAME);
    expect(Math.abs(mine.width - reference.width)).toBeLessThanOrEqual(3);
    const broken = inkOnWhite(await pango([...text].join('\u200c'), 'NotoSansDevanagari-Regular.ttf', 'Noto Sans Devanagari', 48));
    expect(structuralSimilarity(broken, mine)).toBeLessThan(DIFFERENT);
  });

  it('Arabic in the default font falls back to Noto Sans Arabic', async () => {
    const text = 'مرحبا بالعالم';
    const mine = inkOnWhite(await ours(textSpec(text)));
    const reference = inkOnWhite(await pango(text, 'NotoSansArabic-Regular.ttf', 'Noto Sans Arabic', 48));
    expect(structuralSimilarity(reference, mine)).toBeGreaterThan(SAME);
  });

  it('wraps at the width like Pango, at the same words', async () => {
    const text = 'The quick brown fox jumps over the lazy dog near the riverbank';
    const mine = await ours(textSpec(text, { size: 32, width: 300 }));
    const reference = await pango(text, 'OpenSans-Regular.ttf', 'Open Sans', 32, { width: 300 });
    expect(mine.width).toBe(300);
    expect(inkBands(mine)).toBe(inkBands(reference));
    expect(inkBands(mine)).toBeGreaterThanOrEqual(3);
    expect(structuralSimilarity(inkOnWhite(reference), inkOnWhite(mine))).toBeGreaterThan(SAME);
  });
});

describe('layout', () => {
  it('puts the first of right-to-left words on the right', async () => {
    const first = 'واحد';
    const second = 'اثنان';
    const line = inkOnWhite(await ours(textSpec(`${first} ${second}`, { font: { family: 'Noto Sans Arabic' } })));
    const alone = inkOnWhite(await ours(textSpec(first, { font: { family: 'Noto Sans Arabic' } })));
    const right = columns(line, line.width - alone.width, line.width);
    const left = columns(line, 0, alone.width);
    expect(structuralSimilarity(alone, right)).toBeGreaterThan(0.9);
    expect(structuralSimilarity(alone, left)).toBeLessThan(0.6);
  });

  it('bold, italic and strikethrough change the ink', async () => {
    const plain = await ours(textSpec('Hello'));
    const bold = await ours(textSpec('Hello', { bold: true }));
    const italic = await ours(textSpec('Hello', { italic: true }));
    const struck = await ours(textSpec('Hello', { strikethrough: true }));
    const ink = (f: { data: Uint8ClampedArray }) => f.data.filter((_, i) => i % 4 === 3).reduce((s, a) => s + a, 0);
    expect(ink(bold)).toBeGreaterThan(ink(plain) * 1.2);
    expect(structuralSimilarity(inkOnWhite(plain), inkOnWhite(italic))).toBeLessThan(0.9);
    expect(ink(struck)).toBeGreaterThan(ink(plain));
  });

  it('paints the background and padding, and the colour', async () => {
    const frame = await ours(
      textSpec('Hi', { color: { r: 255, g: 0, b: 0, a: 255 }, background: { r: 0, g: 0, b: 255, a: 255 }, padding: [10, 20, 10, 20] }),
    );
    expect(frame.data.subarray(0, 4)).toEqual(new Uint8ClampedArray([0, 0, 255, 255]));
    const reds = frame.data.filter((_, i) => i % 4 === 0 && frame.data[i]! > 200 && frame.data[i + 2]! < 50).length;
    expect(reds).toBeGreaterThan(50);
    const bare = await ours(textSpec('Hi'));
    expect(frame.width).toBe(bare.width + 40);
    expect(frame.height).toBe(bare.height + 20);
  });

  it('loads a tenant font by path', async () => {
    const frame = await ours(textSpec('Mono', { font: { tenantPath: 'fonts/mono.ttf' } }), { 'fonts/mono.ttf': fontPath('NotoSansMono-Regular.ttf') });
    const reference = inkOnWhite(await pango('Mono', 'NotoSansMono-Regular.ttf', 'Noto Sans Mono', 48));
    expect(structuralSimilarity(reference, inkOnWhite(frame))).toBeGreaterThan(SAME);
  });

  it('refuses unknown fonts, files that are not fonts, and text over the limits with a 400 naming the parameter', async () => {
    const refused = async (promise: Promise<unknown>) => {
      const error = await promise.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      return error as HttpError;
    };
    expect((await refused(ours(textSpec('x', { font: { family: 'Comic Sans' } })))).message).toMatch(/parameter ff:/);
    expect((await refused(ours(textSpec('x', { font: { tenantPath: 'nope.ttf' } })))).status).toBe(400);
    const notFont = await refused(ours(textSpec('x', { font: { tenantPath: 'a.ttf' } }), { 'a.ttf': fontPath('README.md') }));
    expect(notFont.message).toMatch(/ff:.*not a TrueType/);
    expect((await refused(ours(textSpec('x'.repeat(2001))))).message).toMatch(/parameter i:/);
    expect((await refused(ours(textSpec('x', { size: 1001 })))).message).toMatch(/parameter fs:/);
    expect((await refused(ours(textSpec('W'.repeat(1500), { size: 900 })))).message).toMatch(/over 16383 px/);
  });
});
