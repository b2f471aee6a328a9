/**
 * How every floor checks the fields it is given (the API's JSON bodies and queries, the upload form, origin,
 * endpoint and settings bodies): one error and one set of checks, so the same mistake reads the same wherever it
 * is made. A bad value is a 400 that names the field and says what was expected:
 * `Invalid value for "limits.maxInputBytes": expected an integer from 1024 to 104857600`.
 *
 * Predicates (`isObject`, `isArrayOf`) answer yes or no. A Check takes a value and the name of its field and
 * returns the value or throws badField; `integer(1, 100)` makes one, so a table of fields can hold them.
 * Callers keep their own words for `expected` where a field has its own rule.
 *
 * This module is below every other floor: it imports nothing but the HTTP error type.
 */
import { HttpError } from '../http/errors';

/** A 400 naming the field: the one way validators report a bad value. */
export function badField(field: string, expected: string): HttpError {
  return new HttpError(400, `Invalid value for "${field}": expected ${expected}`, 'Fix the field and retry.');
}

/** Returns `value` as a T, or throws badField naming `field`. */
export type Check<T> = (value: unknown, field: string) => T;

/** `body[name]` through `check`, which names `name` when it refuses. */
export function checkField<T>(body: Record<string, unknown>, name: string, check: Check<T>): T {
  return check(body[name], name);
}

// --- predicates -------------------------------------------------------------------------------------------------

/** A JSON object: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isString = (value: unknown): value is string => typeof value === 'string';

export const isArrayOf = <T>(value: unknown, item: (entry: unknown) => entry is T): value is T[] =>
  Array.isArray(value) && value.every((entry) => item(entry));

/** A query parameter written in decimal digits only (no sign, exponent or spaces) as a number, else NaN. */
export const decimal = (text: string): number => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

// --- checks -----------------------------------------------------------------------------------------------------

export const boolean: Check<boolean> = (value, field) => {
  if (typeof value !== 'boolean') throw badField(field, 'true or false');
  return value;
};

/** An integer from `min` to `max`; with `nullable`, null too (it means "no limit" in the settings). */
export function integer(min: number, max: number): Check<number>;
export function integer(min: number, max: number, options: { nullable: true }): Check<number | null>;
export function integer(min: number, max: number, options: { nullable?: boolean } = {}): Check<number | null> {
  return (value, field) => {
    if (options.nullable && value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badField(field, `an integer from ${min} to ${max}${options.nullable ? ', or null' : ''}`);
    }
    return value;
  };
}

/** A finite number from `min` to `max`. */
export function number(min: number, max: number): Check<number> {
  return (value, field) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw badField(field, `a number from ${min} to ${max}`);
    }
    return value;
  };
}

export interface TextRule {
  /** Length bounds, in UTF-16 code units. */
  min?: number;
  max?: number;
  /** Refuse text that is only white space. */
  nonBlank?: boolean;
  pattern?: RegExp;
}

/** A string that keeps `rule`; anything else is refused with `expected`, the field's own description. */
export function text(expected: string, rule: TextRule = {}): Check<string> {
  return (value, field) => {
    if (
      typeof value !== 'string' ||
      value.length < (rule.min ?? 0) ||
      (rule.max !== undefined && value.length > rule.max) ||
      (rule.nonBlank && value.trim() === '') ||
      (rule.pattern && !rule.pattern.test(value))
    ) {
      throw badField(field, expected);
    }
    return value;
  };
}

/** One of `allowed`, exactly as written. */
export function oneOf<T extends string>(allowed: readonly T[]): Check<T> {
  return (value, field) => {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw badField(field, `one of ${allowed.join(', ')}`);
    }
    return value as T;
  };
}

/**
 * An array of at most `maxItems` strings that each pass `item`, which `describe` names in the plural; a bad entry
 * is named by its index (`access.ipBlock[2]`).
 */
export function listOf(maxItems: number, item: (entry: string) => boolean, describe: string): Check<string[]> {
  return (value, field) => {
    if (!Array.isArray(value)) throw badField(field, `an array of ${describe}`);
    if (value.length > maxItems) throw badField(field, `at most ${maxItems} entries`);
    value.forEach((entry, i) => {
      if (typeof entry !== 'string' || !item(entry)) throw badField(`${field}[${i}]`, describe);
    });
    return value as string[];
  };
}

/** An array of at most `maxItems` distinct integers from `min` to `max`, stored in ascending order. */
export function integerList(maxItems: number, min: number, max: number): Check<number[]> {
  return (value, field) => {
    if (!Array.isArray(value)) throw badField(field, `an array of integers from ${min} to ${max}`);
    if (value.length > maxItems) throw badField(field, `at most ${maxItems} entries`);
    value.forEach((entry, i) => {
      if (typeof entry !== 'number' || !Number.isInteger(entry) || entry < min || entry > max) {
        throw badField(`${field}[${i}]`, `an integer from ${min} to ${max}`);
      }
    });
    return [...new Set(value as number[])].sort((a, b) => a - b);
  };
}

/** An ISO 8601 date or date and time (a query's `since`, `from`), as Unix ms. */
export const isoTime: Check<number> = (value, field) => {
  const time = typeof value === 'string' && value !== '' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw badField(field, 'an ISO 8601 date or time');
  return time;
};

/** A JSON object (not null, not an array). */
export function object(expected = 'an object'): Check<Record<string, unknown>> {
  return (value, field) => {
    if (!isObject(value)) throw badField(field, expected);
    return value;
  };
}

/** `check`, or `fallback` when the field is absent (undefined). */
export function optional<T>(check: Check<T>): Check<T | undefined>;
export function optional<T>(check: Check<T>, fallback: T): Check<T>;
export function optional<T>(check: Check<T>, fallback?: T): Check<T | undefined> {
  return (value, field) => (value === undefined ? fallback : check(value, field));
}

/** An optional boolean; absent means false, as in every ImageKit flag. */
export const flag: Check<boolean> = optional(boolean, false);
