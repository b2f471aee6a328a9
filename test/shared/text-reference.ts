/**
 * Text rasters for comparison: ours (src/text under Node, the platform fonts read from fonts/) and a reference
 * drawn by Pango through sharp with the same font file. Both are flattened onto white and cropped to their ink,
 * so that layout conventions (Pango's logical box, our padding) do not count, only the glyphs and their places.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Frame } from '../../src/image/frame';
import { BUNDLED_FONT_FILE, registerBundledFont } from '../../src/text/fonts';
import { type FontFiles, renderText, type TextSpec } from '../../src/text/render-text';

export const FONT_DIR = fileURLToPath(new URL('../../fonts/', import.meta.url));
export const fontPath = (file: string) => FONT_DIR + file;

registerBundledFont(new Uint8Array(readFileSync(fontPath(BUNDLED_FONT_FILE))));

/** Platform fonts from fonts/ (what R2 holds in the Worker); tenant fonts from a map of path → file. */
export function diskFonts(tenant: Record<string, string> = {}): FontFiles {
  const read = (path: string) => {
    try {
      return new Uint8Array(readFileSync(path));
    } catch {
      return null;
    }
  };
  return {
    platform: async (file) => read(fontPath(file)),
    tenant: async (path) => (tenant[path] ? { key: `tenant:test:${path}`, read: async () => read(tenant[path]!) } : null),
  };
}

export const BLACK = { r: 0, g: 0, b: 0, a: 255 };

export function textSpec(text: string, extra: Partial<TextSpec> = {}): TextSpec {
  return {
    text,
    font: { family: 'Open Sans' },
    size: 48,
    bold: false,
    italic: false,
    strikethrough: false,
    color: BLACK,
    padding: [0, 0, 0, 0],
    align: 'left',
    letterSpacing: 0,
    ...extra,
  };
}

export const ours = (spec: TextSpec, tenant: Record<string, string> = {}) => renderText(spec, diskFonts(tenant));

/** Pango's rendering (sharp's text input) at 72 dpi, so points are pixels. */
export async function pango(
  text: string,
  file: string,
  family: string,
  size: number,
  extra: { width?: number; align?: 'left' | 'centre' | 'right' } = {},
): Promise<Frame> {
  const { data, info } = await sharp({
    text: { text: escapeMarkup(text), fontfile: fontPath(file), font: `${family} ${size}`, dpi: 72, rgba: true, wrap: 'word', ...extra },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data), hasAlpha: true };
}

const escapeMarkup = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The frame over white, cropped to the box of its ink (alpha above 1/4). */
export function inkOnWhite(frame: Frame): Frame {
  let x0 = frame.width;
  let y0 = frame.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      if (frame.data[(y * frame.width + x) * 4 + 3]! > 64) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return { width: 1, height: 1, data: new Uint8ClampedArray([255, 255, 255, 255]), hasAlpha: false };
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = ((y + y0) * frame.width + x + x0) * 4;
      const d = (y * width + x) * 4;
      const a = frame.data[s + 3]! / 255;
      for (let c = 0; c < 3; c++) data[d + c] = frame.data[s + c]! * a + 255 * (1 - a);
      data[d + 3] = 255;
    }
  }
  return { width, height, data, hasAlpha: false };
}

/** Columns [from, to) of a frame. */
export function columns(frame: Frame, from: number, to: number): Frame {
  const width = to - from;
  const data = new Uint8ClampedArray(width * frame.height * 4);
  for (let y = 0; y < frame.height; y++) {
    data.set(frame.data.subarray((y * frame.width + from) * 4, (y * frame.width + to) * 4), y * width * 4);
  }
  return { width, height: frame.height, data, hasAlpha: frame.hasAlpha };
}

/** Bands of rows that hold ink (a text's lines). */
export function inkBands(frame: Frame): number {
  let bands = 0;
  let inBand = false;
  for (let y = 0; y < frame.height; y++) {
    let ink = false;
    for (let x = 0; x < frame.width && !ink; x++) ink = frame.data[(y * frame.width + x) * 4 + 3]! > 64;
    if (ink && !inBand) bands++;
    inBand = ink;
  }
  return bands;
}
