/**
 * EncodeOptions.metadata for AVIF: the ICC profile as a colr 'prof' property of the primary item. The box goes at
 * the end of ipco and the primary's ipma entry gains its index; every box around them grows by as much, and so
 * do the iloc offsets of item data stored after the meta box (mdat). EXIF would be an item of its own (iinf,
 * iloc, iref): not written yet, so `md-true` keeps EXIF in JPEG, PNG and WebP output only.
 */
import { boxesIn, type Box } from '../probe/containers';
import { u16be, u32be, u8 } from '../probe/bytes';
import { ascii, concat } from './bytes';
import type { Metadata } from './jpeg-png';

export function avifWithMetadata(avif: Uint8Array, { icc }: Metadata): Uint8Array {
  return icc ? withPrimaryProperty(avif, box('colr', concat([ascii('prof'), icc]))) : avif;
}

/** `avif` with one more property box of its primary item (unchanged if its layout is not the usual one). */
export function withPrimaryProperty(avif: Uint8Array, property: Uint8Array): Uint8Array {
  const top = boxesIn(avif, 0, avif.length);
  const meta = top.find((b) => b.type === 'meta');
  if (!meta) return avif;
  const inMeta = boxesIn(avif, meta.data + 4, meta.end);
  const pitm = inMeta.find((b) => b.type === 'pitm');
  const iprp = inMeta.find((b) => b.type === 'iprp');
  const iloc = inMeta.find((b) => b.type === 'iloc');
  if (!pitm || !iprp || !iloc) return avif;
  const primary = u8(avif, pitm.data) === 0 ? u16be(avif, pitm.data + 4) : u32be(avif, pitm.data + 4);
  const inIprp = boxesIn(avif, iprp.data, iprp.end);
  const ipco = inIprp.find((b) => b.type === 'ipco');
  const ipma = inIprp.find((b) => b.type === 'ipma');
  if (!ipco || !ipma || ipma.offset < ipco.offset) return avif;

  const index = boxesIn(avif, ipco.data, ipco.end).length + 1;
  const wide = (u8(avif, ipma.data + 3) & 1) === 1;
  if (!wide && index > 127) return avif;
  const entry = primaryEntry(avif, ipma, primary);
  if (!entry) return avif;

  const colr = property;
  const association = wide ? Uint8Array.of(index >> 8, index & 0xff) : Uint8Array.of(index);
  const growth = colr.length + association.length;
  const out = concat([
    avif.subarray(0, ipco.end),
    colr,
    avif.subarray(ipco.end, entry.countAt + 1),
    association,
    avif.subarray(entry.countAt + 1),
  ]);
  // Positions before the insertions keep their offsets.
  const view = new DataView(out.buffer);
  out[entry.countAt + colr.length]!++;
  for (const grown of [meta, iprp]) view.setUint32(grown.offset, view.getUint32(grown.offset) + growth);
  view.setUint32(ipco.offset, view.getUint32(ipco.offset) + colr.length);
  view.setUint32(ipma.offset + colr.length, view.getUint32(ipma.offset + colr.length) + association.length);
  shiftIloc(out, iloc, meta.end, growth);
  return out;
}

export function box(type: string, payload: Uint8Array): Uint8Array {
  const out = concat([new Uint8Array(4), ascii(type), payload]);
  new DataView(out.buffer).setUint32(0, out.length);
  return out;
}

/** Where the primary item's association count byte is in an ipma box. */
function primaryEntry(b: Uint8Array, ipma: Box, item: number): { countAt: number } | undefined {
  const version = u8(b, ipma.data);
  const wide = (u8(b, ipma.data + 3) & 1) === 1;
  let o = ipma.data + 8;
  for (let n = u32be(b, ipma.data + 4); n > 0; n--) {
    const id = version < 1 ? u16be(b, o) : u32be(b, o);
    o += version < 1 ? 2 : 4;
    const count = u8(b, o);
    if (id === item) return { countAt: o };
    o += 1 + count * (wide ? 2 : 1);
  }
  return undefined;
}

/** Adds `growth` to every file offset in iloc (construction method 0) that points past `after`. */
function shiftIloc(b: Uint8Array, iloc: Box, after: number, growth: number): void {
  const view = new DataView(b.buffer, b.byteOffset);
  const version = b[iloc.data]!;
  const sizes = b[iloc.data + 4]!;
  const more = b[iloc.data + 5]!;
  const offsetSize = sizes >> 4;
  const lengthSize = sizes & 15;
  const baseSize = more >> 4;
  const indexSize = version >= 1 ? more & 15 : 0;
  let o = iloc.data + 6;
  const read = (size: number, at: number) => (size === 4 ? view.getUint32(at) : size === 8 ? Number(view.getBigUint64(at)) : 0);
  const write = (size: number, at: number, value: number) => {
    if (size === 4) view.setUint32(at, value);
    else if (size === 8) view.setBigUint64(at, BigInt(value));
  };
  const count = version < 2 ? view.getUint16(o) : view.getUint32(o);
  o += version < 2 ? 2 : 4;
  for (let i = 0; i < count; i++) {
    o += version < 2 ? 2 : 4; // item_ID
    const method = version >= 1 ? view.getUint16(o) & 15 : 0;
    if (version >= 1) o += 2;
    o += 2; // data_reference_index
    const base = read(baseSize, o);
    const baseAt = o;
    o += baseSize;
    const extents = view.getUint16(o);
    o += 2;
    const shiftBase = method === 0 && baseSize > 0 && base >= after;
    if (shiftBase) write(baseSize, baseAt, base + growth);
    for (let e = 0; e < extents; e++) {
      o += indexSize;
      const offset = read(offsetSize, o);
      if (method === 0 && baseSize === 0 && offset >= after) write(offsetSize, o, offset + growth);
      o += offsetSize + lengthSize;
    }
  }
}
