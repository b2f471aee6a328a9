/**
 * EncodeOptions.metadata for AVIF (ISO/IEC 23008-12): the ICC profile as a colr 'prof' property of the primary
 * item — the box goes at the end of ipco and the primary's ipma entry gains its index — and EXIF as an 'Exif'
 * item describing the primary (an infe in iinf, an iloc extent, an iref 'cdsc'), its data appended to the file.
 * Every box around an insertion grows by as much, and so do the iloc offsets of item data stored after the meta
 * box (mdat). A file laid out otherwise than libavif writes it is returned unchanged.
 */
import { boxesIn, type Box } from '../probe/containers';
import { u16be, u32be, u8 } from '../probe/bytes';
import { ilocEntries, ilocLayout } from '../probe/iloc';
import { ascii, concat } from './bytes';
import type { Metadata } from './jpeg-png';

export function avifWithMetadata(avif: Uint8Array, { icc, exif }: Metadata): Uint8Array {
  const withIcc = icc ? withPrimaryProperty(avif, box('colr', concat([ascii('prof'), icc]))) : avif;
  return exif ? withExifItem(withIcc, exif) : withIcc;
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
  const { offsetSize, baseSize } = ilocLayout(b, iloc);
  for (const entry of ilocEntries(b, iloc)) {
    if (entry.method !== 0) continue;
    if (baseSize > 0 && entry.base >= after) writeSized(view, entry.baseAt, baseSize, entry.base + growth);
    if (baseSize > 0) continue; // extent offsets are relative to the base
    for (const extent of entry.extents) {
      if (extent.offset >= after) writeSized(view, extent.offsetAt, offsetSize, extent.offset + growth);
    }
  }
}

/** `avif` with an 'Exif' item (4-byte TIFF header offset 0, then the TIFF block) that describes the primary item. */
function withExifItem(avif: Uint8Array, exif: Uint8Array): Uint8Array {
  const meta = boxesIn(avif, 0, avif.length).find((b) => b.type === 'meta');
  if (!meta) return avif;
  const inMeta = boxesIn(avif, meta.data + 4, meta.end);
  const find = (type: string) => inMeta.find((b) => b.type === type);
  const [pitm, iinf, iloc, iref] = [find('pitm'), find('iinf'), find('iloc'), find('iref')];
  if (!pitm || !iinf || !iloc || [meta, iinf, iloc, iref].some((b) => b && b.data - b.offset !== 8)) return avif;
  const primary = u8(avif, pitm.data) === 0 ? u16be(avif, pitm.data + 4) : u32be(avif, pitm.data + 4);
  const ids = boxesIn(avif, iinf.data + (u8(avif, iinf.data) === 0 ? 6 : 8), iinf.end)
    .filter((b) => b.type === 'infe' && u8(avif, b.data) >= 2)
    .map((b) => (u8(avif, b.data) === 2 ? u16be(avif, b.data + 4) : u32be(avif, b.data + 4)));
  const id = Math.max(primary, ...ids) + 1;
  const ilocVersion = ilocLayout(avif, iloc).version;
  if (id > 0xffff || primary > 0xffff || (iref && u8(avif, iref.data) !== 0)) return avif;

  const payload = concat([new Uint8Array(4), exif]);
  const infe = box('infe', concat([Uint8Array.of(2, 0, 0, 0, id >> 8, id & 0xff, 0, 0), ascii('Exif'), Uint8Array.of(0)]));
  const cdsc = box('cdsc', Uint8Array.of(id >> 8, id & 0xff, 0, 1, primary >> 8, primary & 0xff));
  const layout = ilocLayout(avif, iloc);
  const sizes = { offset: layout.offsetSize, length: layout.lengthSize, base: layout.baseSize };
  const index = layout.indexSize;
  const entryLength = (ilocVersion < 2 ? 2 : 4) + (ilocVersion >= 1 ? 2 : 0) + 2 + sizes.base + 2 + index + sizes.offset + sizes.length;
  if ((sizes.offset === 0 && sizes.base === 0) || sizes.length === 0) return avif;
  const refBox = iref ? cdsc : box('iref', concat([new Uint8Array(4), cdsc]));
  const growth = infe.length + entryLength + refBox.length;

  // The item's data goes at the very end, after every insertion.
  const dataAt = avif.length + growth;
  const entry = new Uint8Array(entryLength);
  const view = new DataView(entry.buffer);
  let o = 0;
  if (ilocVersion < 2) view.setUint16(o, id);
  else view.setUint32(o, id);
  o += (ilocVersion < 2 ? 2 : 4) + (ilocVersion >= 1 ? 2 : 0) + 2; // construction method 0, data reference 0
  writeSized(view, o, sizes.base, sizes.offset === 0 ? dataAt : 0);
  o += sizes.base;
  view.setUint16(o, 1); // one extent
  o += 2 + index;
  writeSized(view, o, sizes.offset, sizes.offset === 0 ? 0 : dataAt);
  writeSized(view, o + sizes.offset, sizes.length, payload.length);

  const head = avif.slice(0, meta.end);
  const headView = new DataView(head.buffer);
  shiftIloc(head, iloc, meta.end, growth);
  headView.setUint32(meta.offset, meta.end - meta.offset + growth);
  headView.setUint32(iinf.offset, iinf.end - iinf.offset + infe.length);
  bump(headView, iinf.data + 4, u8(avif, iinf.data) === 0 ? 2 : 4);
  headView.setUint32(iloc.offset, iloc.end - iloc.offset + entryLength);
  bump(headView, iloc.data + 6, ilocVersion < 2 ? 2 : 4);
  if (iref) headView.setUint32(iref.offset, iref.end - iref.offset + cdsc.length);
  // Insertions in file order: the infe ends iinf, the entry ends iloc, cdsc ends iref (or a new iref follows iinf).
  const inserts = [
    { at: iinf.end, bytes: infe },
    { at: iloc.end, bytes: entry },
    { at: iref ? iref.end : iinf.end, bytes: refBox },
  ].sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const { at, bytes } of inserts) {
    parts.push(head.subarray(from, at), bytes);
    from = at;
  }
  parts.push(head.subarray(from), avif.subarray(meta.end), payload);
  return concat(parts);
}

function writeSized(view: DataView, at: number, size: number, value: number): void {
  if (size === 4) view.setUint32(at, value);
  else if (size === 8) view.setBigUint64(at, BigInt(value));
}

/** Adds one to the count of `size` bytes at `at`. */
function bump(view: DataView, at: number, size: 2 | 4): void {
  if (size === 2) view.setUint16(at, view.getUint16(at) + 1);
  else view.setUint32(at, view.getUint32(at) + 1);
}
