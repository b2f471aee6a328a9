/**
 * Grammars of the effects whose values are lists of `name-value` parts joined by `_` (`e-shadow`, `e-gradient`)
 * or a mode and its numbers (`e-distort`). Parts may come in any order; the canonical form writes them in a fixed
 * order and leaves defaults out, so `e-shadow-bl-10` and `e-shadow` share a variant.
 */
import type { Rgba } from '../image/frame';
import { parseExpression, type Expression } from './expression';
import { DECIMAL, fail, formatColor, INTEGER, parseColor, type ValueGrammar } from './values';

/**
 * Splits `a-1_b-x_y_c-2` into its parts by their names. A word that does not start a known `name-` continues
 * the value before it, so values that hold `_` themselves (`ld-top_right`, `sp-ih_div_2`) stay whole.
 */
function namedParts(raw: string, names: readonly string[], key: string, accepts: string): Map<string, string> {
  const parts = new Map<string, string>();
  let current: string | undefined;
  for (const word of raw.split('_')) {
    const dash = word.indexOf('-');
    const name = dash > 0 ? word.slice(0, dash) : '';
    if (names.includes(name)) {
      if (parts.has(name)) fail(key, raw, accepts);
      current = name;
      parts.set(name, word.slice(dash + 1));
    } else if (current !== undefined) {
      parts.set(current, `${parts.get(current)}_${word}`);
    } else {
      fail(key, raw, accepts);
    }
  }
  return parts;
}

/** A decimal with at most four places, `N` for negatives when `signed`, within [min, max]; NaN otherwise. */
function decimal(text: string, min: number, max: number, signed: boolean): number {
  const negative = signed && text.startsWith('N');
  const digits = negative ? text.slice(1) : text;
  if (!DECIMAL.test(digits)) return Number.NaN;
  const value = (negative ? -1 : 1) * Number(digits);
  return value >= min && value <= max ? value : Number.NaN;
}

// The largest side the grammar takes (params.ts's MAX_PX, which imports this file).
const MAX_PX = 16383;

const signed = (value: number) => (value < 0 ? `N${-value}` : String(value));

export interface Shadow {
  /** `bl`, 0–15: how soft the shadow's edge is (a Gaussian of sigma bl / 2, as `bl` blurs). */
  blur: number;
  /** `st`, 0–100: how dark the shadow is (its opacity in per cent). */
  saturation: number;
  /** `x`, `y`: the shadow's offset in per cent of the image's width and height; negative with `N`. */
  x: number;
  y: number;
}

export const SHADOW_DEFAULTS: Shadow = { blur: 10, saturation: 30, x: 2, y: 2 };
const SHADOW_ACCEPTS =
  'no value, or any of bl-<0-15>, st-<0-100>, x-<[N]0-100>, y-<[N]0-100> joined by _ (e.g. bl-15_st-40_x-10_y-N5)';
const SHADOW_RANGES: Record<string, [keyof Shadow, number, number, boolean]> = {
  bl: ['blur', 0, 15, false],
  st: ['saturation', 0, 100, false],
  x: ['x', -100, 100, true],
  y: ['y', -100, 100, true],
};

export const shadow: ValueGrammar<Shadow> = {
  accepts: SHADOW_ACCEPTS,
  parse(raw, key) {
    const value = { ...SHADOW_DEFAULTS };
    if (raw === undefined || raw === 'true') return value;
    for (const [name, text] of namedParts(raw, Object.keys(SHADOW_RANGES), key, SHADOW_ACCEPTS)) {
      const [field, min, max, negatives] = SHADOW_RANGES[name]!;
      const number = decimal(text, min, max, negatives);
      if (Number.isNaN(number)) fail(key, raw, SHADOW_ACCEPTS);
      value[field] = number;
    }
    return value;
  },
  format(value) {
    const parts = Object.entries(SHADOW_RANGES)
      .filter(([, [field]]) => value[field] !== SHADOW_DEFAULTS[field])
      .map(([name, [field]]) => `${name}-${signed(value[field])}`);
    return parts.join('_');
  },
};

/** Where the gradient's `to` colour is reached: a fraction of the gradient line, pixels along it, or an expression. */
export type StopPoint = { kind: 'fraction'; value: number } | { kind: 'px'; value: number } | { kind: 'expr'; expr: Expression };

export interface Gradient {
  /** The direction it runs towards, in degrees clockwise from up (CSS's `linear-gradient` angle): 180 is downwards. */
  degrees: number;
  from: Rgba;
  to: Rgba;
  stop: StopPoint;
}

const DIRECTIONS: Record<string, number> = {
  top: 0,
  top_right: 45,
  right: 90,
  bottom_right: 135,
  bottom: 180,
  bottom_left: 225,
  left: 270,
  top_left: 315,
  // As ImageKit's own table spells it.
  topleft: 315,
};
const GRADIENT_ACCEPTS =
  'no value, or any of ld-<0-359 or top, top_right, right, bottom_right, bottom, bottom_left, left, top_left>, ' +
  'from-<colour>, to-<colour> (RRGGBB, RRGGBBAA with AA the opacity 00–99, or a CSS name), ' +
  'sp-<0.01-0.99 of the way, an integer number of pixels (1 = all the way), or an expression> joined by _';
const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 255 };
const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, a: 0 };
export const GRADIENT_DEFAULTS: Gradient = { degrees: 180, from: WHITE, to: TRANSPARENT, stop: { kind: 'fraction', value: 1 } };

function parseStop(text: string): StopPoint | undefined {
  if (INTEGER.test(text)) {
    const value = Number(text);
    if (value < 1 || value > MAX_PX) return undefined;
    // ImageKit reads 1 as 100 % and larger integers as pixels.
    return value === 1 ? { kind: 'fraction', value: 1 } : { kind: 'px', value };
  }
  if (DECIMAL.test(text)) {
    const value = Number(text);
    return value >= 0.01 && value <= 0.99 ? { kind: 'fraction', value } : undefined;
  }
  const expr = parseExpression(text);
  return expr && { kind: 'expr', expr };
}

const formatStop = (stop: StopPoint) => (stop.kind === 'expr' ? stop.expr.source : String(stop.value));

export const gradient: ValueGrammar<Gradient> = {
  accepts: GRADIENT_ACCEPTS,
  parse(raw, key) {
    const value: Gradient = { ...GRADIENT_DEFAULTS };
    if (raw === undefined || raw === 'true') return value;
    for (const [name, text] of namedParts(raw, ['ld', 'from', 'to', 'sp'], key, GRADIENT_ACCEPTS)) {
      if (name === 'ld') {
        const degrees = Object.hasOwn(DIRECTIONS, text) ? DIRECTIONS[text]! : INTEGER.test(text) ? Number(text) : Number.NaN;
        if (!(degrees >= 0 && degrees <= 359)) fail(key, raw, GRADIENT_ACCEPTS);
        value.degrees = degrees;
      } else if (name === 'sp') {
        const stop = parseStop(text);
        if (!stop) fail(key, raw, GRADIENT_ACCEPTS);
        value.stop = stop;
      } else {
        const colour = parseColor(text);
        if (!colour) fail(key, raw, GRADIENT_ACCEPTS);
        value[name as 'from' | 'to'] = colour;
      }
    }
    return value;
  },
  format(value) {
    const d = GRADIENT_DEFAULTS;
    const parts: string[] = [];
    if (value.degrees !== d.degrees) parts.push(`ld-${value.degrees}`);
    if (formatColor(value.from) !== formatColor(d.from)) parts.push(`from-${formatColor(value.from)}`);
    if (formatColor(value.to) !== formatColor(d.to)) parts.push(`to-${formatColor(value.to)}`);
    if (formatStop(value.stop) !== formatStop(d.stop)) parts.push(`sp-${formatStop(value.stop)}`);
    return parts.join('_');
  },
};

/** `p-`: where the image's corners go (top left, top right, bottom right, bottom left); `a-`: an arc of so many degrees. */
export type Distort =
  | { kind: 'perspective'; points: [number, number, number, number, number, number, number, number] }
  | { kind: 'arc'; degrees: number };

const DISTORT_ACCEPTS =
  `p-x1_y1_x2_y2_x3_y3_x4_y4 (the corners' new places in pixels, clockwise from the top left; N for negatives, ` +
  `at most ${MAX_PX}) or a-<degrees> (an arc of 1–360 degrees, curving upwards; N<degrees> curves downwards)`;

export const distort: ValueGrammar<Distort> = {
  accepts: DISTORT_ACCEPTS,
  parse(raw, key) {
    if (raw?.startsWith('p-')) {
      const words = raw.slice(2).split('_');
      const points = words.map((w) => (/^N?\d+$/.test(w) ? decimal(w, -MAX_PX, MAX_PX, true) : Number.NaN));
      if (points.length !== 8 || points.some(Number.isNaN)) fail(key, raw, DISTORT_ACCEPTS);
      return { kind: 'perspective', points: points as Extract<Distort, { kind: 'perspective' }>['points'] };
    }
    if (raw?.startsWith('a-')) {
      const degrees = decimal(raw.slice(2), -360, 360, true);
      if (Number.isNaN(degrees) || Math.abs(degrees) < 1) fail(key, raw, DISTORT_ACCEPTS);
      return { kind: 'arc', degrees };
    }
    return fail(key, raw, DISTORT_ACCEPTS);
  },
  format: (value) => (value.kind === 'arc' ? `a-${signed(value.degrees)}` : `p-${value.points.map(signed).join('_')}`),
};
