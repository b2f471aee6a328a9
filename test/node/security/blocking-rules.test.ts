/** Blocking rules decided from the request alone: path globs, transformation patterns, IP and country, expiry. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { compileGlob, globMatches, globProblem } from '../../../src/security/blocking/glob';
import { type BlockedRequest, type BlockingRule, checkRuleBody, checkRuleChange, firstBlockingRule } from '../../../src/security/blocking/rules';
import { checkTransformationPattern, transformationMatches } from '../../../src/security/blocking/transformation-pattern';
import { parseTransformation } from '../../../src/transform/parse';

const glob = (pattern: string, path: string) => globMatches(compileGlob(pattern), path);

describe('path globs', () => {
  it('* stays within a segment, ? is one character, ** is whole segments', () => {
    expect(glob('private/*', 'private/a.jpg')).toBe(true);
    expect(glob('private/*', 'private/x/a.jpg')).toBe(false);
    expect(glob('private/**', 'private/x/y/a.jpg')).toBe(true);
    expect(glob('private/**', 'private')).toBe(false);
    expect(glob('private/**', 'privately/a.jpg')).toBe(false);
    expect(glob('**/*.svg', 'logo.svg')).toBe(true);
    expect(glob('**/*.svg', 'a/b/logo.svg')).toBe(true);
    expect(glob('**/*.svg', 'a/b/logo.svgz')).toBe(false);
    expect(glob('a/**/b/*.jpg', 'a/b/x.jpg')).toBe(true);
    expect(glob('a/**/b/*.jpg', 'a/1/2/b/x.jpg')).toBe(true);
    expect(glob('a/**/b/*.jpg', 'a/1/2/c/x.jpg')).toBe(false);
    expect(glob('img-??.png', 'img-01.png')).toBe(true);
    expect(glob('img-??.png', 'img-1.png')).toBe(false);
    expect(glob('*a*b*c', 'xxaxxbxxc')).toBe(true);
    expect(glob('*a*b*c', 'xxaxxcxxb')).toBe(false);
    expect(glob('**', 'anything/at/all.jpg')).toBe(true);
    expect(glob('**/**/x.jpg', 'x.jpg')).toBe(true);
    expect(glob('**/x.jpg', 'ax.jpg')).toBe(false);
    expect(glob('a/**/b', 'a/b')).toBe(true);
    expect(glob('a?/**/*b?', 'ax/y/zbq')).toBe(true);
    expect(glob('exact/name.jpg', 'exact/name.jpg')).toBe(true);
    expect(glob('exact/name.jpg', 'exact/name.jpgx')).toBe(false);
  });

  it('is literal and case-sensitive elsewhere, regex characters included', () => {
    expect(glob('Photo (1).jpg', 'Photo (1).jpg')).toBe(true);
    expect(glob('Photo (1).jpg', 'photo (1).jpg')).toBe(false);
    expect(glob('a.jpg', 'aXjpg')).toBe(false);
    expect(glob('[ab].jpg', 'a.jpg')).toBe(false);
    expect(glob('[ab].jpg', '[ab].jpg')).toBe(true);
  });

  it('refuses what it cannot match cheaply or sensibly', () => {
    expect(globProblem('')).toMatch(/characters/);
    expect(globProblem('x'.repeat(201))).toMatch(/200/);
    expect(globProblem('/leading.jpg')).toMatch(/leading/);
    expect(globProblem('a//b')).toMatch(/empty/);
    expect(globProblem('a/')).toMatch(/empty/);
    expect(globProblem('a**b')).toMatch(/whole segment/);
    expect(globProblem('*a*a*a*a*a*a*a*a*a*a*')).toMatch(/wildcards/);
    expect(globProblem('a\u0000b')).toMatch(/control/);
    expect(globProblem('a/**/b/*.jpg')).toBeNull();
  });

  it('an adversarial path against the most wildcards allowed is matched in bounded steps', () => {
    // A backtracking RegExp of ten wildcards over 1000 characters would not finish.
    const pattern = '*a*a*a*a*a*a*a*a*a*b';
    expect(globProblem(pattern)).toBeNull();
    expect(glob(pattern, 'a'.repeat(1000))).toBe(false);
    expect(glob(pattern, `${'a'.repeat(1000)}/b`)).toBe(false);
    expect(glob(pattern, `${'a'.repeat(1000)}b`)).toBe(true);
    expect(glob('**/**/**/**/**/**/**/**/**/z', 'a/'.repeat(500) + 'y')).toBe(false);
  });
});

const steps = (text: string) => parseTransformation(text);

describe('transformation patterns', () => {
  const pattern = (value: unknown) => checkTransformationPattern(value, 'transformation');

  it('matches a parameter by presence, value or threshold, wherever the transformation uses it', () => {
    const wide = pattern({ param: 'w', above: 2000 });
    expect(transformationMatches(wide, steps('w-2001'))).toBe(true);
    expect(transformationMatches(wide, steps('w-2000'))).toBe(false);
    expect(transformationMatches(wide, steps('h-300:w-3000'))).toBe(true);
    expect(transformationMatches(wide, steps('l-image,i-logo.png,w-4000,l-end'))).toBe(true);
    expect(transformationMatches(wide, steps('if-w_gt_10,w-5000,if-end'))).toBe(true);
    expect(transformationMatches(wide, steps('w-0.5'))).toBe(false);
    expect(transformationMatches(wide, steps('h-5000'))).toBe(false);
    const lowQuality = pattern({ param: 'q', below: 20 });
    expect(transformationMatches(lowQuality, steps('q-10'))).toBe(true);
    expect(transformationMatches(lowQuality, steps('q-20'))).toBe(false);
    const avif = pattern({ param: 'f', equals: 'avif' });
    expect(transformationMatches(avif, steps('w-10,f-avif'))).toBe(true);
    expect(transformationMatches(avif, steps('f-webp'))).toBe(false);
    // Values are compared in their canonical form: `jpg` is `jpeg`.
    expect(transformationMatches(pattern({ param: 'f', equals: 'jpg' }), steps('f-jpeg'))).toBe(true);
    const gray = pattern({ param: 'e-grayscale' });
    expect(transformationMatches(gray, steps('w-10:e-grayscale'))).toBe(true);
    expect(transformationMatches(gray, steps('w-10'))).toBe(false);
    const layers = pattern({ param: 'l' });
    expect(transformationMatches(layers, steps('l-text,i-hi,l-end'))).toBe(true);
    expect(transformationMatches(layers, steps('w-10'))).toBe(false);
    // Canonical values: `rt-N90` is a rotation of 270.
    expect(transformationMatches(pattern({ param: 'rt', above: 180 }), steps('rt-N90'))).toBe(true);
  });

  it('a key the table does not know, or a value the parameter cannot take, is a 400 naming the field', () => {
    const refused = (value: unknown, field: string) => {
      const error = (() => {
        try {
          pattern(value);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toContain(`"${field}"`);
    };
    refused({ param: 'width' }, 'transformation.param');
    refused({ param: 'w', above: 'big' }, 'transformation.above');
    refused({ param: 'w', above: 99999 }, 'transformation.above');
    refused({ param: 'f', above: 3 }, 'transformation.above');
    refused({ param: 'f', equals: 'bmp' }, 'transformation.equals');
    refused({ param: 'w', above: 1, below: 5 }, 'transformation');
    refused({ param: 'l', equals: 'image' }, 'transformation.equals');
    refused({ param: 'w', more: 1 }, 'transformation.more');
    refused('w-2000', 'transformation');
  });
});

describe('rules', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const request = (r: Partial<BlockedRequest> = {}): BlockedRequest => ({ path: 'a/b.jpg', transformation: steps('w-100'), ip: '203.0.113.9', country: 'DE', ...r });
  const rule = (body: Record<string, unknown>, id = 'br_1'): BlockingRule => ({ id, createdAt: new Date(NOW).toISOString(), ...checkRuleBody(body, NOW) });

  it('all conditions of a rule must hold; the first rule that applies is named', () => {
    const rules = [rule({ path: 'a/**', country: 'FR' }, 'br_fr'), rule({ path: 'a/**', ip: '203.0.113.0/24' }, 'br_ip')];
    expect(firstBlockingRule(rules, request(), NOW)?.id).toBe('br_ip');
    expect(firstBlockingRule(rules, request({ country: 'FR' }), NOW)?.id).toBe('br_fr');
    expect(firstBlockingRule(rules, request({ ip: '198.51.100.1' }), NOW)).toBeNull();
    expect(firstBlockingRule(rules, request({ ip: null }), NOW)).toBeNull();
    expect(firstBlockingRule(rules, request({ path: 'b/a.jpg' }), NOW)).toBeNull();
  });

  it('an expired rule no longer applies', () => {
    const rules = [rule({ path: '**', expiresAt: new Date(NOW + 60_000).toISOString() })];
    expect(firstBlockingRule(rules, request(), NOW + 59_999)?.id).toBe('br_1');
    expect(firstBlockingRule(rules, request(), NOW + 60_000)).toBeNull();
  });

  it('bodies without a condition, with an unknown field, a past expiry or a bad IP are refused', () => {
    expect(() => checkRuleBody({ note: 'x' }, NOW)).toThrow(/at least one condition/);
    expect(() => checkRuleBody({ paths: 'a/*' }, NOW)).toThrow(/"paths"/);
    expect(() => checkRuleBody({ path: 'a/*', expiresAt: new Date(NOW - 1).toISOString() }, NOW)).toThrow(/"expiresAt"/);
    expect(() => checkRuleBody({ path: 'a/*', expiresAt: 'tomorrow' }, NOW)).toThrow(/"expiresAt"/);
    expect(() => checkRuleBody({ ip: '10.0.0.0/33' }, NOW)).toThrow(/"ip"/);
    expect(() => checkRuleBody({ country: 'Germany' }, NOW)).toThrow(/"country"/);
    expect(() => checkRuleBody({ path: '/a' }, NOW)).toThrow(/"path"/);
    expect(() => checkRuleChange({ path: 'b/*' }, NOW)).toThrow(/"path"/);
    expect(checkRuleBody({ country: 'de', note: 'spam' }, NOW)).toEqual({ country: 'DE', note: 'spam', expiresAt: null });
  });
});
