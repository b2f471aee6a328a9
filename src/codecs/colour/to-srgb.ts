/**
 * Decoded pixels in sRGB, which is what an output without a profile is shown as: an image that declares another
 * colour space (a phone's Display P3, a camera's Adobe RGB, a print CMYK profile, a grey profile, AVIF nclx code
 * points, PNG gAMA/cHRM) is converted with Little CMS as its rows are decoded, before any resize, as sharp and
 * imgproxy do by default. Every codec's rows go through the same step: a streaming decode strip by strip, any
 * other decode as a whole frame.
 */
import type { Frame } from '../../image/frame';
import { byteView } from '../../image/frame';
import type { FrameSource } from '../../image/frame-source';
import { jpegSegments } from '../probe/containers';
import { readOr } from '../probe/errors';
import { pngGamma } from '../probe/colour';
import type { ImageInfo } from '../types';
import { nclxSpace, pngGammaSpace } from './code-points';
import { isSrgbProfile, profileSpace } from './icc-header';
import { type Convert, type SourceSpace, withSrgbTransform } from './lcms';

/**
 * What to convert from, or undefined when the pixels are sRGB already (or declare nothing, or something that
 * cannot be converted: a profile whose colour space is not the image's). With `keepIcc` (`cp-true`), an RGB
 * profile stays with the pixels for the output to carry; CMYK and grey profiles cannot describe RGB output and
 * are converted all the same.
 */
export function srgbSource(bytes: Uint8Array, info: ImageInfo, keepIcc = false): SourceSpace | undefined {
  const colour = info.colour;
  if (colour?.icc) {
    const space = profileSpace(colour.icc);
    const channels = declaredChannels(bytes, info);
    if (space === 'rgb' && channels !== 4) return keepIcc || isSrgbProfile(colour.icc) ? undefined : { icc: colour.icc, rows: 'rgba' };
    if (space === 'grey' && channels === 1) return { icc: colour.icc, rows: 'grey' };
    if (space === 'cmyk' && channels === 4) return { icc: colour.icc, rows: 'cmyk' };
    return undefined;
  }
  const space = colour ? nclxSpace(colour) : info.format === 'png' ? pngGammaSpace(pngGamma(bytes)) : undefined;
  return space && { space };
}

/** The profile `srgbSource` keeps for a `cp-true` output: an RGB profile, the one case it leaves unconverted. */
export function keptIcc(info: ImageInfo): Uint8Array | undefined {
  const icc = info.colour?.icc;
  return icc && profileSpace(icc) === 'rgb' ? icc : undefined;
}

/** Colour channels the file stores: JPEG from SOF (1 grey, 3, 4 CMYK/YCCK), PNG from IHDR (grey types 0 and 4). */
function declaredChannels(bytes: Uint8Array, info: ImageInfo): number {
  if (info.format === 'png') return bytes[25] === 0 || bytes[25] === 4 ? 1 : 3;
  if (info.format !== 'jpeg') return 3;
  return readOr(() => {
    for (const s of jpegSegments(bytes)) {
      if (s.type >= 0xc0 && s.type <= 0xcf && s.type !== 0xc4 && s.type !== 0xc8 && s.type !== 0xcc) return bytes[s.data + 5]!;
    }
    return 3;
  }, 3);
}

/** `source`'s rows, converted to sRGB strip by strip as they are read. */
export function sourceInSrgb(source: FrameSource, from: SourceSpace): FrameSource {
  const stride = source.width * 4;
  return {
    width: source.width,
    height: source.height,
    hasAlpha: source.hasAlpha,
    alphaUnchecked: source.alphaUnchecked,
    boxFiltered: source.boxFiltered,
    read: (onRows) =>
      withSrgbTransform(from, (convert) => {
        const apply = convert ?? fallback(from);
        return source.read((rows, count) => {
          apply(rows.subarray(0, count * stride));
          return onRows(rows, count);
        });
      }),
  };
}

/** `frame` converted to sRGB in place. */
export async function frameInSrgb(frame: Frame, from: SourceSpace): Promise<Frame> {
  await withSrgbTransform(from, async (convert) => (convert ?? fallback(from))(byteView(frame.data)));
  return frame;
}

/**
 * When lcms refuses the profile: RGB and grey rows are left as they are (shown as sRGB, as a viewer would);
 * CMYK rows still have to become RGB, by the plain formula the JPEG module uses without a profile.
 */
function fallback(from: SourceSpace): Convert {
  if (!('icc' in from) || from.rows !== 'cmyk') return () => {};
  return (pixels) => {
    for (let i = 0; i < pixels.length; i += 4) {
      const k = 255 - pixels[i + 3]!;
      pixels[i] = Math.round(((255 - pixels[i]!) * k) / 255);
      pixels[i + 1] = Math.round(((255 - pixels[i + 1]!) * k) / 255);
      pixels[i + 2] = Math.round(((255 - pixels[i + 2]!) * k) / 255);
      pixels[i + 3] = 255;
    }
  };
}
