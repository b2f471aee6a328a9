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
import { textSpec } from './text-spec';

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

export { BLACK, textSpec } from './text-spec';

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

export { columns, inkBands, inkOnWhite } from './ink';
