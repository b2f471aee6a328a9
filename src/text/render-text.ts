/**
 * Renders a text layer's box: text shaped and laid out (layout.ts), drawn anti-aliased in its colour over its
 * background, with padding. Limits are checked from the layout, before any pixel is allocated. Fonts are opened
 * first (prepareText, the only step that awaits), so that measuring and drawing are synchronous.
 */
import { HttpError } from '../http/errors';
import { createFrame, type Frame, type Rgba } from '../image/frame';
import { drawGlyph, type OpenFont, STYLE_BOLD, STYLE_ITALIC, type TextModule, textModule } from './engine';
import {
  DEFAULT_FAMILY,
  fallbackFamilies,
  type FontRequest,
  type FontStyle,
  openFonts,
  PLATFORM_FAMILIES,
  type PlatformFamily,
  platformFamily,
  platformFile,
} from './fonts';
import { type Layout, layoutText } from './layout';

export const TEXT_LIMITS = {
  /** Characters of text (ImageKit truncates `i-` text at 2000). */
  maxChars: 2000,
  /** Font size, px. */
  maxFontSize: 1000,
  /** Either side of the rendered box, px (ImageKit refuses text layers beyond 16383 px). */
  maxSide: 16383,
  /** The rendered box, megapixels. */
  maxMegapixels: 16,
};

export interface TextSpec {
  text: string;
  /** A platform family name (`ff-Roboto`), or a font file in the tenant's media library. */
  font: { family: string } | { tenantPath: string };
  size: number;
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  color: Rgba;
  background?: Rgba;
  /** top, right, bottom, left, px. */
  padding: [number, number, number, number];
  align: 'left' | 'center' | 'right';
  /** Baseline-to-baseline px; undefined: the font's. */
  lineHeight?: number;
  letterSpacing: number;
  /** Width of the text box (the text wraps within it), px, padding excluded. */
  width?: number;
}

export interface FontFiles {
  /** A platform font file (bundled or from R2). */
  platform(file: string): Promise<Uint8Array | null>;
  /** Resolves a tenant's font path to a cache identity and a reader; null when there is no such file. */
  tenant(path: string): Promise<FontRequest | null>;
}

const fontError = (value: string, why: string) =>
  new HttpError(400, `Invalid transformation parameter ff: ${why}`, `ff takes a platform font (${PLATFORM_FAMILIES.map((f) => f.name.replaceAll(' ', '')).join(', ')}) or the path of a TTF/OTF file in your media library with @@ for / (ff-fonts@@brand.ttf); got "${value}".`);

const limitError = (key: string, message: string) =>
  new HttpError(400, `Invalid transformation parameter ${key}: ${message}`, 'Use shorter text, a smaller font size or a narrower wrap width (w).');

/** A text's fonts, open and held in the text module until release(): what measureText and drawText need. */
export interface PreparedText {
  module: TextModule;
  /** The requested font first, then fallbacks. */
  fonts: OpenFont[];
  /** Synthetic styles for the requested font's missing bold or italic face. */
  flags: number;
  release(): void;
}

type FontChoice = Pick<TextSpec, 'text' | 'font' | 'bold' | 'italic' | 'size'>;

/**
 * Checks the text and font size against the limits and opens the fonts: the requested one (a 400 naming `ff`
 * when there is no such font), the platform families that stand in for scripts it may lack, and the default.
 */
export async function prepareText(spec: FontChoice, files: FontFiles): Promise<PreparedText> {
  if ([...spec.text].length > TEXT_LIMITS.maxChars) {
    throw limitError('i', `text is longer than ${TEXT_LIMITS.maxChars} characters`);
  }
  if (!(spec.size >= 1 && spec.size <= TEXT_LIMITS.maxFontSize)) {
    throw limitError('fs', `font size ${Math.round(spec.size)} is not within 1–${TEXT_LIMITS.maxFontSize} px`);
  }
  const style: FontStyle = spec.bold ? (spec.italic ? 'bold_italic' : 'bold') : spec.italic ? 'italic' : 'regular';
  const styleFlags = (synthetic: boolean) => (synthetic ? (spec.bold ? STYLE_BOLD : 0) | (spec.italic ? STYLE_ITALIC : 0) : 0);
  const requests: { request: FontRequest; synthetic: number }[] = [];
  const platform = (family: PlatformFamily) => {
    const { file, synthetic } = platformFile(family, style);
    requests.push({ request: { key: `platform:${file}`, read: () => files.platform(file) }, synthetic: styleFlags(synthetic) });
  };
  const requested = 'family' in spec.font ? platformFamily(spec.font.family) : undefined;
  if ('family' in spec.font) {
    if (!requested) throw fontError(spec.font.family, `unknown font "${spec.font.family}"`);
    platform(requested);
  } else {
    const request = await files.tenant(spec.font.tenantPath);
    if (!request) throw fontError(spec.font.tenantPath, `no font file at "${spec.font.tenantPath}"`);
    requests.push({ request, synthetic: styleFlags(true) });
  }
  for (const family of fallbackFamilies(spec.text)) if (family !== requested) platform(family);
  const fallback = platformFamily(DEFAULT_FAMILY)!;
  if (requested !== fallback) platform(fallback);

  const module = await textModule();
  const opened = await openFonts(module, requests.map((r) => r.request));
  if (!opened.fonts[0]) {
    opened.release();
    const name = 'family' in spec.font ? spec.font.family : spec.font.tenantPath;
    throw fontError(name, 'family' in spec.font ? `font "${name}" is not installed` : `"${name}" is not a TrueType or OpenType font`);
  }
  // One synthetic style for the whole text, the requested font's: a fallback with a real bold face would
  // otherwise be emboldened twice.
  return { module, fonts: opened.fonts.filter((f) => f !== null), flags: requests[0]!.synthetic, release: opened.release };
}

/** The size of the text's box (padding included), checked against the limits; nothing is drawn. */
export function measureText(spec: TextSpec, prepared: PreparedText): { width: number; height: number } {
  return box(spec, layout(spec, prepared)).size;
}

/** Draws the text's box. */
export function drawText(spec: TextSpec, prepared: PreparedText): Frame {
  const laidOut = layout(spec, prepared);
  const { size, contentWidth } = box(spec, laidOut);
  return draw(prepared, spec, laidOut, size, contentWidth);
}

/** Prepares, draws and releases: one text on its own (tests, benchmarks). */
export async function renderText(spec: TextSpec, files: FontFiles): Promise<Frame> {
  const prepared = await prepareText(spec, files);
  try {
    return drawText(spec, prepared);
  } finally {
    prepared.release();
  }
}

function layout(spec: TextSpec, prepared: PreparedText): Layout {
  return layoutText(prepared.module, spec.text, prepared.fonts, {
    size: spec.size,
    style: prepared.flags,
    letterSpacing: spec.letterSpacing,
    lineHeight: spec.lineHeight,
    maxWidth: spec.width,
  });
}

function box(spec: TextSpec, laidOut: Layout): { size: { width: number; height: number }; contentWidth: number } {
  const [top, right, bottom, left] = spec.padding;
  const contentWidth = spec.width ?? Math.ceil(laidOut.width64 / 64);
  const width = Math.max(1, Math.round(contentWidth + left + right));
  const height = Math.max(1, Math.ceil(laidOut.height64 / 64) + Math.round(top + bottom));
  if (width > TEXT_LIMITS.maxSide || height > TEXT_LIMITS.maxSide) {
    throw limitError('fs', `the text would be ${width}×${height} px, over ${TEXT_LIMITS.maxSide} px on a side`);
  }
  if (width * height > TEXT_LIMITS.maxMegapixels * 1e6) {
    throw limitError('fs', `the text would be ${((width * height) / 1e6).toFixed(1)} megapixels, over ${TEXT_LIMITS.maxMegapixels}`);
  }
  return { size: { width, height }, contentWidth };
}

function draw(prepared: PreparedText, spec: TextSpec, laidOut: Layout, size: { width: number; height: number }, contentWidth: number): Frame {
  const { module, flags } = prepared;
  const { width, height } = size;
  const [top, , , left] = spec.padding;
  const pointer = module.exports.malloc(width * height);
  if (!pointer) throw new RangeError('text: out of memory for the canvas');
  let coverage: Uint8Array;
  try {
    module.bytes().fill(0, pointer, pointer + width * height);
    const canvas = { pointer, width, height };
    const contentWidth64 = contentWidth * 64;
    for (const line of laidOut.lines) {
      const free = contentWidth64 - line.width64;
      const offset = spec.align === 'left' ? 0 : spec.align === 'right' ? free : free / 2;
      const x0 = Math.round(left * 64 + offset);
      const y0 = Math.round(top * 64);
      for (const g of line.glyphs) {
        drawGlyph(module, g.font, g.glyph, Math.round(spec.size * 64), x0 + g.x64, y0 + g.y64, flags, canvas);
      }
    }
    coverage = new Uint8Array(module.exports.memory.buffer.slice(pointer, pointer + width * height));
  } finally {
    module.exports.free(pointer);
  }
  if (spec.strikethrough) strike(coverage, width, height, laidOut, spec, top, left, contentWidth);
  return colour(coverage, width, height, spec.color, spec.background);
}

/** A bar through each line at the font's strikeout position. */
function strike(
  coverage: Uint8Array,
  width: number,
  height: number,
  layout: Layout,
  spec: TextSpec,
  top: number,
  left: number,
  contentWidth: number,
): void {
  for (const line of layout.lines) {
    const free = contentWidth - line.width64 / 64;
    const x0 = Math.round(left + (spec.align === 'left' ? 0 : spec.align === 'right' ? free : free / 2));
    const x1 = Math.min(width, Math.round(x0 + line.width64 / 64));
    const y0 = Math.round(top + (line.baseline64 - layout.strikeout64.position) / 64);
    const y1 = Math.min(height, y0 + Math.max(1, Math.round(layout.strikeout64.size / 64)));
    for (let y = Math.max(0, y0); y < y1; y++) coverage.fill(255, y * width + Math.max(0, x0), y * width + x1);
  }
}

/** Coverage → RGBA: the text colour over the background ("over", straight alpha). */
function colour(coverage: Uint8Array, width: number, height: number, fg: Rgba, bg: Rgba | undefined): Frame {
  const frame = createFrame(width, height, true);
  const out = frame.data;
  const back = bg ?? { r: 0, g: 0, b: 0, a: 0 };
  for (let i = 0, o = 0; i < coverage.length; i++, o += 4) {
    const a = (coverage[i]! * fg.a) / 255 / 255; // text alpha 0–1
    const b = back.a / 255;
    const alpha = a + b * (1 - a);
    if (alpha === 0) continue;
    out[o] = (fg.r * a + back.r * b * (1 - a)) / alpha;
    out[o + 1] = (fg.g * a + back.g * b * (1 - a)) / alpha;
    out[o + 2] = (fg.b * a + back.b * b * (1 - a)) / alpha;
    out[o + 3] = alpha * 255 + 0.5;
  }
  frame.hasAlpha = !(bg && bg.a === 255);
  return frame;
}
