/**
 * The text engine inside workerd, on the modules and font the Worker bundles: platform fonts come from R2 on
 * first use (a script the requested font lacks falls back to them), the text module's memory stays bounded.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmMemoryByModule } from '../../../src/codecs/wasm/instances';
import type { Frame } from '../../../src/image/frame';
import { PLATFORM_FONT_PREFIX, readPlatformFont } from '../../../src/text/fonts';
import { type FontFiles, renderText, type TextSpec } from '../../../src/text/render-text';
import { textSpec } from '../../shared/text-spec';
import { putPlatformFonts } from './platform-fonts';

const files = (bucket: R2Bucket): FontFiles => ({ platform: (file) => readPlatformFont(bucket, file), tenant: async () => null });

const spec = (text: string, extra: Partial<TextSpec> = {}): TextSpec => textSpec(text, { align: 'center', ...extra });

const ink = (f: Frame) => {
  let sum = 0;
  for (let i = 3; i < f.data.length; i += 4) sum += f.data[i]!;
  return sum / 255;
};

beforeAll(putPlatformFonts);

describe('text in the Worker', () => {
  it('draws with the bundled default font without R2', async () => {
    const frame = await renderText(spec('Hello'), { platform: (file) => readPlatformFont(undefined, file), tenant: async () => null });
    expect(frame.height).toBeGreaterThan(48);
    expect(frame.width).toBeGreaterThan(100);
    expect(ink(frame)).toBeGreaterThan(500);
  });

  it('reads a platform family from R2', async () => {
    const mono = await renderText(spec('iiii', { font: { family: 'Noto Sans Mono' } }), files(env.MEDIA));
    const sans = await renderText(spec('iiii'), files(env.MEDIA));
    expect(mono.width).toBeGreaterThan(sans.width * 1.5); // monospaced i's are as wide as any letter
  });

  it('falls back to Noto Sans Arabic for Arabic text, which without it draws missing-glyph boxes', async () => {
    const text = 'مرحبا';
    const emptyBucket = { get: async () => null } as unknown as R2Bucket;
    const boxes = await renderText(spec(text), files(emptyBucket));
    const withFallback = await renderText(spec(text), files(env.MEDIA)); // a missing file is not remembered
    expect(withFallback.width).not.toBe(boxes.width);
    expect(ink(withFallback)).not.toBe(ink(boxes));
    expect(await env.MEDIA.head(`${PLATFORM_FONT_PREFIX}NotoSansArabic-Regular.ttf`)).not.toBeNull();
  });

  it('keeps the text module within 48 MB of WASM memory for a 16-megapixel-bound box', async () => {
    const text = 'Wide text that wraps over many lines. '.repeat(30);
    const frame = await renderText(spec(text, { size: 120, width: 3800 }), files(env.MEDIA));
    expect(frame.width * frame.height).toBeGreaterThan(4e6);
    expect(wasmMemoryByModule().edgepixText).toBeLessThan(48 * 2 ** 20);
  });
});
