/**
 * Host side of wasm/text (HarfBuzz shaping, FreeType rasterising): opens fonts, shapes runs, draws glyphs
 * into a coverage canvas. One instance per isolate; fonts live in its memory until the font cache closes them.
 */
import { instantiateStandalone, type StandaloneExports, type StandaloneModule } from '../codecs/wasm/standalone';
import { shared } from '../codecs/wasm/instances';

interface TextExports extends StandaloneExports {
  font_open(data: number, size: number): number;
  font_close(font: number): void;
  font_metrics(font: number): number;
  font_glyph(font: number, codepoint: number): number;
  shape(
    font: number,
    text: number,
    textLength: number,
    start: number,
    length: number,
    rtl: number,
    size64: number,
    style: number,
  ): number;
  shape_glyphs(): number;
  draw_glyph(
    font: number,
    glyph: number,
    size64: number,
    x64: number,
    y64: number,
    style: number,
    canvas: number,
    width: number,
    height: number,
  ): number;
}

export type TextModule = StandaloneModule<TextExports>;

/** Synthetic styles, drawn by FreeType and measured by HarfBuzz alike (wasm/text/text.c). */
export const STYLE_BOLD = 1;
export const STYLE_ITALIC = 2;

/** A font's vertical metrics in font units (what the layout needs). */
export interface FontMetrics {
  unitsPerEm: number;
  ascender: number;
  /** Negative: below the baseline. */
  descender: number;
  lineGap: number;
  strikeoutPosition: number;
  strikeoutSize: number;
}

/** A font opened in the module: a pointer into its memory, valid until closeFont. */
export interface OpenFont {
  pointer: number;
  metrics: FontMetrics;
  /** Bytes the font holds in WASM memory (its file). */
  bytes: number;
}

/** One shaped glyph, positions in 1/64 px; clusters index the UTF-32 paragraph. */
export interface ShapedGlyph {
  glyph: number;
  cluster: number;
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

const create = async (): Promise<TextModule> => instantiateStandalone<TextExports>('edgepixText');

/** The isolate's text module (its open fonts belong to it: fonts.ts keeps them per instance). */
export const textModule = (): Promise<TextModule> => shared('edgepixText', create);

/** Opens a font file; null when FreeType or HarfBuzz cannot read it as a scalable font. */
export function openFont(module: TextModule, file: Uint8Array): OpenFont | null {
  const data = module.copyIn(file);
  const pointer = module.exports.font_open(data, file.byteLength); // takes the copy, frees it on failure
  if (!pointer) return null;
  const m = new Int32Array(module.exports.memory.buffer, module.exports.font_metrics(pointer), 8);
  return {
    pointer,
    bytes: file.byteLength,
    metrics: {
      unitsPerEm: m[0]!,
      ascender: m[1]!,
      descender: m[2]!,
      lineGap: m[3]!,
      strikeoutPosition: m[4]!,
      strikeoutSize: m[5]!,
    },
  };
}

export const closeFont = (module: TextModule, font: OpenFont) => module.exports.font_close(font.pointer);

export const hasGlyph = (module: TextModule, font: OpenFont, codepoint: number) =>
  module.exports.font_glyph(font.pointer, codepoint) !== 0;

/** Shapes `text[start, start + length)` (the whole paragraph, as UTF-32 in the module at `text`, is context). */
export function shapeRun(
  module: TextModule,
  font: OpenFont,
  text: { pointer: number; length: number },
  start: number,
  length: number,
  rtl: boolean,
  size64: number,
  style: number,
): ShapedGlyph[] {
  const count = module.exports.shape(font.pointer, text.pointer, text.length, start, length, rtl ? 1 : 0, size64, style);
  if (count < 0) throw new RangeError('text: out of memory shaping');
  const g = new Int32Array(module.exports.memory.buffer, module.exports.shape_glyphs(), count * 5);
  const glyphs: ShapedGlyph[] = [];
  for (let i = 0; i < count; i++) {
    glyphs.push({ glyph: g[i * 5]!, cluster: g[i * 5 + 1]!, xAdvance: g[i * 5 + 2]!, xOffset: g[i * 5 + 3]!, yOffset: g[i * 5 + 4]! });
  }
  return glyphs;
}

/** Copies a paragraph into the module as UTF-32; the caller frees `pointer`. */
export function copyText(module: TextModule, codepoints: Uint32Array): { pointer: number; length: number } {
  const pointer = module.copyIn(new Uint8Array(codepoints.buffer, codepoints.byteOffset, codepoints.byteLength));
  return { pointer, length: codepoints.length };
}

export function drawGlyph(
  module: TextModule,
  font: OpenFont,
  glyph: number,
  size64: number,
  x64: number,
  y64: number,
  style: number,
  canvas: { pointer: number; width: number; height: number },
): void {
  const error = module.exports.draw_glyph(font.pointer, glyph, size64, x64, y64, style, canvas.pointer, canvas.width, canvas.height);
  if (error !== 0) throw new RangeError(`text: FreeType error ${error} drawing glyph ${glyph}`);
}
