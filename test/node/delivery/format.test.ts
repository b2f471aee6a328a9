/** Format negotiation: what Accept allows (acceptClass) and which format is delivered (chooseOutputFormat). */
import { describe, expect, it } from 'vitest';
import type { ImageFormat } from '../../../src/codecs/types';
import { acceptClass, chooseOutputFormat, EXTENSIONS, negotiates, type AcceptClass } from '../../../src/delivery/format';
import type { FormatParam } from '../../../src/transform/params';

const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const FIREFOX = 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
const SAFARI_15 = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';
const SAFARI_17 = 'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';
const CHROME_NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

describe('acceptClass', () => {
  it.each([
    ['Chrome', CHROME, 'avif'],
    ['Firefox', FIREFOX, 'avif'],
    ['Safari 17 (avif listed after webp)', SAFARI_17, 'avif'],
    ['Chrome navigation', CHROME_NAVIGATION, 'avif'],
    ['Safari 15 (no avif)', SAFARI_15, 'webp'],
    ['an old Edge', 'image/webp,image/*,*/*;q=0.8', 'webp'],
    ['curl', '*/*', 'none'],
    ['a wildcard image range', 'image/*', 'none'],
    ['classic formats only', 'image/png,image/jpeg', 'none'],
  ])('%s → %s', (_name, accept, expected) => {
    expect(acceptClass(accept)).toBe(expected);
  });

  it('is none without an Accept header', () => {
    expect(acceptClass(null)).toBe('none');
    expect(acceptClass('')).toBe('none');
  });

  it('ignores types excluded with q=0', () => {
    expect(acceptClass('image/avif;q=0,image/webp,*/*')).toBe('webp');
    expect(acceptClass('image/avif;q=0.0,image/webp;q=0,*/*')).toBe('none');
    expect(acceptClass('image/avif; q=0, image/webp; q=0.000')).toBe('none');
    expect(acceptClass('image/avif;level=1;q=0,image/webp')).toBe('webp');
  });

  it('accepts types with a non-zero q', () => {
    expect(acceptClass('image/avif;q=0.1')).toBe('avif');
    expect(acceptClass('image/webp;q=0.01')).toBe('webp');
  });

  it('tolerates spaces after commas and semicolons, and any case', () => {
    expect(acceptClass('image/png, image/webp')).toBe('webp');
    expect(acceptClass('IMAGE/AVIF')).toBe('avif');
    expect(acceptClass('Image/WebP; Q=0')).toBe('none');
  });

  it('does not take types that merely contain the name', () => {
    expect(acceptClass('image/avif-sequence,image/webpx,application/image/avif')).toBe('none');
  });

  it('tolerates whitespace before ";"', () => {
    expect(acceptClass('image/webp ;q=0.8')).toBe('webp');
    expect(acceptClass('image/avif ; q=0.9')).toBe('avif');
  });
});

describe('negotiates', () => {
  it('is true only when f is absent or auto', () => {
    expect(negotiates(undefined)).toBe(true);
    expect(negotiates('auto')).toBe(true);
    for (const f of ['webp', 'jpeg', 'png', 'avif', 'orig'] as const) expect(negotiates(f)).toBe(false);
  });
});

describe('chooseOutputFormat', () => {
  const ACCEPTS: AcceptClass[] = ['avif', 'webp', 'none'];
  const INPUTS: ImageFormat[] = ['jpeg', 'png', 'webp', 'avif', 'gif', 'heic'];

  it('an explicit f wins over Accept and input', () => {
    for (const f of ['webp', 'jpeg', 'png', 'avif'] as const) {
      for (const accept of ACCEPTS) for (const input of INPUTS) expect(chooseOutputFormat(f, accept, input)).toBe(f);
    }
  });

  it.each([undefined, 'auto'] as (FormatParam | undefined)[])('f=%s takes AVIF, then WebP, from Accept', (f) => {
    for (const input of INPUTS) {
      expect(chooseOutputFormat(f, 'avif', input)).toBe('avif');
      expect(chooseOutputFormat(f, 'webp', input)).toBe('webp');
    }
  });

  it.each([undefined, 'auto'] as (FormatParam | undefined)[])('f=%s keeps the input format when Accept names neither', (f) => {
    expect(chooseOutputFormat(f, 'none', 'jpeg')).toBe('jpeg');
    expect(chooseOutputFormat(f, 'none', 'png')).toBe('png');
    expect(chooseOutputFormat(f, 'none', 'webp')).toBe('webp');
    expect(chooseOutputFormat(f, 'none', 'avif')).toBe('avif');
    expect(chooseOutputFormat(f, 'none', 'gif')).toBe('png');
    expect(chooseOutputFormat(f, 'none', 'heic')).toBe('jpeg');
  });

  it('f-orig keeps the input format whatever Accept says', () => {
    for (const accept of ACCEPTS) {
      expect(chooseOutputFormat('orig', accept, 'jpeg')).toBe('jpeg');
      expect(chooseOutputFormat('orig', accept, 'webp')).toBe('webp');
      expect(chooseOutputFormat('orig', accept, 'gif')).toBe('png');
      expect(chooseOutputFormat('orig', accept, 'heic')).toBe('jpeg');
    }
  });

  it.each(['gif', 'heic'] as const)('never returns %s, which edgepix cannot encode', (input) => {
    for (const f of [undefined, 'auto', 'orig', 'webp', 'jpeg', 'png', 'avif'] as (FormatParam | undefined)[]) {
      for (const accept of ACCEPTS) expect(Object.keys(EXTENSIONS)).toContain(chooseOutputFormat(f, accept, input));
    }
  });
});

describe('EXTENSIONS', () => {
  it('names jpeg files .jpg', () => {
    expect(EXTENSIONS).toEqual({ jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif' });
  });
});
