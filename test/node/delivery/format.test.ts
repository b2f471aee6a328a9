/** Format negotiation: what Accept allows (acceptClass) and which format is delivered (chooseOutputFormat). */
import { describe, expect, it } from 'vitest';
import type { ImageFormat } from '../../../src/codecs/types';
import { acceptClass, chooseOutputFormat, EXTENSIONS, negotiatedVariant, negotiates, type AcceptClass } from '../../../src/delivery/format';
import type { FormatSettings } from '../../../src/tenants/format-settings';
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

  it('is avif-only when AVIF is named and WebP is not', () => {
    expect(acceptClass('image/avif')).toBe('avif-only');
    expect(acceptClass('image/avif,*/*')).toBe('avif-only');
    expect(acceptClass('image/avif,image/webp;q=0')).toBe('avif-only');
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
    expect(acceptClass('image/avif;q=0.1,image/webp')).toBe('avif');
    expect(acceptClass('image/webp;q=0.01')).toBe('webp');
  });

  it('tolerates spaces after commas and semicolons, and any case', () => {
    expect(acceptClass('image/png, image/webp')).toBe('webp');
    expect(acceptClass('IMAGE/AVIF, Image/Webp')).toBe('avif');
    expect(acceptClass('Image/WebP; Q=0')).toBe('none');
  });

  it('does not take types that merely contain the name', () => {
    expect(acceptClass('image/avif-sequence,image/webpx,application/image/avif')).toBe('none');
  });

  it('tolerates whitespace before ";"', () => {
    expect(acceptClass('image/webp ;q=0.8')).toBe('webp');
    expect(acceptClass('image/avif ; q=0.9,image/webp')).toBe('avif');
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
  const ACCEPTS: AcceptClass[] = ['avif', 'avif-only', 'webp', 'none'];
  const ALWAYS: FormatSettings = { avif: 'always', avifMaxMegapixels: 0.5 };
  // Any output size: only the budget cases below depend on it.
  const choose = (f: FormatParam | undefined, accept: AcceptClass, input: ImageFormat, formats = ALWAYS, pixels = 1e6) =>
    chooseOutputFormat(f, accept, input, formats, pixels);
  const INPUTS: ImageFormat[] = ['jpeg', 'png', 'webp', 'avif', 'gif', 'heic'];

  it('an explicit f wins over Accept and input', () => {
    for (const f of ['webp', 'jpeg', 'png', 'avif'] as const) {
      for (const accept of ACCEPTS) for (const input of INPUTS) expect(choose(f, accept, input)).toBe(f);
    }
  });

  it('an animation stays one: f-auto gives animated WebP when Accept names WebP, else GIF; explicit formats win', () => {
    const animated = (f: FormatParam | undefined, accept: AcceptClass, input: ImageFormat) => chooseOutputFormat(f, accept, input, ALWAYS, 1e6, true);
    for (const input of ['gif', 'webp'] as const) {
      expect(animated(undefined, 'avif', input)).toBe('webp');
      expect(animated('auto', 'webp', input)).toBe('webp');
      expect(animated('jpeg', 'avif', input)).toBe('jpeg');
      expect(animated('gif', 'webp', input)).toBe('gif');
    }
    expect(animated('auto', 'avif-only', 'gif')).toBe('gif');
    expect(animated('auto', 'none', 'gif')).toBe('gif');
    expect(animated('orig', 'webp', 'gif')).toBe('gif');
    expect(animated('orig', 'none', 'webp')).toBe('webp');
    // A still GIF is still delivered as PNG when Accept names neither WebP nor AVIF.
    expect(choose('auto', 'none', 'gif')).toBe('png');
  });

  it.each([undefined, 'auto'] as (FormatParam | undefined)[])('f=%s takes AVIF, then WebP, from Accept', (f) => {
    for (const input of INPUTS) {
      expect(choose(f, 'avif', input)).toBe('avif');
      expect(choose(f, 'webp', input)).toBe('webp');
    }
  });

  it.each([undefined, 'auto'] as (FormatParam | undefined)[])('f=%s keeps the input format when Accept names neither', (f) => {
    expect(choose(f, 'none', 'jpeg')).toBe('jpeg');
    expect(choose(f, 'none', 'png')).toBe('png');
    expect(choose(f, 'none', 'webp')).toBe('webp');
    expect(choose(f, 'none', 'avif')).toBe('avif');
    expect(choose(f, 'none', 'gif')).toBe('png');
    expect(choose(f, 'none', 'heic')).toBe('jpeg');
  });

  it('f-orig keeps the input format whatever Accept says', () => {
    for (const accept of ACCEPTS) {
      expect(choose('orig', accept, 'jpeg')).toBe('jpeg');
      expect(choose('orig', accept, 'webp')).toBe('webp');
      expect(choose('orig', accept, 'gif')).toBe('png');
      expect(choose('orig', accept, 'heic')).toBe('jpeg');
    }
  });

  it.each(['gif', 'heic'] as const)('never returns %s, which edgepix cannot encode', (input) => {
    for (const f of [undefined, 'auto', 'orig', 'webp', 'jpeg', 'png', 'avif'] as (FormatParam | undefined)[]) {
      for (const accept of ACCEPTS) expect(Object.keys(EXTENSIONS)).toContain(choose(f, accept, input));
    }
  });

  const budget: FormatSettings = { avif: 'budget', avifMaxMegapixels: 0.5 };

  it.each([undefined, 'auto'] as (FormatParam | undefined)[])('f=%s under budget: AVIF up to the budget, WebP above it', (f) => {
    expect(choose(f, 'avif', 'jpeg', budget, 800 * 600)).toBe('avif');
    expect(choose(f, 'avif', 'jpeg', budget, 500_000)).toBe('avif');
    expect(choose(f, 'avif', 'jpeg', budget, 500_001)).toBe('webp');
    expect(choose(f, 'avif', 'png', budget, 4000 * 3000)).toBe('webp');
    expect(choose(f, 'avif', 'png', { avif: 'budget', avifMaxMegapixels: 12 }, 4000 * 3000)).toBe('avif');
    // A client that names AVIF but not WebP gets the input's format above the budget, never a WebP.
    expect(choose(f, 'avif-only', 'jpeg', budget, 4000 * 3000)).toBe('jpeg');
    expect(choose(f, 'avif-only', 'jpeg', budget, 100 * 100)).toBe('avif');
  });

  it('"off" never answers AVIF to f-auto; "always" whenever Accept names it; explicit f-avif stays AVIF', () => {
    const off: FormatSettings = { avif: 'off', avifMaxMegapixels: 0.5 };
    for (const pixels of [1, 500_000, 24e6]) {
      expect(choose('auto', 'avif', 'jpeg', off, pixels)).toBe('webp');
      expect(choose(undefined, 'avif-only', 'png', off, pixels)).toBe('png');
      expect(choose('avif', 'none', 'jpeg', off, pixels)).toBe('avif');
      expect(choose('auto', 'avif', 'jpeg', ALWAYS, pixels)).toBe('avif');
      expect(choose('auto', 'webp', 'jpeg', ALWAYS, pixels)).toBe('webp');
    }
  });
});

describe('negotiatedVariant', () => {
  it('names what decides the format: the Accept class, and the AVIF choice when AVIF is accepted', () => {
    const budget = (mp: number): FormatSettings => ({ avif: 'budget', avifMaxMegapixels: mp });
    expect(negotiatedVariant('webp', budget(0.5))).toBe('webp');
    expect(negotiatedVariant('none', budget(0.5))).toBe('none');
    expect(negotiatedVariant('avif', { avif: 'off', avifMaxMegapixels: 0.5 })).toBe('webp');
    expect(negotiatedVariant('avif-only', { avif: 'off', avifMaxMegapixels: 0.5 })).toBe('none');
    expect(negotiatedVariant('avif', { avif: 'always', avifMaxMegapixels: 0.5 })).toBe('avif');
    // Another budget may choose another format for the same output: another variant.
    expect(negotiatedVariant('avif', budget(0.5))).not.toBe(negotiatedVariant('avif', budget(2)));
    expect(new Set(['avif', 'webp', 'none'].map((a) => negotiatedVariant(a as AcceptClass, budget(0.5)))).size).toBe(3);
  });
});

describe('EXTENSIONS', () => {
  it('names jpeg files .jpg', () => {
    expect(EXTENSIONS).toEqual({ jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' });
  });
});
