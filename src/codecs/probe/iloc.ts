// The entries of an ISOBMFF item location box (iloc, ISO/IEC 14496-12 §8.11.3), with where each offset field sits,
// so a reader can find an item's data and a writer can move it.
import type { Box } from './containers';
import { u16be, u32be, u8 } from './bytes';

export interface IlocExtent {
  /** Position of the extent_offset field (its size is IlocLayout.offsetSize) and its value. */
  offsetAt: number;
  offset: number;
  length: number;
}

export interface IlocEntry {
  id: number;
  /** 0: file offsets, 1: inside idat, 2: another item. */
  method: number;
  baseAt: number;
  base: number;
  extents: IlocExtent[];
}

export interface IlocLayout {
  version: number;
  offsetSize: number;
  lengthSize: number;
  baseSize: number;
  indexSize: number;
}

export function ilocLayout(b: Uint8Array, iloc: Box): IlocLayout {
  const version = u8(b, iloc.data, iloc.end);
  const sizes = u8(b, iloc.data + 4, iloc.end);
  const more = u8(b, iloc.data + 5, iloc.end);
  return { version, offsetSize: sizes >> 4, lengthSize: sizes & 15, baseSize: more >> 4, indexSize: version >= 1 ? more & 15 : 0 };
}

/** A big-endian field of 0, 4 or 8 bytes (ISOBMFF's variable-size offsets and lengths). */
export function sized(b: Uint8Array, at: number, size: number, end: number): number {
  if (size === 4) return u32be(b, at, end);
  if (size === 8) return u32be(b, at, end) * 2 ** 32 + u32be(b, at + 4, end);
  return 0;
}

export function ilocEntries(b: Uint8Array, iloc: Box): IlocEntry[] {
  const { version, offsetSize, lengthSize, baseSize, indexSize } = ilocLayout(b, iloc);
  const end = iloc.end;
  let o = iloc.data + 6;
  const count = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
  o += version < 2 ? 2 : 4;
  const entries: IlocEntry[] = [];
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
    o += version < 2 ? 2 : 4;
    const method = version >= 1 ? u16be(b, o, end) & 15 : 0;
    if (version >= 1) o += 2;
    o += 2; // data_reference_index
    const baseAt = o;
    const base = sized(b, o, baseSize, end);
    o += baseSize;
    const extentCount = u16be(b, o, end);
    o += 2;
    const extents: IlocExtent[] = [];
    for (let e = 0; e < extentCount; e++) {
      o += indexSize;
      extents.push({ offsetAt: o, offset: sized(b, o, offsetSize, end), length: sized(b, o + offsetSize, lengthSize, end) });
      o += offsetSize + lengthSize;
    }
    entries.push({ id, method, baseAt, base, extents });
  }
  return entries;
}
