/** The field vocabulary: what each check accepts, and the 400 it answers with otherwise. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import {
  boolean,
  type Check,
  checkField,
  decimal,
  flag,
  integer,
  isArrayOf,
  isObject,
  isString,
  listOf,
  number,
  object,
  oneOf,
  optional,
  text,
} from '../../../src/validate/fields';

/** The message a check refuses `value` with, or undefined when it accepts it. */
function refusal(check: Check<unknown>, value: unknown, field = 'f'): string | undefined {
  try {
    check(value, field);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return (error as HttpError).message;
  }
}

describe('checks', () => {
  it('boolean and flag', () => {
    expect(boolean(true, 'f')).toBe(true);
    expect(refusal(boolean, 'true')).toBe('Invalid value for "f": expected true or false');
    expect(flag(undefined, 'f')).toBe(false);
    expect(refusal(flag, null)).toBe('Invalid value for "f": expected true or false');
  });

  it('integer, with and without null', () => {
    expect(integer(1, 10)(10, 'f')).toBe(10);
    for (const bad of [0, 11, 1.5, '5', Number.NaN, null]) {
      expect(refusal(integer(1, 10), bad)).toBe('Invalid value for "f": expected an integer from 1 to 10');
    }
    expect(integer(1, 10, { nullable: true })(null, 'f')).toBeNull();
    expect(refusal(integer(1, 10, { nullable: true }), 0)).toBe('Invalid value for "f": expected an integer from 1 to 10, or null');
  });

  it('number', () => {
    expect(number(0.01, 100)(0.5, 'f')).toBe(0.5);
    expect(refusal(number(0.01, 100), Number.POSITIVE_INFINITY)).toBe('Invalid value for "f": expected a number from 0.01 to 100');
  });

  it('text keeps its bounds, blankness and pattern, and says what the caller expects', () => {
    const name = text('a name', { min: 2, max: 4, nonBlank: true, pattern: /^[a-z ]+$/ });
    expect(name('ab', 'f')).toBe('ab');
    for (const bad of ['a', 'abcde', '   ', 'AB', 3, undefined]) expect(refusal(name, bad)).toBe('Invalid value for "f": expected a name');
  });

  it('oneOf lists what is allowed', () => {
    expect(oneOf(['a', 'b'])('b', 'f')).toBe('b');
    expect(refusal(oneOf(['a', 'b']), 'c')).toBe('Invalid value for "f": expected one of a, b');
  });

  it('listOf names a bad entry by its index', () => {
    const hosts = listOf(2, (h) => h.includes('.'), 'host names');
    expect(hosts(['a.b'], 'f')).toEqual(['a.b']);
    expect(refusal(hosts, 'a.b')).toBe('Invalid value for "f": expected an array of host names');
    expect(refusal(hosts, ['a.b', 'c.d', 'e.f'])).toBe('Invalid value for "f": expected at most 2 entries');
    expect(refusal(hosts, ['a.b', 'x'])).toBe('Invalid value for "f[1]": expected host names');
  });

  it('object, optional and checkField', () => {
    expect(refusal(object(), [])).toBe('Invalid value for "f": expected an object');
    expect(optional(integer(1, 2))(undefined, 'f')).toBeUndefined();
    expect(optional(integer(1, 2), 2)(undefined, 'f')).toBe(2);
    expect(refusal(optional(integer(1, 2)), null)).toBe('Invalid value for "f": expected an integer from 1 to 2');
    expect(() => checkField({ size: 'big' }, 'size', integer(1, 2))).toThrow('Invalid value for "size"');
  });
});

describe('predicates', () => {
  it('answer without throwing', () => {
    expect([isObject({}), isObject([]), isObject(null)]).toEqual([true, false, false]);
    expect([isArrayOf(['a'], isString), isArrayOf(['a', 1], isString), isArrayOf('a', isString)]).toEqual([true, false, false]);
    expect([decimal('12'), decimal('+1'), decimal('1e2'), decimal('')]).toEqual([12, Number.NaN, Number.NaN, Number.NaN]);
  });
});

describe('the module sits below every other floor', () => {
  it('imports nothing but the HTTP error type', () => {
    const folder = join(__dirname, '../../../src/validate');
    for (const file of readdirSync(folder)) {
      const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.every((path) => path === '../http/errors' || path.startsWith('./')), file).toBe(true);
    }
  });
});
