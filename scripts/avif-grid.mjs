// Writes a grid (tiled) AVIF from single-image AVIFs, which no encoder here can write: each tile file's AV1
// item becomes a tile item, and a 'grid' item (ISO/IEC 23008-12 §6.6.2.3) lays them out row by row and crops
// them to the output size. Tiles may share their data (`tiles[i]` is an index into `files`), so a photo-sized
// grid of a repeated tile stays a few KB. Used by scripts/make-avif-fixtures.mjs and bench/memory.bench.ts.

/** A box: four-character type and payload. */
const box = (type, ...parts) => {
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
};
const fullBox = (type, version, flags, ...parts) => {
  const vf = Buffer.alloc(4);
  vf.writeUInt32BE((version << 24) | flags, 0);
  return box(type, vf, ...parts);
};
const u16 = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(v, 0);
  return b;
};
const u32 = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v, 0);
  return b;
};

/** The boxes directly inside b[start, end). */
function children(b, start, end) {
  const out = [];
  for (let i = start; i < end; ) {
    const size = b.readUInt32BE(i);
    out.push({ type: b.toString('latin1', i + 4, i + 8), start: i, data: i + 8, end: i + size });
    i += size;
  }
  return out;
}

/** The primary item's AV1 data and its av1C, pixi and colr boxes (raw) from a single-image AVIF of sharp's. */
function readTile(file) {
  const b = Buffer.from(file);
  const meta = children(b, 0, b.length).find((c) => c.type === 'meta');
  const inMeta = children(b, meta.data + 4, meta.end);
  const iloc = inMeta.find((c) => c.type === 'iloc');
  const ipco = children(b, inMeta.find((c) => c.type === 'iprp').data, meta.end).find((c) => c.type === 'ipco');
  const props = children(b, ipco.data, ipco.end);
  const raw = (type) => props.filter((p) => p.type === type).map((p) => b.subarray(p.start, p.end));
  // iloc: the first item's first extent (sharp writes the colour item first; versions 0 and 1).
  const version = b[iloc.data];
  const sizes = b.readUInt16BE(iloc.data + 4);
  const [offsetSize, lengthSize, baseSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15];
  let o = iloc.data + 6 + 2 + 2 + (version >= 1 ? 2 : 0) + 2;
  const read = (size) => (size === 0 ? 0 : size === 4 ? b.readUInt32BE(o) : Number(b.readBigUInt64BE(o)));
  const base = read(baseSize);
  o += baseSize + 2 + (version >= 1 ? b.readUInt16BE(iloc.data + 4) & 15 : 0);
  const offset = read(offsetSize);
  o += offsetSize;
  const length = read(lengthSize);
  const ispe = raw('ispe')[0];
  return {
    data: b.subarray(base + offset, base + offset + length),
    av1C: raw('av1C')[0],
    pixi: raw('pixi')[0],
    colr: raw('colr'),
    width: ispe.readUInt32BE(12),
    height: ispe.readUInt32BE(16),
  };
}

/**
 * files: single-image AVIFs (tiles of one size, coded alike); tiles: rows × columns indexes into files, row
 * by row; width/height: the grid's output size (at most columns × tile width, rows × tile height).
 */
export function writeAvifGrid({ files, tiles, rows, columns, width, height }) {
  const coded = files.map(readTile);
  const first = coded[0];
  const gridId = 1;
  const tileId = (i) => 2 + i;
  const wide = width > 0xffff || height > 0xffff;
  const record = Buffer.concat([Buffer.from([0, wide ? 1 : 0, rows - 1, columns - 1]), ...(wide ? [u32(width), u32(height)] : [u16(width), u16(height)])]);

  // mdat: the grid record, then each distinct tile's data once.
  const blobs = [record, ...coded.map((t) => t.data)];
  const blobOffsets = [];
  let at = 0;
  for (const blob of blobs) {
    blobOffsets.push(at);
    at += blob.length;
  }

  const ispe = (w, h) => fullBox('ispe', 0, 0, u32(w), u32(h));
  const properties = [ispe(width, height), ispe(first.width, first.height), first.av1C, ...(first.pixi ? [first.pixi] : []), ...first.colr];
  const colrIndexes = first.colr.map((_, i) => 4 + (first.pixi ? 1 : 0) + i);
  const pixiIndex = first.pixi ? 4 : 0;
  const ipmaEntry = (id, indexes) => Buffer.concat([u16(id), Buffer.from([indexes.length]), Buffer.from(indexes)]);
  const essential = 0x80;
  const entries = [ipmaEntry(gridId, [1, ...(pixiIndex ? [pixiIndex] : []), ...colrIndexes])];
  tiles.forEach((_, i) => entries.push(ipmaEntry(tileId(i), [2, 3 | essential, ...(pixiIndex ? [pixiIndex] : [])])));

  const meta = (mdatStart) => {
    const ilocItems = [
      Buffer.concat([u16(gridId), u16(0), u16(1), u32(mdatStart + blobOffsets[0]), u32(record.length)]),
      ...tiles.map((file, i) =>
        Buffer.concat([u16(tileId(i)), u16(0), u16(1), u32(mdatStart + blobOffsets[1 + file]), u32(coded[file].data.length)]),
      ),
    ];
    const infe = (id, type, flags) => fullBox('infe', 2, flags, u16(id), u16(0), Buffer.from(type, 'latin1'), Buffer.from([0]));
    return fullBox(
      'meta',
      0,
      0,
      fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), u32(0), u32(0), u32(0), Buffer.from([0])),
      fullBox('pitm', 0, 0, u16(gridId)),
      fullBox('iloc', 0, 0, Buffer.from([0x44, 0x00]), u16(ilocItems.length), ...ilocItems),
      fullBox('iinf', 0, 0, u16(1 + tiles.length), infe(gridId, 'grid', 0), ...tiles.map((_, i) => infe(tileId(i), 'av01', 1))),
      fullBox('iref', 0, 0, box('dimg', u16(gridId), u16(tiles.length), ...tiles.map((_, i) => u16(tileId(i))))),
      box('iprp', box('ipco', ...properties), fullBox('ipma', 0, 0, u32(entries.length), ...entries)),
    );
  };
  const ftyp = box('ftyp', Buffer.from('avif', 'latin1'), u32(0), Buffer.from('avifmif1miaf', 'latin1'));
  const metaLength = meta(0).length;
  const mdatStart = ftyp.length + metaLength + 8;
  return new Uint8Array(Buffer.concat([ftyp, meta(mdatStart), box('mdat', ...blobs)]));
}
