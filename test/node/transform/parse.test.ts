/** parseTransformation and chain: tokenising steps and parameters, scopes, unknown keys and limits. */
import { describe, expect, it } from 'vitest';
import { chain, isIdentity, parseTransformation, type Transformation } from '../../../src/transform/parse';
import { TransformationTooLarge } from '../../../src/transform/errors';
import { expectBadParam, expectUnknownParam, thrownBy } from './expect-errors';

const px = (value: number) => ({ kind: 'px', value });

describe('parseTransformation: tokenisation', () => {
  it('splits key and value at the first dash, so values may hold dashes', () => {
    expect(parseTransformation('ar-4-3').steps).toEqual([{ ar: { kind: 'ratio', width: 4, height: 3 } }]);
    expect(parseTransformation('di-@@a-b@@c-d.jpg').output).toEqual({ di: 'a-b/c-d.jpg' });
  });

  it('splits e- keys at the second dash', () => {
    expect(parseTransformation('e-usm-2-2-0.8-0.024').steps).toEqual([
      { 'e-usm': { radius: 2, sigma: 2, amount: 0.8, threshold: 0.024 } },
    ]);
    expect(parseTransformation('e-sharpen-10').steps).toEqual([{ 'e-sharpen': 10 }]);
  });

  it('reads a key without a dash as a bare flag', () => {
    expect(parseTransformation('e-grayscale,e-contrast,e-sharpen').steps).toEqual([
      { 'e-grayscale': true, 'e-contrast': true, 'e-sharpen': true },
    ]);
  });

  it('separates parameters of a step with commas', () => {
    expect(parseTransformation('w-300,h-200,c-force').steps).toEqual([{ w: px(300), h: px(200), c: 'force' }]);
  });

  it('chains steps with colons, in order', () => {
    expect(parseTransformation('w-400,h-300:rt-90:fl-h').steps).toEqual([
      { w: px(400), h: px(300) },
      { rt: 90 },
      { fl: { horizontal: true, vertical: false } },
    ]);
  });

  it('ignores empty tokens and empty steps', () => {
    expect(parseTransformation('w-100,,h-200,').steps).toEqual([{ w: px(100), h: px(200) }]);
    expect(parseTransformation(',w-100').steps).toEqual([{ w: px(100) }]);
    expect(parseTransformation('::w-100::rt-90:').steps).toEqual([{ w: px(100) }, { rt: 90 }]);
    expect(parseTransformation(':,:,,:').steps).toEqual([]);
  });

  it('gives the identity for empty text', () => {
    const t = parseTransformation('');
    expect(t).toEqual({ steps: [], output: {} });
    expect(isIdentity(t)).toBe(true);
    expect(isIdentity(parseTransformation(':,:'))).toBe(true);
    expect(isIdentity(parseTransformation('w-1'))).toBe(false);
    expect(isIdentity(parseTransformation('q-80'))).toBe(false);
  });

  it('lets the last occurrence of a key within a step win', () => {
    expect(parseTransformation('w-100,w-200').steps).toEqual([{ w: px(200) }]);
    expect(parseTransformation('rt-90,fl-h,rt-180').steps).toEqual([
      { rt: 180, fl: { horizontal: true, vertical: false } },
    ]);
  });

  it('keeps the same key in different steps apart', () => {
    expect(parseTransformation('w-100:w-200').steps).toEqual([{ w: px(100) }, { w: px(200) }]);
  });
});

describe('parseTransformation: output-scoped parameters', () => {
  it('collects q, f, pr, lo, md, orig and di globally, out of the steps', () => {
    const t = parseTransformation('w-100,q-80,f-webp:rt-90,pr-true,lo-false,md-true,orig-false,di-@@d.jpg');
    expect(t.steps).toEqual([{ w: px(100) }, { rt: 90 }]);
    expect(t.output).toEqual({ q: 80, f: 'webp', pr: true, lo: false, md: true, orig: false, di: 'd.jpg' });
  });

  it('lets the last occurrence win across steps', () => {
    expect(parseTransformation('q-50:w-100:q-80').output).toEqual({ q: 80 });
    expect(parseTransformation('f-png,f-jpg').output).toEqual({ f: 'jpeg' });
  });

  it('does not create a step for a step that holds only output parameters', () => {
    const t = parseTransformation('w-100:q-80,f-avif:rt-90');
    expect(t.steps).toEqual([{ w: px(100) }, { rt: 90 }]);
    expect(parseTransformation('q-80').steps).toEqual([]);
  });
});

describe('parseTransformation: unknown and invalid parameters', () => {
  it.each(['zz-1', 'ot-hello', 'n-thumb', 'oi-logo.png', 'W-100', 'width-100', 'e-foo', 'e-', 'constructor', '__proto__-1'])(
    'rejects %s as an unknown parameter (400) naming the token',
    (token) => {
      expectUnknownParam(() => parseTransformation(token), token);
    },
  );

  it('names the unknown token even among valid ones, and lists the accepted keys', () => {
    const error = expectUnknownParam(() => parseTransformation('w-100,h-100:oi-logo.png,ox-10'), 'oi-logo.png');
    expect(error.message).toContain('Accepted parameters:');
    expect(error.message).toContain('e-usm');
  });

  it('rejects a bad value anywhere in the chain with a 400 naming the key', () => {
    expectBadParam(() => parseTransformation('w-100:h-100:rt-400'), 'rt');
    expectBadParam(() => parseTransformation('w-100,q-0'), 'q');
  });

  it('rejects more than 20 chained steps', () => {
    const twenty = Array.from({ length: 20 }, () => 'rt-90').join(':');
    expect(parseTransformation(twenty).steps).toHaveLength(20);
    const error = thrownBy(() => parseTransformation(`${twenty}:rt-90`));
    expect(error).toBeInstanceOf(TransformationTooLarge);
    expect((error as TransformationTooLarge).status).toBe(400);
    // Says what is wrong, not that a parameter is unknown.
    expect((error as Error).message).toBe('The transformation has 21 chained steps; the limit is 20 steps.');
  });

  it('rejects text longer than 2048 characters', () => {
    const long = `w-100,${'e-grayscale,'.repeat(200)}`;
    expect(long.length).toBeGreaterThan(2048);
    const error = thrownBy(() => parseTransformation(long));
    expect(error).toBeInstanceOf(TransformationTooLarge);
    expect((error as Error).message).toBe(`The transformation is ${long.length} characters long; the limit is 2048 characters.`);
    const fits = 'e-grayscale,'.repeat(170);
    expect(fits.length).toBeLessThanOrEqual(2048);
    expect(parseTransformation(fits).steps).toEqual([{ 'e-grayscale': true }]);
  });
});

describe('chain', () => {
  const path = parseTransformation('w-300,q-50:rt-90');
  const query = parseTransformation('h-200,q-80,f-webp');

  it('runs the path steps first, then the query steps', () => {
    expect(chain(path, query).steps).toEqual([{ w: px(300) }, { rt: 90 }, { h: px(200) }]);
  });

  it('merges output parameters, the query winning', () => {
    expect(chain(path, query).output).toEqual({ q: 80, f: 'webp' });
    expect(chain(query, path).output).toEqual({ q: 50, f: 'webp' });
  });

  it('is the same as joining the texts with a colon', () => {
    expect(chain(path, query)).toEqual(parseTransformation('w-300,q-50:rt-90:h-200,q-80,f-webp'));
  });

  it('has the identity on both sides', () => {
    const identity: Transformation = parseTransformation('');
    expect(chain(identity, query)).toEqual(query);
    expect(chain(query, identity)).toEqual(query);
  });

  it('does not modify its inputs', () => {
    const before = structuredClone(path);
    chain(path, query);
    expect(path).toEqual(before);
  });
});
