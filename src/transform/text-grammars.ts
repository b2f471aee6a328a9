/** Grammars of the text layer's parameters (`l-text`): font, size, padding, typography, alignment. */
import { PLATFORM_FAMILIES, platformFamily } from '../text/fonts';
import { TEXT_LIMITS } from '../text/render-text';
import { parseExpression } from './expression';
import { coordinate, type Coordinate, fail, INTEGER, oneOf, required, type ValueGrammar } from './values';

/** A size in px or an expression of the parent's size (`bh_mul_0.05`). */
export type TextLength = Coordinate;

/** `fs`: 1–1000 px, or an expression. */
export const fontSize: ValueGrammar<TextLength> = {
  ...coordinate(TEXT_LIMITS.maxFontSize),
  accepts: `an integer from 1 to ${TEXT_LIMITS.maxFontSize} (px), or an expression such as bh_mul_0.05`,
  parse(raw, key) {
    const value = coordinate(TEXT_LIMITS.maxFontSize).parse(raw, key);
    if (value.kind === 'px' && value.value < 1) fail(key, raw, fontSize.accepts);
    return value;
  },
};

/** `lh`: baseline-to-baseline distance, 1–16383 px, or an expression. */
export const lineHeight: ValueGrammar<TextLength> = {
  ...coordinate(16383),
  accepts: 'an integer from 1 to 16383 (px between baselines), or an expression such as bh_mul_0.1',
};

export type FontName = { kind: 'platform'; family: string } | { kind: 'file'; path: string };

const FONT_ACCEPTS = `a platform font (${PLATFORM_FAMILIES.map((f) => f.name.replaceAll(' ', '')).join(', ')}) or the path of a .ttf/.otf file in the media library with @@ for / (fonts@@brand.ttf)`;

/** `ff`: a platform family (case, spaces, `-` and `_` ignored) or a font file's path (`@@` for `/`). */
export const fontName: ValueGrammar<FontName> = {
  accepts: FONT_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, FONT_ACCEPTS);
    if (text.includes('@@') || /\.(ttf|otf)$/i.test(text)) {
      const path = text.replaceAll('@@', '/').replace(/^\/+/, '');
      const segments = path.split('/');
      if (path.length > 1024 || !/\.(ttf|otf)$/i.test(path) || segments.some((s) => s === '' || s === '.' || s === '..')) {
        fail(key, raw, FONT_ACCEPTS);
      }
      return { kind: 'file', path };
    }
    const family = platformFamily(text);
    if (!family) fail(key, raw, FONT_ACCEPTS);
    return { kind: 'platform', family: family.name };
  },
  format: (value) => (value.kind === 'file' ? value.path.replaceAll('/', '@@') : value.family.replaceAll(' ', '')),
};

/** top, right, bottom, left: each px or an expression. */
export type Padding = [TextLength, TextLength, TextLength, TextLength];

const PADDING_ACCEPTS = '1 to 4 integers from 0 to 1000 joined by _ in CSS order (10, 10_20, 10_20_30_40), or one expression';

/** `pa`: CSS shorthand with `_` (`10`, `10_20`, `10_20_30`, `10_20_30_40`), or one expression for all sides. */
export const padding: ValueGrammar<Padding> = {
  accepts: PADDING_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, PADDING_ACCEPTS);
    const expr = parseExpression(text);
    if (expr) {
      const value = { kind: 'expr', expr } as const;
      return [value, value, value, value];
    }
    const parts = text.split('_');
    if (parts.length > 4 || parts.some((p) => !INTEGER.test(p) || Number(p) > 1000)) fail(key, raw, PADDING_ACCEPTS);
    const px = parts.map((p) => ({ kind: 'px', value: Number(p) }) as const);
    const [t, r = t, b = t, l = r] = px;
    return [t!, r, b, l];
  },
  format(value) {
    const [t, r, b, l] = value.map((v) => (v.kind === 'expr' ? v.expr.source : String(v.value)));
    if (value[0].kind === 'expr') return t!;
    if (r === l) return b === t ? (r === t ? t! : `${t}_${r}`) : `${t}_${r}_${b}`;
    return `${t}_${r}_${b}_${l}`;
  },
};

export interface Typography {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
}

const TYPOGRAPHY_ACCEPTS = 'b, i, strikethrough or a combination joined by _ (b_i, b_i_strikethrough)';

/** `tg`: `b`, `i`, `strikethrough`, in any combination joined by `_`. */
export const typography: ValueGrammar<Typography> = {
  accepts: TYPOGRAPHY_ACCEPTS,
  parse(raw, key) {
    const parts = required(raw, key, TYPOGRAPHY_ACCEPTS).split('_');
    if (parts.some((p) => !['b', 'i', 'strikethrough'].includes(p)) || new Set(parts).size !== parts.length) {
      fail(key, raw, TYPOGRAPHY_ACCEPTS);
    }
    return { bold: parts.includes('b'), italic: parts.includes('i'), strikethrough: parts.includes('strikethrough') };
  },
  format: (v) => [v.bold && 'b', v.italic && 'i', v.strikethrough && 'strikethrough'].filter(Boolean).join('_'),
};

export type InnerAlignment = 'left' | 'center' | 'right';
export const innerAlignment = oneOf<InnerAlignment>(['left', 'center', 'right']);
