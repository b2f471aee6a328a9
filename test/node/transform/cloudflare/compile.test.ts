/**
 * Cloudflare's options compile to ImageKit steps with the same canonical form as the ImageKit URL that means the
 * same thing, so both doors share one cache entry; every option's value is bounded, and anything else is a 400
 * naming the option.
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../../src/http/errors';
import { compileCloudflare } from '../../../../src/transform/cloudflare/compile';
import { parseCloudflareOptions } from '../../../../src/transform/cloudflare/options';
import { PARAMS } from '../../../../src/transform/params';
import { canonicalize, parseTransformation } from '../../../../src/transform/parse';
import { plannedSizes } from '../../../../src/transform/plan';

const compile = (options: string) => compileCloudflare(parseCloudflareOptions(options));
const canonicalOf = (options: string) => canonicalize(parseTransformation(compile(options).transformation));
const imagekit = (text: string) => canonicalize(parseTransformation(text));
const outputSize = (options: string, width: number, height: number) =>
  plannedSizes(parseTransformation(compile(options).transformation), { width, height }).at(-1);

function refusal(options: string): HttpError {
  try {
    compile(options);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return error as HttpError;
  }
  throw new Error(`"${options}" was accepted`);
}

describe('Cloudflare options → the ImageKit canonical form', () => {
  it.each([
    ['width=300,height=200,fit=cover,format=webp', 'w-300,h-200,f-webp'],
    ['w=300,h=200,fit=cover,f=webp', 'w-300,h-200,f-webp'],
    ['width=300,format=auto', 'w-300,c-at_max'],
    ['width=300,height=200,format=auto', 'w-300,h-200,c-at_max'],
    ['width=300,height=200,fit=contain,format=avif', 'w-300,h-200,c-at_max_enlarge,f-avif'],
    ['width=300,fit=contain,format=auto', 'w-300'],
    ['width=300,height=200,fit=crop,gravity=top,format=auto', 'w-300,h-200,c-at_max_crop,fo-top'],
    ['width=300,height=200,fit=pad,format=auto', 'w-300,h-200,cm-pad_resize,bg-FFFFFF'],
    ['width=300,height=200,fit=pad,background=%23ff0000,format=auto', 'w-300,h-200,cm-pad_resize,bg-FF0000'],
    ['width=300,height=200,fit=squeeze,format=auto', 'w-300,h-200,c-force'],
    ['width=300,dpr=2,format=auto', 'w-300,dpr-2,c-at_max'],
    ['format=jpeg', 'f-jpeg,pr-true'],
    ['format=baseline-jpeg,quality=70', 'q-70,f-jpeg'],
    ['quality=high', 'f-orig,q-90'],
    ['format=webp,quality=100', 'q-100,f-webp,lo-true'],
    ['metadata=keep', 'f-orig,md-true'],
    ['metadata=copyright', 'f-orig'],
    ['anim=false', 'f-orig'],
    ['blur=20,format=auto', 'bl-20'],
    ['blur=250,format=auto', 'bl-100'],
    ['sharpen=1,format=auto', 'e-sharpen'],
    ['sharpen=10,format=auto', 'e-sharpen-50'],
    ['rotate=180,flip=h,format=auto', 'rt-180,fl-h'],
    ['rotate=90,flip=h,format=auto', 'rt-90,fl-v'],
    ['rotate=270,width=100,height=50,fit=cover,format=auto', 'w-50,h-100,rt-270'],
    ['flip=hv,format=auto', 'fl-h_v'],
    ['trim=border,format=auto', 't-true'],
    ['trim=10;20;30;40,format=auto', 'cm-extract,w-cw_sub_60,h-ch_sub_40,x-40,y-10'],
    ['trim.left=5,trim.width=100,format=auto', 'cm-extract,w-100,x-5,y-0'],
    ['border.width=5,border.color=red,format=auto', 'b-5_FF0000'],
    ['border.top=4,border.right=4,border.bottom=4,border.left=4,border.color=%23000,dpr=2,width=10,format=auto', 'w-10,dpr-2,c-at_max,b-8_000000'],
    ['background=rgb%28240%2C40%2C145%29,format=auto', 'bg-F02891'],
    ['background=rgba(0%2C0%2C255%2C0.5),format=auto', 'bg-0000FF50'],
    ['background=rgb(0 0 255 / 50%25),format=auto', 'bg-0000FF50'],
    ['onerror=redirect,width=10,format=auto', 'w-10,c-at_max'],
  ])('%s ≡ tr:%s', (options, steps) => {
    expect(canonicalOf(options)).toBe(imagekit(steps));
  });

  it('places a gravity point by the share of what is cut off, after covering the box', () => {
    expect(canonicalOf('width=100,height=100,fit=cover,gravity=0.25x1,format=auto')).toBe(
      imagekit('w-100,h-100,c-at_least:cm-extract,w-100,h-100,x-cw_mul_0.25_sub_25,y-ch_mul_1_sub_100'),
    );
    // A 400×200 image is covered at half size (200×100), then a 100×100 box is cut from it.
    const steps = parseTransformation(compile('width=100,height=100,fit=cover,gravity=0.25x0.5').transformation);
    expect(plannedSizes(steps, { width: 400, height: 200 })).toEqual([{ width: 200, height: 100 }, { width: 100, height: 100 }]);
  });

  it('gives each fit Cloudflare\'s output size', () => {
    expect(outputSize('width=500,height=500', 1080, 720)).toEqual({ width: 500, height: 333 });
    expect(outputSize('width=2000,height=2000', 1080, 720)).toEqual({ width: 1080, height: 720 });
    expect(outputSize('width=2000,height=2000,fit=contain', 1080, 720)).toEqual({ width: 2000, height: 1333 });
    expect(outputSize('width=500,height=500,fit=cover', 1080, 720)).toEqual({ width: 500, height: 500 });
    expect(outputSize('width=1296,height=1296,fit=crop', 1080, 720)).toEqual({ width: 1080, height: 720 });
    expect(outputSize('width=500,height=500,fit=crop', 1080, 720)).toEqual({ width: 500, height: 500 });
    // Larger on one side only: shrunk by nothing, cropped to the box on that side.
    expect(outputSize('width=500,height=1000,fit=crop', 1080, 720)).toEqual({ width: 500, height: 720 });
    expect(outputSize('width=1080,height=1080,fit=pad', 1080, 720)).toEqual({ width: 1080, height: 1080 });
    expect(outputSize('width=300,height=100,fit=squeeze', 1080, 720)).toEqual({ width: 300, height: 100 });
    expect(outputSize('width=4000', 1080, 720)).toEqual({ width: 1080, height: 720 });
    expect(outputSize('width=100,height=50,rotate=90,fit=cover', 1080, 720)).toEqual({ width: 100, height: 50 });
  });

  it('compiles gravity=auto to the smart crop, fo-auto, exactly when the ImageKit table has it', () => {
    let hasSmartCrop = true;
    try {
      PARAMS.fo.grammar.parse('auto', 'fo');
    } catch {
      hasSmartCrop = false;
    }
    if (hasSmartCrop) expect(canonicalOf('width=10,height=10,fit=cover,gravity=auto')).toBe(imagekit('w-10,h-10,fo-auto,f-orig'));
    else expect(refusal('width=10,height=10,fit=cover,gravity=auto').message).toContain('"gravity"');
  });

  it('reads format=json and onerror=redirect as flags', () => {
    expect(compile('format=json,width=10')).toMatchObject({ info: true, redirectOnError: false });
    expect(compile('onerror=redirect')).toMatchObject({ info: false, redirectOnError: true });
  });
});

describe('Cloudflare options: 400s that name the option', () => {
  it.each([
    ['wdth=300', 'wdth'],
    ['brightness=2', 'brightness'],
    ['width=0', 'width'],
    ['width=abc', 'width'],
    ['height=99999', 'height'],
    ['fit=fill', 'fit'],
    ['gravity=2x0.5', 'gravity'],
    ['gravity=face', 'gravity'],
    ['quality=101', 'quality'],
    ['format=gif', 'format'],
    ['dpr=9', 'dpr'],
    ['sharpen=11', 'sharpen'],
    ['blur=251', 'blur'],
    ['rotate=45', 'rotate'],
    ['flip=x', 'flip'],
    ['background=hsl(1,2,3)', 'background'],
    ['trim=1;2;3', 'trim'],
    ['metadata=all', 'metadata'],
    ['anim=maybe', 'anim'],
    ['onerror=ignore', 'onerror'],
    ['border.width=5,border.top=3', 'border'],
    ['border.width=5', 'border.color'],
    ['width=10,w=20', 'width'],
    ['width=10,height=10,fit=crop,gravity=0.5x0.5', 'gravity'],
  ])('%s', (options, named) => {
    expect(refusal(options).message).toContain(`"${named}"`);
  });

  it('needs at least one option', () => {
    expect(refusal('').message).toMatch(/at least one option/);
  });
});
