// HEIC: HEVC-coded HEIF, what iPhones store. The image is the primary item: one HEVC item, or (iPhone photos) a
// 'grid' of HEVC tiles, 512×512 each, whose ispe is the whole image's size. Its irot/imir properties give the
// orientation, as for AVIF (an EXIF block in the file is informative only: readers apply irot/imir, never both).
import type { ImageInfo } from '../types';
import { malformed } from './errors';
import { u32be, u8 } from './bytes';
import { ORIENTATION } from './avif';
import { alphaItemOf, colourOf, hevcTiles, propertyOf, readHeifMeta } from './heif';

export function probeHeic(b: Uint8Array): ImageInfo {
  const meta = readHeifMeta(b);
  const primary = meta.items.get(meta.primary);
  if (!primary) throw malformed(`heic: the primary item ${meta.primary} is not in iinf`);
  const tiles = hevcTiles(meta, primary);
  if (!tiles) throw malformed(`heic: the primary item is '${primary.type}', not HEVC or a grid of HEVC tiles`);

  const ispe = propertyOf(primary, 'ispe'); // FullBox: version/flags, width u32, height u32
  if (!ispe) throw malformed('heic: the primary item has no ispe');
  const width = u32be(b, ispe.data + 4, ispe.end);
  const height = u32be(b, ispe.data + 8, ispe.end);
  if (width === 0 || height === 0) throw malformed(`heic: ispe declares ${width}x${height}`);

  const irot = propertyOf(primary, 'irot');
  const imir = propertyOf(primary, 'imir');
  const angle = irot ? u8(b, irot.data, irot.end) & 3 : 0;
  const mirror = imir ? 1 + (u8(b, imir.data, imir.end) & 1) : 0;
  // The colour description is the image's own, else its (first) tile's: iPhones put colr on both.
  const colour = colourOf(b, primary) ?? colourOf(b, tiles[0]!);
  return {
    format: 'heic',
    width,
    height,
    orientation: ORIENTATION[angle]![mirror]!,
    hasAlpha: alphaItemOf(b, meta, primary.id) !== undefined,
    frames: 1,
    bitDepth: hevcBitDepth(b, propertyOf(primary, 'pixi') ?? propertyOf(tiles[0]!, 'pixi'), propertyOf(tiles[0]!, 'hvcC')),
    ...(colour ? { colour } : {}),
  };
}

/** pixi's first channel, else hvcC's bitDepthLumaMinus8 (ISO/IEC 14496-15 §8.3.3.1, byte 18). */
function hevcBitDepth(b: Uint8Array, pixi: { data: number; end: number } | undefined, hvcC: { data: number; end: number } | undefined): number {
  if (pixi && u8(b, pixi.data + 4, pixi.end) > 0) return u8(b, pixi.data + 5, pixi.end);
  if (!hvcC) throw malformed('heic: the HEVC item has no hvcC');
  return (u8(b, hvcC.data + 18, hvcC.end) & 7) + 8;
}
