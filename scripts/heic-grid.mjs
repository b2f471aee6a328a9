// Writes iPhone-style grid HEICs for tests and benchmarks: a grid item ('grid', ISO/IEC 23008-12 §6.6.2.3)
// whose tiles are the HEVC images of a multi-image HEIC that heif-enc wrote (Debian's libheif-examples 1.15
// cannot write grids itself). A development tool: the Worker never writes HEIC.
//
//   gridHeic(tilesHeic, { columns, rows, width, height, layout?, rotate?, colr? })
//     tilesHeic: a HEIC holding the distinct tiles as its items, in order (heif-enc a.png b.png …)
//     layout: for each grid cell (row by row), which of those tiles it shows (default: cell i → tile i); cells
//             that show the same tile share its data, as a benchmark that needs 200 tiles can afford
//     rotate: irot angle 1–3 (× 90° anti-clockwise) on the grid item
//     nclx: { primaries, transfer, matrix, fullRange }: an nclx colr box on the grid item
import { Buffer } from 'node:buffer';

const u32 = (b, o) => b.readUInt32BE(o);
const u16 = (b, o) => b.readUInt16BE(o);

function boxes(b, start, end) {
  const out = [];
  for (let i = start; i < end; ) {
    let size = u32(b, i);
    const type = b.toString('latin1', i + 4, i + 8);
    let data = i + 8;
    if (size === 1) (size = Number(b.readBigUInt64BE(i + 8))), (data += 8);
    if (size === 0) size = end - i;
    out.push({ type, data, end: i + size });
    i += size;
  }
  return out;
}
const find = (list, type) => list.find((x) => x.type === type);
const readN = (b, o, n) => (n === 0 ? 0 : n === 4 ? u32(b, o) : n === 8 ? Number(b.readBigUInt64BE(o)) : u16(b, o));

/** The items of a HEIC written by heif-enc: hvcC, colr and data of each hvc1 item, in item order. */
export function readTiles(file) {
  const b = Buffer.from(file);
  const meta = find(boxes(b, 0, b.length), 'meta');
  const inMeta = boxes(b, meta.data + 4, meta.end);
  const iinf = find(inMeta, 'iinf');
  const iinfVersion = b[iinf.data];
  const infes = boxes(b, iinf.data + (iinfVersion === 0 ? 6 : 8), iinf.end);
  const types = new Map();
  for (const infe of infes) {
    const v = b[infe.data];
    const id = v >= 3 ? u32(b, infe.data + 4) : u16(b, infe.data + 4);
    const typeAt = infe.data + 4 + (v >= 3 ? 4 : 2) + 2;
    types.set(id, b.toString('latin1', typeAt, typeAt + 4));
  }
  const iloc = find(inMeta, 'iloc');
  const v = b[iloc.data];
  let o = iloc.data + 4;
  const offsetSize = b[o] >> 4, lengthSize = b[o] & 15, baseSize = b[o + 1] >> 4, indexSize = v >= 1 ? b[o + 1] & 15 : 0;
  o += 2;
  const count = v < 2 ? u16(b, o) : u32(b, o);
  o += v < 2 ? 2 : 4;
  const data = new Map();
  for (let k = 0; k < count; k++) {
    const id = v < 2 ? u16(b, o) : u32(b, o);
    o += v < 2 ? 2 : 4;
    if (v >= 1) o += 2; // construction method
    o += 2; // data reference index
    const base = readN(b, o, baseSize);
    o += baseSize;
    const extents = u16(b, o);
    o += 2;
    const parts = [];
    for (let e = 0; e < extents; e++) {
      o += indexSize;
      const off = readN(b, o, offsetSize);
      o += offsetSize;
      const len = readN(b, o, lengthSize);
      o += lengthSize;
      parts.push(b.subarray(base + off, base + off + len));
    }
    data.set(id, Buffer.concat(parts));
  }
  const iprp = boxes(b, find(inMeta, 'iprp').data, find(inMeta, 'iprp').end);
  const ipco = boxes(b, find(iprp, 'ipco').data, find(iprp, 'ipco').end);
  const ipma = find(iprp, 'ipma');
  const props = new Map();
  const wide = b[ipma.data + 3] & 1;
  o = ipma.data + 8;
  for (let n = u32(b, ipma.data + 4); n > 0; n--) {
    const id = b[ipma.data] < 1 ? u16(b, o) : u32(b, o);
    o += b[ipma.data] < 1 ? 2 : 4;
    const list = [];
    for (let c = b[o++]; c > 0; c--) {
      const index = wide ? u16(b, o) & 0x7fff : b[o] & 0x7f;
      o += wide ? 2 : 1;
      const p = ipco[index - 1];
      list.push({ type: p.type, box: b.subarray(p.data - 8, p.end) });
    }
    props.set(id, list);
  }
  return [...types]
    .filter(([, type]) => type === 'hvc1')
    .sort(([a], [b2]) => a - b2)
    .map(([id]) => ({
      data: data.get(id),
      hvcC: props.get(id).find((p) => p.type === 'hvcC').box,
      ispe: props.get(id).find((p) => p.type === 'ispe').box,
      colr: props.get(id).find((p) => p.type === 'colr')?.box,
    }));
}

function box(type, ...parts) {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}
const full = (type, version, flags, ...parts) => box(type, Buffer.from([version, flags >> 16, (flags >> 8) & 255, flags & 255]), ...parts);
const be16 = (...n) => Buffer.concat(n.map((x) => Buffer.from([x >> 8, x & 255])));
const be32 = (...n) => Buffer.concat(n.map((x) => { const z = Buffer.alloc(4); z.writeUInt32BE(x); return z; }));

export function gridHeic(tilesHeic, { columns, rows, width, height, layout, rotate = 0, nclx }) {
  const tiles = readTiles(tilesHeic);
  const cells = layout ?? Array.from({ length: columns * rows }, (_, i) => i);
  // Properties shared where bytes are equal: one hvcC and ispe for identical tiles.
  const ipco = [];
  const index = (b) => {
    let i = ipco.findIndex((p) => p.equals(b));
    if (i < 0) (i = ipco.length), ipco.push(b);
    return i + 1;
  };
  const gridId = 1;
  const cellIds = cells.map((_, i) => i + 2);
  const gridProps = [index(full('ispe', 0, 0, be32(width, height)))];
  if (nclx) {
    const { primaries, transfer, matrix, fullRange } = nclx;
    gridProps.push(index(box('colr', Buffer.from('nclx', 'latin1'), be16(primaries, transfer, matrix), Buffer.from([fullRange ? 0x80 : 0]))));
  } else if (tiles[0].colr) gridProps.push(index(tiles[0].colr));
  if (rotate) gridProps.push(index(box('irot', Buffer.from([rotate & 3]))) | 0x8000);
  const cellProps = cells.map((t) => [index(tiles[t].hvcC) | 0x8000, index(tiles[t].ispe)]);
  const ipma = full('ipma', 0, 1, be32(cells.length + 1),
    ...[[gridId, gridProps], ...cellIds.map((id, i) => [id, cellProps[i]])].map(([id, list]) =>
      Buffer.concat([be16(id), Buffer.from([list.length]), be16(...list)])));
  // Tiles are hidden items (flags 1): only the grid is an image of its own.
  const infe = (id, type, flags) => full('infe', 2, flags, be16(id, 0), Buffer.from(type, 'latin1'), Buffer.from([0]));
  const iinf = full('iinf', 0, 0, be16(cells.length + 1), infe(gridId, 'grid', 0), ...cellIds.map((id) => infe(id, 'hvc1', 1)));
  const iref = full('iref', 0, 0, box('dimg', be16(gridId, cellIds.length, ...cellIds)));
  const descriptor = Buffer.concat([Buffer.from([0, 0, rows - 1, columns - 1]), be16(width, height)]);
  // mdat: the grid descriptor, then each distinct tile's data once.
  const used = [...new Set(cells)];
  const chunks = [descriptor, ...used.map((t) => tiles[t].data)];
  const relative = [];
  let at = 0;
  for (const c of chunks) relative.push(at), (at += c.length);
  const makeMeta = (mdatData) => {
    const entry = (id, off, len) => Buffer.concat([be16(id, 0, 1), be32(mdatData + off, len)]);
    const iloc = full('iloc', 0, 0, Buffer.from([0x44, 0x00]), be16(cells.length + 1),
      entry(gridId, relative[0], descriptor.length),
      ...cells.map((t, i) => entry(cellIds[i], relative[1 + used.indexOf(t)], tiles[t].data.length)));
    return full('meta', 0, 0, full('hdlr', 0, 0, be32(0), Buffer.from('pict', 'latin1'), be32(0, 0, 0), Buffer.from([0])),
      full('pitm', 0, 0, be16(gridId)), iloc, iinf, iref, box('iprp', box('ipco', ...ipco), ipma));
  };
  const ftyp = box('ftyp', Buffer.from('heic', 'latin1'), be32(0), Buffer.from('mif1heic', 'latin1'));
  const size = makeMeta(0).length;
  const meta = makeMeta(ftyp.length + size + 8);
  return Buffer.concat([ftyp, meta, box('mdat', ...chunks)]);
}
