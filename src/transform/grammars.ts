/** Grammars of the parameters whose values have their own small syntax (bg, b, r, rt, fl, ar, t, di, e-usm). */
import type { Rgba } from '../image/frame';
import { parseExpression, type Expression } from './expression';
import { color, DECIMAL, fail, formatColor, INTEGER, parseColor, required, type ValueGrammar } from './values';

export type Background =
  | { kind: 'color'; color: Rgba }
  | { kind: 'blurred'; amount: number | 'auto'; brightness: number }
  /** The image's most common colour (`dominant`), or a gradient of its 2 or 4 most common (`gradient_dominant[_2|_4]`). */
  | { kind: 'dominant'; colors: 1 | 2 | 4 };

const BG_ACCEPTS =
  'a hex colour RRGGBB or RRGGBBAA (AA is opacity 00–99), a CSS colour name, blurred[_<1-100|auto>[_<N255-255>]], dominant, or gradient_dominant[_2|_4]';

const DOMINANT: Record<string, 1 | 2 | 4> = { dominant: 1, gradient_dominant: 2, gradient_dominant_2: 2, gradient_dominant_4: 4 };

export const background: ValueGrammar<Background> = {
  accepts: BG_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, BG_ACCEPTS);
    if (Object.hasOwn(DOMINANT, text)) return { kind: 'dominant', colors: DOMINANT[text]! };
    if (text === 'blurred' || text.startsWith('blurred_')) {
      const [, amountText = 'auto', brightnessText = '0', ...rest] = text.split('_');
      if (rest.length) fail(key, raw, BG_ACCEPTS);
      let amount: number | 'auto' = 'auto';
      if (amountText !== 'auto') {
        if (!INTEGER.test(amountText)) fail(key, raw, BG_ACCEPTS);
        amount = Number(amountText);
        if (amount < 1 || amount > 100) fail(key, raw, BG_ACCEPTS);
      }
      const negative = brightnessText.startsWith('N');
      const digits = negative ? brightnessText.slice(1) : brightnessText;
      if (!INTEGER.test(digits) || Number(digits) > 255) fail(key, raw, BG_ACCEPTS);
      return { kind: 'blurred', amount, brightness: (negative ? -1 : 1) * Number(digits) };
    }
    const found = parseColor(text);
    if (!found) fail(key, raw, BG_ACCEPTS);
    return { kind: 'color', color: found };
  },
  format(value) {
    if (value.kind === 'color') return formatColor(value.color);
    if (value.kind === 'dominant') return value.colors === 1 ? 'dominant' : `gradient_dominant_${value.colors}`;
    const brightness = value.brightness < 0 ? `N${-value.brightness}` : String(value.brightness);
    return `blurred_${value.amount}_${brightness}`;
  },
};

export interface Border {
  width: number | Expression;
  color: Rgba;
}

const BORDER_ACCEPTS = '<width>_<colour>, e.g. 5_FFF000 (width 1–500 or an expression)';

export const border: ValueGrammar<Border> = {
  accepts: BORDER_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, BORDER_ACCEPTS);
    const cut = text.lastIndexOf('_');
    if (cut <= 0) fail(key, raw, BORDER_ACCEPTS);
    const widthText = text.slice(0, cut);
    const colour = parseColor(text.slice(cut + 1));
    if (!colour) fail(key, raw, BORDER_ACCEPTS);
    if (INTEGER.test(widthText)) {
      const width = Number(widthText);
      if (width < 1 || width > 500) fail(key, raw, BORDER_ACCEPTS);
      return { width, color: colour };
    }
    const expr = parseExpression(widthText);
    if (!expr) fail(key, raw, BORDER_ACCEPTS);
    return { width: expr, color: colour };
  },
  format: (value) =>
    `${typeof value.width === 'number' ? value.width : value.width.source}_${formatColor(value.color)}`,
};

export type Radius = 'max' | { tl: number; tr: number; br: number; bl: number };

const RADIUS_ACCEPTS = 'max, an integer from 1 to 5000, or four integers tl_tr_br_bl';

export const radius: ValueGrammar<Radius> = {
  accepts: RADIUS_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, RADIUS_ACCEPTS);
    if (text === 'max') return 'max';
    const parts = text.split('_');
    if (parts.length !== 1 && parts.length !== 4) fail(key, raw, RADIUS_ACCEPTS);
    const values = parts.map((part) => {
      if (!INTEGER.test(part) || Number(part) > 5000) fail(key, raw, RADIUS_ACCEPTS);
      return Number(part);
    });
    if (values.every((v) => v === 0)) fail(key, raw, RADIUS_ACCEPTS);
    const [tl, tr = tl, br = tl, bl = tl] = values as [number, ...number[]];
    return { tl, tr, br, bl };
  },
  format(value) {
    if (value === 'max') return 'max';
    const { tl, tr, br, bl } = value;
    return tl === tr && tr === br && br === bl ? String(tl) : `${tl}_${tr}_${br}_${bl}`;
  },
};

/** Clockwise degrees normalised to [0, 360), or 'auto' (EXIF, which edgepix always applies). */
export type Rotation = number | 'auto';

const ROTATION_ACCEPTS = 'degrees from 0 to 360 (clockwise), N<degrees> for counter-clockwise, or auto';

export const rotation: ValueGrammar<Rotation> = {
  accepts: ROTATION_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, ROTATION_ACCEPTS);
    if (text === 'auto') return 'auto';
    const negative = text.startsWith('N');
    const digits = negative ? text.slice(1) : text;
    if (!DECIMAL.test(digits) || Number(digits) > 360) fail(key, raw, ROTATION_ACCEPTS);
    const degrees = (negative ? -1 : 1) * Number(digits);
    // Rounded so that N45.3 and 314.7 are the same canonical value, free of float noise.
    return Math.round((((degrees % 360) + 360) % 360) * 1e4) / 1e4;
  },
  format: (value) => String(value),
};

export interface Flip {
  horizontal: boolean;
  vertical: boolean;
}

const FLIP_ACCEPTS = 'h, v, h_v or v_h';

export const flip: ValueGrammar<Flip> = {
  accepts: FLIP_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, FLIP_ACCEPTS);
    if (text === 'h') return { horizontal: true, vertical: false };
    if (text === 'v') return { horizontal: false, vertical: true };
    if (text === 'h_v' || text === 'v_h') return { horizontal: true, vertical: true };
    return fail(key, raw, FLIP_ACCEPTS);
  },
  format: (value) => (value.horizontal && value.vertical ? 'h_v' : value.horizontal ? 'h' : 'v'),
};

/** Aspect ratio `ar-4-3` (the value holds a dash) or an expression such as `iar_div_2`. */
export type AspectRatio = { kind: 'ratio'; width: number; height: number } | { kind: 'expr'; expr: Expression };

const AR_ACCEPTS = '<width>-<height> with positive numbers (e.g. 4-3), or an expression such as iar_div_2';

export const aspectRatio: ValueGrammar<AspectRatio> = {
  accepts: AR_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, AR_ACCEPTS);
    const parts = text.split('-');
    if (parts.length === 2 && parts.every((p) => DECIMAL.test(p) && Number(p) > 0 && Number(p) <= 10000)) {
      return { kind: 'ratio', width: Number(parts[0]), height: Number(parts[1]) };
    }
    const expr = parseExpression(text);
    if (!expr) fail(key, raw, AR_ACCEPTS);
    return { kind: 'expr', expr };
  },
  format: (value) => (value.kind === 'ratio' ? `${value.width}-${value.height}` : value.expr.source),
};

/** Trim threshold: `t-true` is ImageKit's default of 10. */
const TRIM_ACCEPTS = 'true or a threshold from 1 to 99';

export const trim: ValueGrammar<number> = {
  accepts: TRIM_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, TRIM_ACCEPTS);
    if (text === 'true') return 10;
    if (!INTEGER.test(text) || Number(text) < 1 || Number(text) > 99) fail(key, raw, TRIM_ACCEPTS);
    return Number(text);
  },
  format: (value) => String(value),
};

/** A default image path written with `@@` in place of `/`. */
const PATH_ACCEPTS = 'a file path with @@ in place of / (e.g. @@defaults@@missing.jpg), without ".." segments';

export const defaultImagePath: ValueGrammar<string> = {
  accepts: PATH_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, PATH_ACCEPTS);
    const path = text.replaceAll('@@', '/').replace(/^\/+/, '');
    const segments = path.split('/');
    if (!path || path.length > 1024 || segments.some((s) => s === '' || s === '.' || s === '..')) {
      fail(key, raw, PATH_ACCEPTS);
    }
    return path;
  },
  format: (value) => `@@${value.replaceAll('/', '@@')}`,
};

export interface UnsharpMask {
  radius: number;
  sigma: number;
  amount: number;
  threshold: number;
}

const USM_ACCEPTS =
  '<radius>-<sigma>-<amount>-<threshold>, e.g. 2-2-0.8-0.024 (radius 0–100, sigma 0.01–50, amount 0–20, threshold 0–1)';

export const unsharpMask: ValueGrammar<UnsharpMask> = {
  accepts: USM_ACCEPTS,
  parse(raw, key) {
    const parts = required(raw, key, USM_ACCEPTS).split('-');
    if (parts.length !== 4 || !parts.every((p) => DECIMAL.test(p))) fail(key, raw, USM_ACCEPTS);
    const [radiusValue, sigma, amount, threshold] = parts.map(Number) as [number, number, number, number];
    if (radiusValue > 100 || sigma < 0.01 || sigma > 50 || amount > 20 || threshold > 1) {
      fail(key, raw, USM_ACCEPTS);
    }
    return { radius: radiusValue, sigma, amount, threshold };
  },
  format: (v) => `${v.radius}-${v.sigma}-${v.amount}-${v.threshold}`,
};

/** `e-sharpen` bare (ImageKit's default strength) or `e-sharpen-<1..99>`. */
export const sharpenLevel: ValueGrammar<number | true> = {
  accepts: 'no value, or a level from 1 to 99',
  parse(raw, key) {
    if (raw === undefined || raw === 'true') return true;
    if (!INTEGER.test(raw) || Number(raw) < 1 || Number(raw) > 99) fail(key, raw, 'no value, or a level from 1 to 99');
    return Number(raw);
  },
  format: (value) => (value === true ? '' : String(value)),
};

export { color };
