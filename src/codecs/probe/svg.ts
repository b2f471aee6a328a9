/**
 * SVG's "header": the root `<svg>` start tag, found in the text after any BOM, XML declaration, comments,
 * processing instructions and doctype. Its width, height and viewBox give the size the document declares, read
 * the way resvg reads them, so limits are checked before anything is rendered.
 */
import type { DecodeHint, ImageInfo } from '../types';
import { malformed } from './errors';

/** How much of the start of a file is read as text when looking for the `<svg` root. */
const HEAD_BYTES = 64 * 1024;

/** The root start tag (up to its `>` outside quotes, or as much as was read), or undefined if this is no SVG. */
export function svgRootTag(bytes: Uint8Array): string | undefined {
  // The decoder drops a UTF-8 byte order mark itself.
  const text = new TextDecoder().decode(bytes.subarray(0, HEAD_BYTES));
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const skipTo = (end: string) => {
      const at = text.indexOf(end, i);
      return at === -1 ? -1 : at + end.length;
    };
    let next: number;
    if (text.startsWith('<?', i)) next = skipTo('?>');
    else if (text.startsWith('<!--', i)) next = skipTo('-->');
    else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) next = skipDoctype(text, i);
    else break;
    if (next === -1) return undefined;
    i = next;
  }
  if (!/^<svg[\s/>]/.test(text.slice(i, i + 5))) return undefined;
  return rootTag(text, i);
}

/** The end of a doctype, which may carry an internal subset in brackets (with `>` inside it). */
function skipDoctype(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') depth--;
    else if (text[i] === '>' && depth <= 0) return i + 1;
  }
  return -1;
}

function rootTag(text: string, start: number): string {
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return text.slice(start, i);
  }
  return text.slice(start);
}

/** An attribute's value, or undefined. Preceded by whitespace, so `stroke-width` is not `width`. */
export function svgAttribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(["'])([^"']*)\\1`).exec(tag);
  return match?.[2]?.trim();
}

// CSS absolute units in px (96 per inch), and em/ex at resvg's default font size of 12.
const UNITS: Record<string, number> = { '': 1, px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 4 / 3, pc: 16, em: 12, ex: 6 };

/** A length in px; a percentage is of `reference` (the viewBox's side). Undefined when absent; NaN when unreadable. */
function length(value: string | undefined, reference: number): number | undefined {
  if (value === undefined) return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%|[a-z]*)$/.exec(value);
  if (!match) return Number.NaN;
  const number = Number(match[1]);
  if (match[2] === '%') return (number / 100) * reference;
  const unit = UNITS[match[2]!];
  return unit === undefined ? Number.NaN : number * unit;
}

/** A side beyond this is no image anyone can mean (the megapixel limits refuse far smaller ones). */
const MAX_DECLARED_SIDE = 1e7;

/**
 * The size the document declares: `width`/`height` (default 100 %, of the viewBox), else the viewBox's size;
 * rounded up to whole pixels, as resvg sizes its canvas. A document with neither is refused (malformed).
 */
export function probeSvg(bytes: Uint8Array): ImageInfo {
  const tag = svgRootTag(bytes);
  if (tag === undefined) throw malformed('no <svg> root element');
  const viewBox = svgAttribute(tag, 'viewBox')?.split(/[\s,]+/).map(Number);
  const box = viewBox?.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0 ? viewBox : undefined;
  const widthText = svgAttribute(tag, 'width') ?? '100%';
  const heightText = svgAttribute(tag, 'height') ?? '100%';
  // Without a viewBox, resvg sizes a relative root by what it draws: known only once drawn, so not accepted.
  if (!box && (widthText.endsWith('%') || heightText.endsWith('%'))) {
    throw malformed('the <svg> root declares neither a viewBox nor an absolute width and height');
  }
  const width = length(widthText, box?.[2] ?? 0)!;
  const height = length(heightText, box?.[3] ?? 0)!;
  if (!(width > 0 && height > 0 && width <= MAX_DECLARED_SIDE && height <= MAX_DECLARED_SIDE)) {
    throw malformed('the <svg> root declares no usable width, height or viewBox');
  }
  return {
    format: 'svg',
    width: Math.ceil(width - 1e-6),
    height: Math.ceil(height - 1e-6),
    orientation: 1,
    hasAlpha: true,
    frames: 1,
    bitDepth: 8,
  };
}

/**
 * The raster size for `hint`: the declared size scaled, up or down, so that both sides hold at least the size
 * the steps need (aspect kept, rounded up); the declared size without a hint.
 */
export function svgRasterSize(info: Pick<ImageInfo, 'width' | 'height'>, hint: DecodeHint): { width: number; height: number } {
  const { width, height } = info;
  if (!hint.minWidth && !hint.minHeight) return { width, height };
  const scale = Math.max((hint.minWidth ?? 0) / width, (hint.minHeight ?? 0) / height);
  return { width: Math.max(1, Math.ceil(width * scale - 1e-9)), height: Math.max(1, Math.ceil(height * scale - 1e-9)) };
}

/**
 * What resvg holds per pixel drawn, from what the document uses: its canvas and the straight copy handed out
 * (12 bytes), a canvas-sized layer for each group it must draw apart (opacity, mask, clip-path, filter: 4 bytes
 * each, at most 32 counted), and a filter's working buffers (32 more). Measured with `npm run bench:svg`: 9.7
 * bytes a pixel for a plain icon, 43 for a document with one blurred group; a document nesting more than 32
 * isolated groups can take more than counted.
 */
export function svgBytesPerPixel(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes);
  const isolated = text.match(/(?:\s|;|")(?:opacity|mask|clip-path|filter)\s*[=:]/g)?.length ?? 0;
  const filtered = /<filter[\s>]/.test(text);
  return 12 + 4 * Math.min(isolated, 32) + (filtered ? 32 : 0);
}
