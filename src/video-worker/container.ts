/** Which video container bytes start as, from their first bytes (no ffmpeg: the image Worker asks this too). */
export type Container = 'mp4' | 'webm';

const ISO_BOXES = ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'];
/** ISO BMFF brands of still images (AVIF, HEIF/HEIC), which share the `ftyp` box with MP4. */
const IMAGE_BRANDS = ['avif', 'avis', 'heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

export function videoContainerOf(bytes: Uint8Array): Container | undefined {
  const text = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ISO_BOXES.includes(text(4, 8))) return text(4, 8) === 'ftyp' && IMAGE_BRANDS.includes(text(8, 12)) ? undefined : 'mp4';
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  return undefined;
}
