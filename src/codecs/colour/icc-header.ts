// What the host needs to know of an ICC profile before handing it to Little CMS: the colour space of the data it
// describes, and whether it is sRGB itself (then the pixels already are what the output needs).
import { ascii, u32be } from '../probe/bytes';
import { readOr } from '../probe/errors';

export type ProfileSpace = 'rgb' | 'cmyk' | 'grey' | 'other';

/** The data colour space field of the header (offset 16). */
export function profileSpace(icc: Uint8Array): ProfileSpace {
  const space = readOr(() => ascii(icc, 16, 4), '');
  return space === 'RGB ' ? 'rgb' : space === 'CMYK' ? 'cmyk' : space === 'GRAY' ? 'grey' : 'other';
}

/**
 * Whether the profile's description names sRGB ("sRGB IEC61966-2.1", "sRGB built-in", Apple's and Google's
 * "sRGB"): converting through it would cost CPU and change nothing a viewer shows.
 */
export function isSrgbProfile(icc: Uint8Array): boolean {
  return readOr(() => /^sRGB\b/.test(description(icc)), false);
}

/** The text of the 'desc' tag: a v2 textDescriptionType (ASCII) or a v4 multiLocalizedUnicodeType (UTF-16BE). */
function description(icc: Uint8Array): string {
  const count = u32be(icc, 128);
  for (let i = 0; i < Math.min(count, 100); i++) {
    const entry = 132 + 12 * i;
    if (ascii(icc, entry, 4) !== 'desc') continue;
    const at = u32be(icc, entry + 4);
    const type = ascii(icc, at, 4);
    if (type === 'desc') return ascii(icc, at + 12, Math.min(u32be(icc, at + 8), 64)).replace(/\0.*$/s, '');
    if (type === 'mluc') {
      const length = u32be(icc, at + 20);
      const offset = u32be(icc, at + 24);
      let text = '';
      for (let k = 0; k < Math.min(length, 128); k += 2) text += String.fromCharCode((icc[at + offset + k]! << 8) | icc[at + offset + k + 1]!);
      return text;
    }
    return '';
  }
  return '';
}
