// GIF: the logical screen descriptor gives the size; walking the block stream (skipping LZW data sub-block by
// sub-block, never decoding it) counts frames, finds transparency in Graphic Control Extensions and locates the
// first frame, which is all the decoder (src/codecs/gif.ts) reads.
import type { ImageInfo } from '../types';
import { ProbeError, malformed } from './errors';
import { ascii, u16le, u8 } from './bytes';

const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;
const GRAPHIC_CONTROL = 0xf9;

/** Where the first frame's blocks lie in the file, and its rectangle on the logical screen. */
export interface GifFirstFrame {
  /** Offset of the Graphic Control Extension that applies to it, if any. */
  control?: number;
  /** Offset of its image descriptor. */
  descriptor: number;
  /** Offset just after its last data sub-block; undefined when the file ends inside its data. */
  end?: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface GifLayout {
  /** The canvas: the logical screen, grown to hold the first frame. */
  width: number;
  height: number;
  frames: number;
  hasAlpha: boolean;
  /** Offset of the first block after the header and global colour table. */
  blocks: number;
  first: GifFirstFrame;
}

export function probeGif(b: Uint8Array): ImageInfo {
  const { width, height, hasAlpha, frames } = gifLayout(b);
  return { format: 'gif', width, height, orientation: 1, hasAlpha, frames, bitDepth: 8 };
}

export function gifLayout(b: Uint8Array): GifLayout {
  const version = ascii(b, 3, 3);
  if (version !== '87a' && version !== '89a') throw malformed(`gif: unknown version '${version}'`);
  let width = u16le(b, 6);
  let height = u16le(b, 8);
  const packed = u8(b, 10);
  // 13-byte header + screen descriptor, then the optional global colour table of 2^(n+1) RGB entries.
  const blocks = 13 + colourTableSize(packed);

  let frames = 0;
  let hasAlpha = false;
  let control: number | undefined;
  let first: GifFirstFrame | undefined;
  try {
    for (let i = blocks; ; ) {
      const block = u8(b, i);
      if (block === TRAILER) break;
      if (block === EXTENSION) {
        // GCE: introducer, label, block size (4), packed flags whose bit 0 says a colour index is transparent.
        if (u8(b, i + 1) === GRAPHIC_CONTROL && u8(b, i + 2) >= 4) {
          if ((u8(b, i + 3) & 1) === 1) hasAlpha = true;
          if (!first) control = i;
        }
        i = skipSubBlocks(b, i + 2);
      } else if (block === IMAGE) {
        // Descriptor: introducer, left, top, width, height (u16 each), packed; reading it whole first means a cut-off
        // descriptor counts as a truncated header, not as a frame.
        const localTable = colourTableSize(u8(b, i + 9));
        if (frames === 0) {
          first = { control, descriptor: i, left: u16le(b, i + 1), top: u16le(b, i + 3), width: u16le(b, i + 5), height: u16le(b, i + 7) };
          // A first frame past the logical screen (a zero screen happens in the wild) grows the canvas, as browsers
          // and libnsgif do; what it leaves uncovered shows through as transparent.
          width = Math.max(width, first.left + first.width);
          height = Math.max(height, first.top + first.height);
          if (first.left > 0 || first.top > 0 || first.width < width || first.height < height) hasAlpha = true;
        }
        frames++;
        // Then the optional local colour table, the LZW minimum code size byte and the data sub-blocks.
        i = skipSubBlocks(b, i + 10 + localTable + 1);
        if (frames === 1) first!.end = i;
      } else {
        // Junk after a complete frame ends the stream for browsers too; junk before any frame is a broken file.
        if (frames > 0) break;
        throw malformed(`gif: unknown block 0x${block.toString(16)} at ${i}`);
      }
    }
  } catch (e) {
    // GIFs cut short after their first frame (often just a missing trailer) still display in browsers and decode
    // in libnsgif/giflib, so keep what was counted; before the first frame the header itself is incomplete.
    if (!(e instanceof ProbeError && e.reason === 'truncated' && frames > 0)) throw e;
  }
  if (!first) throw malformed('gif: no image');
  if (width === 0 || height === 0) throw malformed(`gif: zero size ${width}x${height}`);
  return { width, height, frames, hasAlpha, blocks, first };
}

/** Bytes in the colour table announced by a packed field (bit 7: present; bits 0-2: size exponent). */
export function colourTableSize(packed: number): number {
  return packed & 0x80 ? 3 << ((packed & 7) + 1) : 0;
}

/** Skips a chain of length-prefixed sub-blocks ending with a zero-length one; returns the offset after it. */
function skipSubBlocks(b: Uint8Array, i: number): number {
  for (let n = u8(b, i); n !== 0; n = u8(b, i)) i += n + 1;
  return i + 1;
}

const APPLICATION = 0xff;

/** One frame's blocks and what its Graphic Control Extension says about showing it. */
export interface GifFrameBlocks extends GifFirstFrame {
  /** Display time in centiseconds. */
  delay: number;
  /** 0/1 leave the frame, 2 clear its rectangle to transparent, 3 restore what was under it. */
  disposal: number;
}

/**
 * Walks the frames one at a time (sub-blocks skipped, never decoded), so an animation is read without a list of
 * its frames. A frame whose data is cut short comes with `end` undefined and ends the walk.
 */
export function* gifFrames(b: Uint8Array, blocks: number): Generator<GifFrameBlocks> {
  let control: number | undefined;
  for (let i = blocks; i < b.length; ) {
    const block = b[i];
    if (block === EXTENSION) {
      if (u8(b, i + 1) === GRAPHIC_CONTROL && u8(b, i + 2) >= 4) control = i;
      i = skipSubBlocks(b, i + 2);
    } else if (block === IMAGE) {
      const frame: GifFrameBlocks = {
        control,
        descriptor: i,
        left: u16le(b, i + 1),
        top: u16le(b, i + 3),
        width: u16le(b, i + 5),
        height: u16le(b, i + 7),
        delay: control === undefined ? 0 : u16le(b, control + 4),
        disposal: control === undefined ? 0 : (u8(b, control + 3) >> 2) & 7,
      };
      try {
        frame.end = i = skipSubBlocks(b, i + 10 + colourTableSize(u8(b, i + 9)) + 1);
      } catch (e) {
        if (!(e instanceof ProbeError && e.reason === 'truncated')) throw e;
        yield frame;
        return;
      }
      control = undefined;
      yield frame;
    } else return; // the trailer, or junk after a frame: browsers stop there too
  }
}

/**
 * How many times the animation plays, 0 for forever (WebP's loop count, and libvips' `loop`): NETSCAPE2.0's value
 * counts repetitions after the first play (0 is forever); a GIF without the extension plays once.
 */
export function gifLoopCount(b: Uint8Array, blocks: number): number {
  for (let i = blocks; i < b.length && b[i] === EXTENSION; ) {
    if (u8(b, i + 1) === APPLICATION && u8(b, i + 2) === 11 && ascii(b, i + 3, 11) === 'NETSCAPE2.0' && u8(b, i + 14) >= 3) {
      const repeats = u16le(b, i + 16);
      return repeats === 0 ? 0 : repeats + 1;
    }
    i = skipSubBlocks(b, i + 2);
  }
  return 1;
}
