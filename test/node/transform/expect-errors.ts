import { expect } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { BadParam, UnknownParam } from '../../../src/transform/errors';

export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/** Asserts `fn` throws a 400 BadParam for `key`, with a message naming the key in quotes and listing what it accepts. */
export function expectBadParam(fn: () => unknown, key: string): BadParam {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(BadParam);
  expect(error).toBeInstanceOf(HttpError);
  const bad = error as BadParam;
  expect(bad.status).toBe(400);
  expect(bad.param).toBe(key);
  expect(bad.message).toContain(`"${key}"`);
  expect(bad.message).toContain('Accepted:');
  return bad;
}

/** Asserts `fn` throws a 400 UnknownParam whose message quotes `token`. */
export function expectUnknownParam(fn: () => unknown, token: string): UnknownParam {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(UnknownParam);
  expect(error).toBeInstanceOf(HttpError);
  const unknown = error as UnknownParam;
  expect(unknown.status).toBe(400);
  expect(unknown.message).toContain(`"${token}"`);
  return unknown;
}
