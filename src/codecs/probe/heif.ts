// HEIF's item structure (ISO/IEC 23008-12), as HEIC and AVIF need it: the meta box's items (iinf), where their
// data lies (iloc), how they refer to each other (iref: a grid's tiles are 'dimg', an alpha plane is 'auxl',
// premultiplied colour 'prem') and their properties (ipco, tied to items by ipma). The HEIC probe reads the
// primary item's header from it, and the HEIC and AVIF decoders find every coded image they decode. Every read is bounds-checked; nothing is read from mdat.
import type { ColourInfo } from '../types';
import { ProbeError, malformed } from './errors';
import { ascii, need, u16be, u32be, u8 } from './bytes';
import { type Box, boxAt, boxesIn } from './containers';
import { ALPHA_URNS, associations, cString } from './avif';

export interface HeifItem {
  id: number;
  /** 'hvc1', 'grid', 'av01', 'Exif', 'mime', … */
  type: string;
  properties: Box[];
  /** The item's bytes in the file (absolute offsets), in order; iloc construction methods 0 (file) and 1 (idat). */
  extents: { offset: number; length: number }[];
}

export interface HeifMeta {
  primary: number;
  items: Map<number, HeifItem>;
  /** iref: references of `type` from one item to others, in their stored order. */
  references: { type: string; from: number; to: number[] }[];
}

const HEVC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'];

/** The ftyp brands (major first, then the compatible ones); [] when the data does not start with ftyp. Never throws. */
export function ftypBrands(b: Uint8Array): string[] {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return [];
  const end = Math.min(u32be(b, 0), b.length);
  const out = [ascii(b, 8, 4)];
  for (let o = 16; o + 4 <= end; o += 4) out.push(ascii(b, o, 4));
  return out;
}

/** The top-level meta box; 'truncated' when the data ends first. */
export function metaBox(b: Uint8Array): Box {
  const ftyp = boxAt(b, 0, b.length);
  need(b, 0, ftyp.end);
  for (let i = ftyp.end; i < b.length; ) {
    const top = boxAt(b, i, b.length);
    if (top.type === 'meta') {
      need(b, 0, top.end);
      return top;
    }
    if (top.end > b.length) break;
    i = top.end;
  }
  throw new ProbeError('truncated', 'heif: data ends before the meta box');
}

export function readHeifMeta(b: Uint8Array, meta: Box = metaBox(b)): HeifMeta {
  const boxes = boxesIn(b, meta.data + 4, meta.end); // meta is a FullBox
  const find = (type: string) => boxes.find((c) => c.type === type);
  const pitm = find('pitm');
  const iinf = find('iinf');
  const iloc = find('iloc');
  const iprp = find('iprp');
  if (!pitm || !iinf || !iloc || !iprp) throw malformed('heif: meta lacks pitm, iinf, iloc or iprp');
  const primary = u8(b, pitm.data, pitm.end) === 0 ? u16be(b, pitm.data + 4, pitm.end) : u32be(b, pitm.data + 4, pitm.end);

  const iprpBoxes = boxesIn(b, iprp.data, iprp.end);
  const ipco = iprpBoxes.find((c) => c.type === 'ipco');
  if (!ipco) throw malformed('heif: iprp has no ipco');
  const properties = boxesIn(b, ipco.data, ipco.end);
  const ipmas = iprpBoxes.filter((c) => c.type === 'ipma');
  const propertiesOf = (id: number) =>
    ipmas.flatMap((ipma) => associations(b, ipma, id)).map((index) => {
      const p = properties[index - 1]; // 1-based
      if (!p) throw malformed(`heif: ipma refers to property ${index} of ${properties.length}`);
      return p;
    });

  const idat = find('idat');
  const locations = itemLocations(b, iloc, idat);
  const items = new Map<number, HeifItem>();
  for (const [id, type] of itemTypes(b, iinf)) {
    items.set(id, { id, type, properties: propertiesOf(id), extents: locations.get(id) ?? [] });
  }
  const iref = find('iref');
  return { primary, items, references: iref ? itemReferences(b, iref) : [] };
}

/** iinf's infe entries (versions 2 and 3 name the item type; older ones are not image items). */
function itemTypes(b: Uint8Array, iinf: Box): [number, string][] {
  const version = u8(b, iinf.data, iinf.end);
  const out: [number, string][] = [];
  for (const infe of boxesIn(b, iinf.data + (version === 0 ? 6 : 8), iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = u8(b, infe.data, infe.end);
    if (v < 2) continue;
    const wide = v >= 3;
    const id = wide ? u32be(b, infe.data + 4, infe.end) : u16be(b, infe.data + 4, infe.end);
    out.push([id, ascii(b, infe.data + (wide ? 10 : 8), 4, infe.end)]);
  }
  return out;
}

/** iloc (§8.11.3): each item's extents as absolute file ranges. */
function itemLocations(b: Uint8Array, iloc: Box, idat: Box | undefined): Map<number, HeifItem['extents']> {
  const { end } = iloc;
  const version = u8(b, iloc.data, end);
  const sizes = u16be(b, iloc.data + 4, end);
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 15;
  const baseSize = (sizes >> 4) & 15;
  const indexSize = version >= 1 ? sizes & 15 : 0;
  let o = iloc.data + 6;
  const read = (n: number) => {
    if (![0, 4, 8].includes(n)) throw malformed(`heif: iloc field size ${n}`);
    const v = n === 0 ? 0 : n === 4 ? u32be(b, o, end) : u32be(b, o, end) * 2 ** 32 + u32be(b, o + 4, end);
    o += n;
    return v;
  };
  const count = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
  o += version < 2 ? 2 : 4;
  const out = new Map<number, HeifItem['extents']>();
  for (let k = 0; k < count; k++) {
    const id = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
    o += version < 2 ? 2 : 4;
    const method = version >= 1 ? u16be(b, o, end) & 15 : 0;
    o += version >= 1 ? 2 : 0;
    o += 2; // data_reference_index: 0, this file
    const base = read(baseSize);
    const extentCount = u16be(b, o, end);
    o += 2;
    const extents: HeifItem['extents'] = [];
    for (let e = 0; e < extentCount; e++) {
      if (indexSize) read(indexSize);
      const offset = read(offsetSize);
      const length = read(lengthSize);
      extents.push({ offset: base + offset + (method === 1 ? idatStart(idat) : 0), length });
    }
    // Method 2 (data in another item) is not used by HEIC writers we know of; such an item has no data here.
    out.set(id, method <= 1 ? extents : []);
  }
  return out;
}

function idatStart(idat: Box | undefined): number {
  if (!idat) throw malformed('heif: iloc points into idat, which is missing');
  return idat.data;
}

function itemReferences(b: Uint8Array, iref: Box): HeifMeta['references'] {
  const wide = u8(b, iref.data, iref.end) !== 0;
  return boxesIn(b, iref.data + 4, iref.end).map((ref) => {
    const id = (o: number) => (wide ? u32be(b, o, ref.end) : u16be(b, o, ref.end));
    const size = wide ? 4 : 2;
    const from = id(ref.data);
    const count = u16be(b, ref.data + size, ref.end);
    const to = Array.from({ length: count }, (_, k) => id(ref.data + size + 2 + k * size));
    return { type: ref.type, from, to };
  });
}

/** The item's extents, in the file: a view when there is one (the usual case), else a copy of them joined. */
export function itemData(b: Uint8Array, item: HeifItem, fail: (reason: string) => Error): Uint8Array {
  if (item.extents.length === 0) throw fail(`item ${item.id} has no data`);
  for (const { offset, length } of item.extents) {
    if (offset + length > b.length) throw fail('the file is truncated: an image\'s data lies past its end');
  }
  if (item.extents.length === 1) {
    const [{ offset, length }] = item.extents as [{ offset: number; length: number }];
    return b.subarray(offset, offset + length);
  }
  const out = new Uint8Array(item.extents.reduce((sum, e) => sum + e.length, 0));
  let at = 0;
  for (const { offset, length } of item.extents) {
    out.set(b.subarray(offset, offset + length), at);
    at += length;
  }
  return out;
}

/** The grid descriptor (ISO/IEC 23008-12 §6.6.2.3.2): version, flags, rows − 1, columns − 1, output size. */
export function gridOf(
  b: Uint8Array,
  grid: HeifItem,
  fail: (reason: string) => Error,
): { columns: number; rows: number; outputWidth: number; outputHeight: number } {
  const data = itemData(b, grid, fail);
  const wide = (data[1]! & 1) === 1; // flags bit 0: 32-bit output size
  if (data.length < (wide ? 12 : 8) || data[0] !== 0) throw fail('the grid descriptor is malformed');
  return {
    columns: data[3]! + 1,
    rows: data[2]! + 1,
    outputWidth: wide ? u32be(data, 4) : u16be(data, 4),
    outputHeight: wide ? u32be(data, 8) : u16be(data, 6),
  };
}

/** ispe's width and height, when the item has one. */
export function spatialExtent(b: Uint8Array, item: HeifItem): { width: number; height: number } | undefined {
  const ispe = propertyOf(item, 'ispe');
  return ispe && { width: u32be(b, ispe.data + 4, ispe.end), height: u32be(b, ispe.data + 8, ispe.end) };
}

/** The first property of `type` the item has. */
export const propertyOf = (item: HeifItem, type: string): Box | undefined => item.properties.find((p) => p.type === type);

/** The items `from` refers to with `type` ('dimg': a grid's tiles, in raster order). */
export function referencedBy(meta: HeifMeta, from: number, type: string): number[] {
  return meta.references.filter((r) => r.type === type && r.from === from).flatMap((r) => r.to);
}

/** The alpha item of `image`: an auxiliary item ('auxl' to it) whose auxC names an alpha URN. */
export function alphaItemOf(b: Uint8Array, meta: HeifMeta, image: number): HeifItem | undefined {
  for (const r of meta.references) {
    if (r.type !== 'auxl' || !r.to.includes(image)) continue;
    const item = meta.items.get(r.from);
    const auxC = item && propertyOf(item, 'auxC');
    if (auxC && ALPHA_URNS.includes(cString(b, auxC.data + 4, auxC.end))) return item;
  }
  return undefined;
}

/** The HEVC image items an item is made of: itself ('hvc1'), or a grid's tiles; undefined for anything else. */
export function hevcTiles(meta: HeifMeta, item: HeifItem): HeifItem[] | undefined {
  if (item.type === 'hvc1') return [item];
  if (item.type !== 'grid') return undefined;
  const tiles = referencedBy(meta, item.id, 'dimg').map((id) => meta.items.get(id));
  return tiles.length > 0 && tiles.every((t) => t?.type === 'hvc1') ? (tiles as HeifItem[]) : undefined;
}

/**
 * Whether the file is HEVC-coded HEIF: a HEIC brand in ftyp, or a generic one (mif1, msf1) whose primary item is
 * HEVC or a grid of HEVC tiles. Never throws (sniffing: anything unreadable is simply not HEIC).
 */
export function isHeic(b: Uint8Array): boolean {
  const brands = ftypBrands(b);
  if (brands.some((brand) => HEVC_BRANDS.includes(brand))) return true;
  if (!brands.some((brand) => brand === 'mif1' || brand === 'msf1')) return false;
  try {
    const meta = readHeifMeta(b);
    const primary = meta.items.get(meta.primary);
    return primary !== undefined && hevcTiles(meta, primary) !== undefined;
  } catch (e) {
    if (e instanceof ProbeError) return false;
    throw e;
  }
}

/** The colr properties of an item: an nclx box's code points and/or an ICC profile ('prof' or 'rICC'). */
export function colourOf(b: Uint8Array, item: HeifItem): ColourInfo | undefined {
  let colour: ColourInfo | undefined;
  for (const colr of item.properties) {
    if (colr.type !== 'colr') continue;
    const kind = ascii(b, colr.data, 4, colr.end);
    if (kind === 'nclx') {
      colour = {
        ...colour,
        primaries: u16be(b, colr.data + 4, colr.end),
        transfer: u16be(b, colr.data + 6, colr.end),
        matrix: u16be(b, colr.data + 8, colr.end),
        fullRange: (u8(b, colr.data + 10, colr.end) & 0x80) !== 0,
      };
    } else if (kind === 'prof' || kind === 'rICC') {
      colour = { ...colour, icc: b.slice(colr.data + 4, colr.end) };
    }
  }
  return colour;
}
