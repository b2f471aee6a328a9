/**
 * Value grammars for the parameter table. Each builder returns a parser that either yields a typed value or
 * throws BadParam naming the parameter and what it accepts, so bad input is a 400 by construction.
 */
import type { Rgba } from '../image/frame';
import { hexToRgba, parseCssColorName } from '../image/colors';
import { BadParam } from './errors';
import { type Expression, parseExpression } from './expression';

export interface ValueGrammar<V> {
  /** Human-readable, used in error messages and docs. */
  accepts: string;
  /** `raw` is undefined for a bare key such as `e-grayscale`. */
  parse(raw: string | undefined, key: string): V;
  /** Canonical text of a value (`''` for a bare flag). Equal values must format identically. */
  format(value: V): string;
}

// At most four decimals: enough for any real parameter, and String() never turns such values into exponents.
const DECIMAL = /^\d+(\.\d{1,4})?$/;
const INTEGER = /^\d+$/;

function fail(key: string, raw: string | undefined, accepts: string): never {
  throw new BadParam(key, raw, accepts);
}

function required(raw: string | undefined, key: string, accepts: string): string {
  if (raw === undefined || raw === '') fail(key, raw, accepts);
  return raw;
}

/** A decimal number in [min, max]; `N` prefix for negatives when min < 0. */
export function numberIn(min: number, max: number, opts: { integer?: boolean } = {}): ValueGrammar<number> {
  const kind = opts.integer ? 'an integer' : 'a number';
  const accepts = `${kind} from ${min} to ${max}${min < 0 ? ' (N prefix for negatives, e.g. N10)' : ''}`;
  return {
    accepts,
    parse(raw, key) {
      const text = required(raw, key, accepts);
      const negative = text.startsWith('N') && min < 0;
      const digits = negative ? text.slice(1) : text;
      if (!(opts.integer ? INTEGER : DECIMAL).test(digits)) fail(key, raw, accepts);
      const value = (negative ? -1 : 1) * Number(digits);
      if (value < min || value > max) fail(key, raw, accepts);
      return value;
    },
    format: (value) => (value < 0 ? `N${-value}` : String(value)),
  };
}

export function oneOf<T extends string>(values: readonly T[], aliases: Record<string, T> = {}): ValueGrammar<T> {
  const accepts = [...values, ...Object.keys(aliases)].join(', ');
  return {
    accepts,
    parse(raw, key) {
      const text = required(raw, key, accepts);
      if ((values as readonly string[]).includes(text)) return text as T;
      if (Object.hasOwn(aliases, text)) return aliases[text]!;
      return fail(key, raw, accepts);
    },
    format: (value) => value,
  };
}

/**
 * A grammar built from others whose own messages would say less than the whole: any BadParam they throw is
 * rethrown with `accepts`, the full list of what the parameter takes.
 */
export function withAccepts<V>(accepts: string, grammar: Omit<ValueGrammar<V>, 'accepts'>): ValueGrammar<V> {
  return {
    accepts,
    parse(raw, key) {
      try {
        return grammar.parse(raw, key);
      } catch (error) {
        if (error instanceof BadParam) fail(key, raw, accepts);
        throw error;
      }
    },
    format: (value) => grammar.format(value),
  };
}

export const bool: ValueGrammar<boolean> = {
  accepts: 'true or false',
  parse(raw, key) {
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    return fail(key, raw, 'true or false');
  },
  format: (value) => String(value),
};

/** A bare key such as `e-grayscale`; `-true` is tolerated because SDKs sometimes emit it. */
export const flag: ValueGrammar<true> = {
  accepts: 'no value (a bare flag)',
  parse(raw, key) {
    if (raw === undefined || raw === 'true') return true;
    return fail(key, raw, 'no value (a bare flag)');
  },
  format: () => '',
};

/** A length: pixels, a fraction of the current image, or an arithmetic expression. */
export type Length =
  | { kind: 'px'; value: number }
  | { kind: 'fraction'; value: number }
  | { kind: 'expr'; expr: Expression };

export const length = (maxPx: number): ValueGrammar<Length> =>
  pixelsOrExpression(`an integer from 1 to ${maxPx}, a fraction between 0 and 1 (e.g. 0.5), or an expression such as iw_div_2`, 1, maxPx, true);

/** A coordinate (x, y, xc, yc): a non-negative integer or an expression. */
export type Coordinate = { kind: 'px'; value: number } | { kind: 'expr'; expr: Expression };

export const coordinate = (maxPx: number) =>
  // Without fractions the grammar never makes one, so every value it parses is a Coordinate.
  pixelsOrExpression(`an integer from 0 to ${maxPx}, or an expression such as iw_div_4`, 0, maxPx, false) as ValueGrammar<Coordinate>;

/** Whole pixels from `minPx` to `maxPx`, a fraction of the current size when `fractions`, or an expression. */
function pixelsOrExpression(accepts: string, minPx: number, maxPx: number, fractions: boolean): ValueGrammar<Length> {
  return {
    accepts,
    parse(raw, key) {
      const text = required(raw, key, accepts);
      if (INTEGER.test(text)) {
        const value = Number(text);
        if (value < minPx || value > maxPx) fail(key, raw, accepts);
        return { kind: 'px', value };
      }
      if (fractions && DECIMAL.test(text)) {
        const value = Number(text);
        if (!(value > 0 && value < 1)) fail(key, raw, accepts);
        return { kind: 'fraction', value };
      }
      const expr = parseExpression(text);
      if (!expr) fail(key, raw, accepts);
      return { kind: 'expr', expr };
    },
    format: (value) => (value.kind === 'expr' ? value.expr.source : String(value.value)),
  };
}

const COLOR_ACCEPTS = 'a hex colour RRGGBB, RRGGBBAA (AA is opacity 00–99) or a CSS colour name';

export function parseColor(text: string): Rgba | undefined {
  if (/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(text)) return hexToRgba(text);
  if (/^[0-9a-fA-F]{6}[0-9]{2}$/.test(text)) return hexToRgba(text);
  return parseCssColorName(text.toLowerCase());
}

export function formatColor(color: Rgba): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  const rgb = `${hex(color.r)}${hex(color.g)}${hex(color.b)}`;
  // Back to ImageKit's 00–99 opacity scale so the canonical text re-parses to the same colour.
  return color.a === 255 ? rgb : `${rgb}${String(Math.round((color.a * 99) / 255)).padStart(2, '0')}`;
}

export const color: ValueGrammar<Rgba> = {
  accepts: COLOR_ACCEPTS,
  parse(raw, key) {
    const found = parseColor(required(raw, key, COLOR_ACCEPTS));
    if (!found) fail(key, raw, COLOR_ACCEPTS);
    return found;
  },
  format: formatColor,
};

export { fail, required, DECIMAL, INTEGER };
