// AVIF: an ISOBMFF/HEIF file. The still image is the meta box's primary item (pitm); its properties (ipco, tied to
// items by ipma) give the size (ispe), bit depth (pixi, else av1C) and display transforms (irot/imir). Alpha lives in
// an auxiliary item whose auxC property names the alpha URN. Image sequences ('avis') also carry a moov track whose
// sample count is the frame count. Only box headers are walked; mdat (the AV1 data) is skipped by its size.
import type { ImageInfo } from '../types';
import { ProbeError, malformed } from './errors';
import { ascii, need, startsWith, u16be, u32be, u8 } from './bytes';
import { isobmffColour } from './colour';
import { type Box, boxAt, boxesIn } from './containers';

const FTYP = [0x66, 0x74, 0x79, 0x70] as const;
export const ALPHA_URNS = ['urn:mpeg:mpegB:cicp:systems:auxiliary:alpha', 'urn:mpeg:hevc:2015:auxid:1'];
/**
 * EXIF orientation for irot angle (rows: 0–3 × 90° anti-clockwise) then imir (columns: none, axis 0 = top/bottom
 * exchanged, axis 1 = left/right exchanged, per ISO/IEC 23008-12:2022). MIAF applies irot before imir; the table
 * matches libavif's Exif↔irot/imir conversion.
 */
export const ORIENTATION = [
  [1, 4, 2],
  [8, 5, 7],
  [3, 2, 4],
  [6, 7, 5],
] as const;

/** Magic-only check: an ftyp box whose major or compatible brands include 'avif' or 'avis'. Never throws. */
export function hasAvifBrand(b: Uint8Array): boolean {
  if (!startsWith(b, FTYP, 4) || b.length < 12) return false;
  const isAvif = (o: number) => ['avif', 'avis'].includes(ascii(b, o, 4));
  // Major brand at 8, minor version at 12, compatible brands from 16 to the end of the box.
  if (isAvif(8)) return true;
  const end = Math.min(u32be(b, 0), b.length);
  for (let o = 16; o + 4 <= end; o += 4) if (isAvif(o)) return true;
  return false;
}

export function probeAvif(b: Uint8Array): ImageInfo {
  const ftyp = boxAt(b, 0, b.length);
  need(b, 0, ftyp.end);
  const sequence = brands(b, ftyp).includes('avis');

  // Top level: find meta (and moov for sequences) without reading anything else.
  let meta: Box | undefined;
  let moov: Box | undefined;
  let cutShort = false;
  for (let i = ftyp.end; i < b.length && !(meta && (moov || !sequence)); ) {
    const top = boxAt(b, i, b.length);
    if (top.type === 'meta') meta = top;
    else if (top.type === 'moov') moov = top;
    cutShort = top.end > b.length;
    i = top.end;
  }
  if (!meta || (sequence && !moov && cutShort)) {
    if (cutShort) throw new ProbeError('truncated', 'avif: data ends before the meta/moov box');
    throw malformed('avif: no meta box');
  }
  need(b, 0, meta.end);
  if (moov) need(b, 0, moov.end);
  return { format: 'avif', ...primaryItem(b, meta), frames: moov ? sequenceFrames(b, moov) : 1 };
}

function child(b: Uint8Array, parent: Box, type: string): Box | undefined {
  return boxesIn(b, parent.data, parent.end).find((c) => c.type === type);
}

function brands(b: Uint8Array, ftyp: Box): string[] {
  const out = [ascii(b, ftyp.data, 4, ftyp.end)];
  for (let o = ftyp.data + 8; o + 4 <= ftyp.end; o += 4) out.push(ascii(b, o, 4, ftyp.end));
  return out;
}

function primaryItem(b: Uint8Array, meta: Box): Omit<ImageInfo, 'format' | 'frames'> {
  const boxes = boxesIn(b, meta.data + 4, meta.end); // meta is a FullBox: skip version + flags
  const pitm = boxes.find((c) => c.type === 'pitm');
  const iprp = boxes.find((c) => c.type === 'iprp');
  if (!pitm || !iprp) throw malformed('avif: meta has no pitm/iprp');
  // pitm: FullBox whose item_ID is 16-bit in version 0, 32-bit after.
  const id = pitm.data + 4;
  const primary = u8(b, pitm.data, pitm.end) === 0 ? u16be(b, id, pitm.end) : u32be(b, id, pitm.end);

  const iprpBoxes = boxesIn(b, iprp.data, iprp.end);
  const ipco = iprpBoxes.find((c) => c.type === 'ipco');
  if (!ipco) throw malformed('avif: iprp has no ipco');
  const properties = boxesIn(b, ipco.data, ipco.end);
  const own = iprpBoxes
    .filter((c) => c.type === 'ipma')
    .flatMap((ipma) => associations(b, ipma, primary))
    .map((index) => {
      const p = properties[index - 1]; // ipma indexes are 1-based
      if (!p) throw malformed(`avif: ipma refers to property ${index} of ${properties.length}`);
      return p;
    });
  const find = (type: string) => own.find((p) => p.type === type);

  const ispe = find('ispe'); // FullBox: version/flags, width u32, height u32
  if (!ispe) throw malformed('avif: primary item has no ispe');
  const width = u32be(b, ispe.data + 4, ispe.end);
  const height = u32be(b, ispe.data + 8, ispe.end);
  if (width === 0 || height === 0) throw malformed(`avif: ispe declares ${width}x${height}`);

  const irot = find('irot');
  const imir = find('imir');
  const angle = irot ? u8(b, irot.data, irot.end) & 3 : 0;
  const mirror = imir ? 1 + (u8(b, imir.data, imir.end) & 1) : 0;
  const colour = isobmffColour(b, own.filter((p) => p.type === 'colr'));
  return {
    ...(colour && { colour }),
    width,
    height,
    orientation: ORIENTATION[angle]![mirror]!,
    hasAlpha: properties.some((p) => p.type === 'auxC' && ALPHA_URNS.includes(cString(b, p.data + 4, p.end))),
    bitDepth: bitDepth(b, find('pixi'), find('av1C')),
  };
}

/** Property indexes that one ipma box associates with `item` (ISO/IEC 23008-12 §9.3.2). */
export function associations(b: Uint8Array, ipma: Box, item: number): number[] {
  const { data, end } = ipma;
  const version = u8(b, data, end);
  const wide = (u8(b, data + 3, end) & 1) === 1; // flags bit 0: 15-bit indexes instead of 7-bit
  const out: number[] = [];
  let o = data + 8;
  for (let n = u32be(b, data + 4, end); n > 0; n--) {
    const id = version < 1 ? u16be(b, o, end) : u32be(b, o, end);
    o += version < 1 ? 2 : 4;
    const count = u8(b, o++, end);
    for (let k = 0; k < count; k++) {
      const index = wide ? u16be(b, o, end) & 0x7fff : u8(b, o, end) & 0x7f; // top bit: "essential"
      o += wide ? 2 : 1;
      if (id === item && index !== 0) out.push(index);
    }
  }
  return out;
}

/** pixi lists bits per channel; without it, av1C's high_bitdepth/twelve_bit flags say 8, 10 or 12. */
function bitDepth(b: Uint8Array, pixi: Box | undefined, av1c: Box | undefined): number {
  if (pixi && u8(b, pixi.data + 4, pixi.end) > 0) return u8(b, pixi.data + 5, pixi.end);
  if (!av1c) return 8;
  const flags = u8(b, av1c.data + 2, av1c.end);
  return flags & 0x40 ? (flags & 0x20 ? 12 : 10) : 8;
}

/** Sample count of the first 'pict' track (the colour frames; an alpha track has handler 'auxv'). */
function sequenceFrames(b: Uint8Array, moov: Box): number {
  for (const trak of boxesIn(b, moov.data, moov.end)) {
    if (trak.type !== 'trak') continue;
    const mdia = child(b, trak, 'mdia');
    const hdlr = mdia && child(b, mdia, 'hdlr'); // FullBox: version/flags, pre_defined, handler_type
    if (!mdia || !hdlr || ascii(b, hdlr.data + 8, 4, hdlr.end) !== 'pict') continue;
    const minf = child(b, mdia, 'minf');
    const stbl = minf && child(b, minf, 'stbl');
    const stsz = stbl && (child(b, stbl, 'stsz') ?? child(b, stbl, 'stz2'));
    // Both are FullBoxes with sample_count at payload offset 8.
    if (stsz) return u32be(b, stsz.data + 8, stsz.end) || 1;
  }
  return 1;
}

/** A NUL-terminated string starting at `o`, cut at `end`. */
export function cString(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}
