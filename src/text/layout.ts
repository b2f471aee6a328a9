/**
 * Lays text out into positioned glyphs: paragraphs at explicit line breaks, the Unicode bidi algorithm
 * (bidi-js) for levels, a font for each character (the requested one, else a fallback that has the glyph),
 * HarfBuzz runs of one level and one font, greedy line filling at spaces within the wrap width (a word wider
 * than the line breaks between clusters), then each line's runs in visual order (UAX #9 L2).
 */
import bidiFactory from 'bidi-js';
import {
  copyText,
  type OpenFont,
  type ShapedGlyph,
  shapeRun,
  type TextModule,
  hasGlyph,
} from './engine';

const bidi = bidiFactory();

export interface LayoutOptions {
  /** Font size in px. */
  size: number;
  /** STYLE_BOLD | STYLE_ITALIC. */
  style: number;
  /** Extra px after every cluster. */
  letterSpacing: number;
  /** Baseline-to-baseline distance in px; undefined: the fonts' own (ascent + descent + line gap). */
  lineHeight?: number;
  /** Wrap width in px; undefined: lines break only at explicit line breaks. */
  maxWidth?: number;
}

export interface PlacedGlyph {
  font: OpenFont;
  glyph: number;
  /** Pen position on the baseline, 1/64 px from the line's left edge (x) and the text's top (y). */
  x64: number;
  y64: number;
}

export interface Line {
  glyphs: PlacedGlyph[];
  /** Advance width in 1/64 px (trailing spaces left out). */
  width64: number;
  /** Baseline, 1/64 px from the text's top. */
  baseline64: number;
  /** Whether the paragraph reads right to left (for alignment that follows the text's start). */
  rtl: boolean;
}

export interface Layout {
  lines: Line[];
  /** The widest line, 1/64 px. */
  width64: number;
  /** Top of the first line to the bottom of the last, 1/64 px. */
  height64: number;
  /** The primary font's strikeout position above the baseline and thickness, 1/64 px. */
  strikeout64: { position: number; size: number };
}

interface Run {
  start: number;
  end: number;
  level: number;
  font: OpenFont;
}

const isSpace = (cp: number) => cp === 0x20 || cp === 0x3000 || cp === 0x09;

/**
 * `fonts[0]` is the requested font; the others are fallbacks, tried in order for characters it lacks. A
 * character no font has is drawn with the requested font's missing-glyph box.
 */
export function layoutText(module: TextModule, text: string, fonts: OpenFont[], options: LayoutOptions): Layout {
  const size64 = Math.round(options.size * 64);
  const spacing64 = Math.round(options.letterSpacing * 64);
  const max64 = options.maxWidth === undefined ? Infinity : Math.round(options.maxWidth * 64);
  const primary = fonts[0]!;
  const scale = (units: number, font: OpenFont) => (units * size64) / font.metrics.unitsPerEm;
  const lines: Line[] = [];
  let previousBaseline = 0;
  let previousBottom = 0;
  let first = true;

  for (const paragraph of text.split(/\r\n|\n|\r|\u2029/)) {
    const cps = Uint32Array.from(Array.from(paragraph, (c) => c.codePointAt(0)!));
    const levels = paragraphLevels(paragraph, cps.length);
    const rtl = (levels.base & 1) === 1;
    const fontOf = chooseFonts(module, cps, fonts);
    const textPointer = copyText(module, cps.length > 0 ? cps : new Uint32Array(1));
    try {
      const text32 = { pointer: textPointer.pointer, length: cps.length };
      // Advances per character for breaking (the cluster's advance on its first character).
      const advance = new Float64Array(cps.length);
      for (const run of runsOf(0, cps.length, levels.levels, fontOf)) {
        for (const g of shapeRun(module, run.font, text32, run.start, run.end - run.start, (run.level & 1) === 1, size64, options.style)) {
          advance[g.cluster] = advance[g.cluster]! + g.xAdvance;
        }
      }
      for (let i = 0; i < cps.length; i++) if (advance[i]! > 0) advance[i] = advance[i]! + spacing64;
      for (const [start, end] of breakLines(cps, advance, max64)) {
        const lineRuns = visualOrder(runsOf(start, trimEnd(cps, start, end), levels.levels, fontOf));
        const glyphs: { font: OpenFont; g: ShapedGlyph }[] = [];
        for (const run of lineRuns) {
          for (const g of shapeRun(module, run.font, text32, run.start, run.end - run.start, (run.level & 1) === 1, size64, options.style)) {
            glyphs.push({ font: run.font, g });
          }
        }
        const used = new Set(glyphs.map((g) => g.font));
        if (used.size === 0) used.add(primary);
        const ascent = Math.max(...[...used].map((f) => scale(f.metrics.ascender, f)));
        const descent = Math.max(...[...used].map((f) => -scale(f.metrics.descender, f)));
        const gap = Math.max(...[...used].map((f) => scale(f.metrics.lineGap, f)));
        const baseline64 = Math.round(
          first ? ascent : options.lineHeight === undefined ? previousBottom + gap + ascent : previousBaseline + options.lineHeight * 64,
        );
        let pen = 0;
        const placed: PlacedGlyph[] = [];
        let lastCluster = -1;
        for (const { font, g } of glyphs) {
          placed.push({ font, glyph: g.glyph, x64: pen + g.xOffset, y64: baseline64 - g.yOffset });
          pen += g.xAdvance;
          if (g.cluster !== lastCluster && g.xAdvance > 0) pen += spacing64;
          lastCluster = g.cluster;
        }
        const width64 = Math.max(0, pen - (glyphs.length > 0 ? spacing64 : 0));
        lines.push({ glyphs: placed, width64, baseline64, rtl });
        previousBaseline = baseline64;
        previousBottom = baseline64 + Math.round(descent);
        first = false;
      }
    } finally {
      module.exports.free(textPointer.pointer);
    }
  }
  return {
    lines,
    width64: Math.max(0, ...lines.map((l) => l.width64)),
    height64: previousBottom,
    strikeout64: {
      position: Math.round(scale(primary.metrics.strikeoutPosition, primary)),
      size: Math.max(64, Math.round(scale(primary.metrics.strikeoutSize, primary))),
    },
  };
}

/** Embedding levels per code point (bidi-js counts UTF-16 units), and the paragraph's base level. */
function paragraphLevels(paragraph: string, count: number): { levels: Uint8Array; base: number } {
  const result = bidi.getEmbeddingLevels(paragraph);
  const levels = new Uint8Array(count);
  let unit = 0;
  for (let i = 0; i < count; i++) {
    levels[i] = result.levels[unit]!;
    unit += paragraph.codePointAt(unit)! > 0xffff ? 2 : 1;
  }
  return { levels, base: result.paragraphs[0]?.level ?? 0 };
}

/**
 * The font of each character: the previous character's font when it has the glyph (marks, joiners and spaces
 * stay in their word's run), else the first font in order that has it, else the requested font.
 */
function chooseFonts(module: TextModule, cps: Uint32Array, fonts: OpenFont[]): OpenFont[] {
  const chosen: OpenFont[] = [];
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const previous = chosen[i - 1];
    if (previous && previous !== fonts[0] && hasGlyph(module, previous, cp)) {
      chosen.push(previous);
      continue;
    }
    chosen.push(fonts.find((f) => hasGlyph(module, f, cp)) ?? fonts[0]!);
  }
  return chosen;
}

function runsOf(start: number, end: number, levels: Uint8Array, fontOf: OpenFont[]): Run[] {
  const runs: Run[] = [];
  for (let i = start; i < end; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i] && last.font === fontOf[i]) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i]!, font: fontOf[i]! });
  }
  return runs;
}

/** UAX #9 L2: from the highest level down to the lowest odd one, reverse every sequence of runs at or above it. */
function visualOrder(runs: Run[]): Run[] {
  if (runs.length === 0) return runs;
  const order = [...runs];
  const highest = Math.max(...order.map((r) => r.level));
  const lowestOdd = Math.min(...order.map((r) => (r.level & 1 ? r.level : r.level + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < order.length; ) {
      if (order[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && order[j]!.level >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  return order;
}

/** The end of the line without its trailing spaces. */
function trimEnd(cps: Uint32Array, start: number, end: number): number {
  while (end > start && isSpace(cps[end - 1]!)) end--;
  return end;
}

/**
 * Greedy lines within `max64`: breaks after spaces; a word wider than a line on its own breaks between
 * clusters. Returns [start, end) code point ranges (each line keeps its trailing spaces; layout trims them).
 */
function breakLines(cps: Uint32Array, advance: Float64Array, max64: number): [number, number][] {
  if (cps.length === 0) return [[0, 0]];
  const words: [number, number][] = [];
  for (let i = 0; i < cps.length; ) {
    let j = i;
    while (j < cps.length && !isSpace(cps[j]!)) j++;
    while (j < cps.length && isSpace(cps[j]!)) j++;
    words.push([i, j]);
    i = j;
  }
  const prefix = new Float64Array(cps.length + 1);
  for (let i = 0; i < cps.length; i++) prefix[i + 1] = prefix[i]! + advance[i]!;
  const width = (start: number, end: number) => prefix[trimEnd(cps, start, end)]! - prefix[start]!;
  const lines: [number, number][] = [];
  let lineStart = 0;
  let lineEnd = 0;
  for (const [start, end] of words) {
    if (lineEnd > lineStart && width(lineStart, end) > max64) {
      lines.push([lineStart, lineEnd]);
      lineStart = start;
    }
    lineEnd = end;
    // A word alone wider than the line: cut it between clusters.
    while (width(lineStart, lineEnd) > max64) {
      let cut = lineStart;
      let sum = 0;
      while (cut < lineEnd && (sum + advance[cut]! <= max64 || cut === lineStart)) {
        sum += advance[cut]!;
        cut++;
        while (cut < lineEnd && advance[cut] === 0 && !isSpace(cps[cut]!)) cut++; // keep marks with their base
      }
      if (cut >= trimEnd(cps, lineStart, lineEnd)) break;
      lines.push([lineStart, cut]);
      lineStart = cut;
    }
  }
  lines.push([lineStart, lineEnd]);
  return lines;
}
