// AVIF items: what the decoder needs beyond the probe's header values. Where each item's AV1 data lies (iloc,
// in the file or in idat), which item is the primary image and whether it is a grid of tiles (iinf item
// types, the grid's ImageGrid record, its dimg references in order), the alpha auxiliary item (auxl, auxC) and
// whether the colour was premultiplied by it (prem), and each item's properties (ipma → ipco). Like the probe,
// only box headers and these small records are read; the AV1 data itself is not.
import { ProbeError, malformed } from './errors';
import { ascii, u16be, u32be, u8 } from './bytes';
import { type Box, boxAt, boxesIn } from './containers';

export const ALPHA_URNS = ['urn:mpeg:mpegB:cicp:systems:auxiliary:alpha', 'urn:mpeg:hevc:2015:auxid:1'];

/** One image item: its AV1 data (a single coded image) or, for a grid, its tiles row by row. */
export interface AvifItem {
  id: number;
  /** Byte ranges of the item's data, in order: [start, end) of the file. */
  extents: Array<[number, number]>;
  properties: Box[];
  grid?: AvifGrid;
}

export interface AvifGrid {
  rows: number;
  columns: number;
  outputWidth: number;
  outputHeight: number;
  /** rows × columns tiles, row-major (the grid's dimg references in order). */
  tiles: AvifItem[];
}

export interface AvifItems {
  primary: AvifItem;
  alpha?: AvifItem;
  /** A prem reference ties colour and alpha: the colour samples were multiplied by alpha. */
  premultiplied: boolean;
}

interface RawItem {
  type: string;
  extents: Array<[number, number]>;
}

/** The meta box's items. Throws a ProbeError when the structure is broken or data lies outside the file. */
export function readAvifItems(b: Uint8Array): AvifItems {
  const meta = topLevelMeta(b);
  const boxes = boxesIn(b, meta.data + 4, meta.end);
  const find = (type: string) => boxes.find((c) => c.type === type);
  const pitm = find('pitm');
  const iprp = find('iprp');
  const iinf = find('iinf');
  const iloc = find('iloc');
  if (!pitm || !iprp || !iinf || !iloc) throw malformed('avif: meta lacks pitm, iprp, iinf or iloc');
  const primaryId = versioned(b, pitm, pitm.data + 4);
  const types = itemTypes(b, iinf);
  const locations = itemLocations(b, iloc, find('idat'));
  const refs = find('iref') ? references(b, find('iref')!) : [];
  const propertiesOf = itemProperties(b, iprp);

  const item = (id: number, depth = 0): AvifItem => {
    const type = types.get(id);
    const extents = locations.get(id);
    if (!extents) throw malformed(`avif: item ${id} has no location`);
    const properties = propertiesOf(id);
    if (type === 'av01') return { id, extents, properties };
    if (type !== 'grid' || depth > 0) throw malformed(`avif: item ${id} is '${type ?? 'unknown'}', not an AV1 image`);
    const record = concat(b, extents);
    const flags = u8(record, 1);
    const rows = u8(record, 2) + 1;
    const columns = u8(record, 3) + 1;
    const wide = (flags & 1) === 1;
    const outputWidth = wide ? u32be(record, 4) : u16be(record, 4);
    const outputHeight = wide ? u32be(record, 8) : u16be(record, 6);
    const tileIds = refs.filter((r) => r.type === 'dimg' && r.from === id).flatMap((r) => r.to);
    if (tileIds.length !== rows * columns) {
      throw malformed(`avif: grid ${columns}×${rows} has ${tileIds.length} tiles`);
    }
    const tiles = tileIds.map((tile) => item(tile, depth + 1));
    return { id, extents, properties, grid: { rows, columns, outputWidth, outputHeight, tiles } };
  };

  const primary = item(primaryId);
  const alphaId = refs
    .filter((r) => r.type === 'auxl' && r.to.includes(primaryId))
    .map((r) => r.from)
    .find((id) => propertiesOf(id).some((p) => p.type === 'auxC' && ALPHA_URNS.includes(cString(b, p.data + 4, p.end))));
  const alpha = alphaId === undefined ? undefined : item(alphaId);
  const premultiplied =
    alpha !== undefined &&
    refs.some(
      (r) =>
        r.type === 'prem' &&
        ((r.from === primaryId && r.to.includes(alpha.id)) || (r.from === alpha.id && r.to.includes(primaryId))),
    );
  return { primary, alpha, premultiplied };
}

/** The item's data: a view when it is one extent, else a copy of its extents joined. */
export function itemData(b: Uint8Array, item: AvifItem): Uint8Array {
  return concat(b, item.extents);
}

function concat(b: Uint8Array, extents: Array<[number, number]>): Uint8Array {
  if (extents.length === 1) return b.subarray(extents[0]![0], extents[0]![1]);
  const out = new Uint8Array(extents.reduce((n, [start, end]) => n + end - start, 0));
  let at = 0;
  for (const [start, end] of extents) {
    out.set(b.subarray(start, end), at);
    at += end - start;
  }
  return out;
}

export function topLevelMeta(b: Uint8Array): Box {
  for (let i = 0; i < b.length; ) {
    const box = boxAt(b, i, b.length);
    if (box.type === 'meta') {
      if (box.end > b.length) throw new ProbeError('truncated', 'avif: data ends inside the meta box');
      return box;
    }
    i = box.end;
  }
  throw malformed('avif: no meta box');
}

/** A FullBox field that is 16-bit in version 0 and 32-bit after. */
function versioned(b: Uint8Array, box: Box, o: number): number {
  return u8(b, box.data, box.end) === 0 ? u16be(b, o, box.end) : u32be(b, o, box.end);
}

/** item_ID → item_type from the infe entries (versions 2 and 3; older entries carry no type). */
function itemTypes(b: Uint8Array, iinf: Box): Map<number, string> {
  const types = new Map<number, string>();
  const first = iinf.data + 4 + (u8(b, iinf.data, iinf.end) === 0 ? 2 : 4); // version/flags, entry_count
  for (const infe of boxesIn(b, first, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const version = u8(b, infe.data, infe.end);
    if (version < 2) continue;
    const id = version === 2 ? u16be(b, infe.data + 4, infe.end) : u32be(b, infe.data + 4, infe.end);
    const typeAt = infe.data + 4 + (version === 2 ? 2 : 4) + 2; // item_ID, item_protection_index
    types.set(id, ascii(b, typeAt, 4, infe.end));
  }
  return types;
}

/** An unsigned big-endian field of 0, 4 or 8 bytes (iloc's sizes). */
function field(b: Uint8Array, o: number, size: number, end: number): number {
  if (size === 0) return 0;
  if (size === 4) return u32be(b, o, end);
  if (size === 8) return u32be(b, o, end) * 2 ** 32 + u32be(b, o + 4, end);
  throw malformed(`avif: iloc field size ${size}`);
}

/** item_ID → its extents as file ranges (ISO/IEC 14496-12 §8.11.3; construction methods 0, file, and 1, idat). */
function itemLocations(b: Uint8Array, iloc: Box, idat: Box | undefined): Map<number, Array<[number, number]>> {
  const { data, end } = iloc;
  const version = u8(b, data, end);
  const sizes = u16be(b, data + 4, end);
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 15;
  const baseSize = (sizes >> 4) & 15;
  const indexSize = version >= 1 ? sizes & 15 : 0;
  let o = data + 6;
  const count = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
  o += version < 2 ? 2 : 4;
  const out = new Map<number, Array<[number, number]>>();
  for (let n = 0; n < count; n++) {
    const id = version < 2 ? u16be(b, o, end) : u32be(b, o, end);
    o += version < 2 ? 2 : 4;
    let method = 0;
    if (version >= 1) {
      method = u16be(b, o, end) & 15;
      o += 2;
    }
    o += 2; // data_reference_index
    const base = field(b, o, baseSize, end);
    o += baseSize;
    const extentCount = u16be(b, o, end);
    o += 2;
    const extents: Array<[number, number]> = [];
    for (let e = 0; e < extentCount; e++) {
      o += indexSize;
      const offset = field(b, o, offsetSize, end);
      o += offsetSize;
      const length = field(b, o, lengthSize, end);
      o += lengthSize;
      let start: number;
      let limit: number;
      if (method === 0) {
        start = base + offset;
        limit = b.length;
      } else if (method === 1 && idat) {
        start = idat.data + base + offset;
        limit = idat.end;
      } else {
        throw malformed(`avif: item ${id} uses construction method ${method}`);
      }
      const stop = length === 0 ? limit : start + length; // 0: the rest of the file (or idat)
      if (stop > limit) throw new ProbeError('truncated', `avif: item ${id}'s data runs past the end of the file`);
      extents.push([start, stop]);
    }
    out.set(id, extents);
  }
  return out;
}

interface Reference {
  type: string;
  from: number;
  to: number[];
}

function references(b: Uint8Array, iref: Box): Reference[] {
  const wide = u8(b, iref.data, iref.end) !== 0;
  const id = (o: number, end: number) => (wide ? u32be(b, o, end) : u16be(b, o, end));
  const size = wide ? 4 : 2;
  return boxesIn(b, iref.data + 4, iref.end).map((box) => {
    const count = u16be(b, box.data + size, box.end);
    const to: number[] = [];
    for (let k = 0; k < count; k++) to.push(id(box.data + size + 2 + k * size, box.end));
    return { type: box.type, from: id(box.data, box.end), to };
  });
}

/** item_ID → its properties, in the order ipma lists them. */
export function itemProperties(b: Uint8Array, iprp: Box): (item: number) => Box[] {
  const iprpBoxes = boxesIn(b, iprp.data, iprp.end);
  const ipco = iprpBoxes.find((c) => c.type === 'ipco');
  if (!ipco) throw malformed('avif: iprp has no ipco');
  const properties = boxesIn(b, ipco.data, ipco.end);
  const ipmas = iprpBoxes.filter((c) => c.type === 'ipma');
  return (item) =>
    ipmas
      .flatMap((ipma) => associations(b, ipma, item))
      .map((index) => {
        const p = properties[index - 1]; // ipma indexes are 1-based
        if (!p) throw malformed(`avif: ipma refers to property ${index} of ${properties.length}`);
        return p;
      });
}

/** Property indexes that one ipma box associates with `item` (ISO/IEC 23008-12 §9.3.2). */
function associations(b: Uint8Array, ipma: Box, item: number): number[] {
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

/** A NUL-terminated string starting at `o`, cut at `end`. */
export function cString(b: Uint8Array, o: number, end: number): string {
  let s = '';
  for (let i = o; i < end && b[i] !== 0; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** What a colr box (or two: nclx and an ICC profile) among `properties` says. */
export interface AvifColour {
  icc?: Uint8Array;
  primaries?: number;
  transfer?: number;
  matrix?: number;
  fullRange?: boolean;
}

export function colourOf(b: Uint8Array, properties: Box[]): AvifColour | undefined {
  let colour: AvifColour | undefined;
  for (const colr of properties.filter((p) => p.type === 'colr')) {
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

/** av1C's chroma layout: subsampling per axis, or monochrome (AV1CodecConfigurationRecord byte 2). */
export interface Av1Layout {
  monochrome: boolean;
  subsampleX: boolean;
  subsampleY: boolean;
  bitDepth: number;
}

export function av1Layout(b: Uint8Array, properties: Box[]): Av1Layout | undefined {
  const av1c = properties.find((p) => p.type === 'av1C');
  if (!av1c) return undefined;
  const flags = u8(b, av1c.data + 2, av1c.end);
  return {
    bitDepth: flags & 0x40 ? (flags & 0x20 ? 12 : 10) : 8,
    monochrome: (flags & 0x10) !== 0,
    subsampleX: (flags & 0x08) !== 0,
    subsampleY: (flags & 0x04) !== 0,
  };
}

/** ispe's dimensions, when the item has one. */
export function spatialExtent(b: Uint8Array, properties: Box[]): { width: number; height: number } | undefined {
  const ispe = properties.find((p) => p.type === 'ispe');
  if (!ispe) return undefined;
  return { width: u32be(b, ispe.data + 4, ispe.end), height: u32be(b, ispe.data + 8, ispe.end) };
}
