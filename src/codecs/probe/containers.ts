// The container walks every header reader shares: JPEG marker segments, PNG chunks, RIFF chunks, ISOBMFF boxes and
// TIFF IFDs. Each walk reads through the bounds-checked helpers, so a header that lies about its lengths ends in a
// ProbeError ('truncated' or 'malformed') here, once, and callers only look at what the parts hold. The walks are
// lazy where a caller may stop early: a reader looking for one segment never reads past it.
import { ProbeError, malformed } from './errors';
import { ascii, need, u16be, u16le, u32be, u32le, u8 } from './bytes';

/** One part of a container: its header starts at `offset`, its payload runs from `data` up to `end`. */
export interface Part<Kind> {
  type: Kind;
  offset: number;
  data: number;
  end: number;
}

// --- JPEG marker segments -----------------------------------------------------------------------------------

export type Segment = Part<number>;

const SOI = 0xd8;
const SOS = 0xda;
const EOI = 0xd9;
/** Markers without a length field: TEM, RST0–7, SOI. */
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd8);

/**
 * The marker segments from SOI up to the first SOS (where entropy-coded data begins), each wholly present; `type` is
 * the marker. The walk ends normally only at SOS; a missing SOI, an EOI before any scan or a bad length is
 * 'malformed', data that ends first is 'truncated'.
 */
export function* jpegSegments(b: Uint8Array): Generator<Segment, void, undefined> {
  if (u8(b, 0) !== 0xff || u8(b, 1) !== SOI) throw malformed('jpeg: missing SOI');
  for (let i = 2; ; ) {
    // libjpeg skips stray bytes before a marker (with a warning) and so do we, so whatever it decodes also probes.
    // indexOf keeps a long run of garbage cheap.
    if (u8(b, i) !== 0xff) {
      const next = b.indexOf(0xff, i);
      if (next < 0) throw new ProbeError('truncated', 'jpeg: data ends before SOS');
      i = next;
    }
    const marker = u8(b, i + 1);
    if (marker === 0xff || marker === 0x00) {
      i++; // fill byte, or a stuffed zero that can only be garbage outside a scan
      continue;
    }
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    if (marker === EOI) throw malformed('jpeg: EOI before any scan');
    if (marker === SOS) return;

    const length = u16be(b, i + 2); // counts itself, not the marker
    if (length < 2) throw malformed(`jpeg: segment length ${length}`);
    need(b, i + 2, length); // the whole segment must be present
    yield { type: marker, offset: i, data: i + 4, end: i + 2 + length };
    i += 2 + length;
  }
}

// --- PNG chunks -------------------------------------------------------------------------------------------------

export type Chunk = Part<string>;

/** PNG's four-byte lengths and dimensions stop at 2^31-1. */
export const PNG_MAX_VALUE = 0x7fffffff;

/**
 * The chunks from `start` (8: right after the signature) up to the first IDAT, each with its data and CRC present:
 * everything but the pixels (IHDR, PLTE, tRNS, iCCP, pHYs, acTL, eXIf, …). IEND before any IDAT is 'malformed'.
 */
export function* pngChunks(b: Uint8Array, start = 8): Generator<Chunk, void, undefined> {
  for (let i = start; ; ) {
    const length = u32be(b, i);
    const type = ascii(b, i + 4, 4);
    if (length > PNG_MAX_VALUE) throw malformed(`png: ${type} chunk length ${length}`);
    if (type === 'IDAT') return;
    if (type === 'IEND') throw malformed('png: no IDAT');
    const data = i + 8;
    need(b, data, length + 4); // data + CRC
    yield { type, offset: i, data, end: data + length };
    i = data + length + 4;
  }
}

// --- RIFF chunks ----------------------------------------------------------------------------------------------

/** The RIFF chunk header at `i`: a four-character type and a little-endian size. Its data may run past the bytes. */
export function riffChunkAt(b: Uint8Array, i: number): Chunk {
  const type = ascii(b, i, 4);
  const size = u32le(b, i + 4);
  return { type, offset: i, data: i + 8, end: i + 8 + size };
}

/**
 * The chunks whose headers lie before `end` (the RIFF size, or the end of the bytes), from `start`. Only headers are
 * read: a reader bounded by a chunk's `end` finds out whether its data is all there.
 */
export function* riffChunks(b: Uint8Array, start: number, end: number): Generator<Chunk, void, undefined> {
  for (let i = start; i + 8 <= end; ) {
    const chunk = riffChunkAt(b, i);
    yield chunk;
    i = chunk.end + ((chunk.end - chunk.data) & 1); // chunks are padded to an even size
  }
}

// --- ISOBMFF boxes (AVIF) ---------------------------------------------------------------------------------------

export type Box = Part<string>;

/** The box header at `i` in a container ending at `end`; the box itself may run past the data. */
export function boxAt(b: Uint8Array, i: number, end: number): Box {
  let size = u32be(b, i, end);
  const type = ascii(b, i + 4, 4, end);
  let data = i + 8;
  if (size === 1) {
    size = u32be(b, data, end) * 2 ** 32 + u32be(b, data + 4, end); // 64-bit size
    data += 8;
  } else if (size === 0) {
    size = end - i; // "extends to the end of its container"
  }
  if (size < data - i) throw malformed(`avif: '${type}' box size ${size}`);
  return { type, offset: i, data, end: i + size };
}

/** The boxes directly inside [start, end); each must fit in its container. */
export function boxesIn(b: Uint8Array, start: number, end: number): Box[] {
  const out: Box[] = [];
  for (let i = start; i < end; ) {
    const box = boxAt(b, i, end);
    need(b, i, box.end - i, end);
    out.push(box);
    i = box.end;
  }
  return out;
}

// --- TIFF IFDs (EXIF) -------------------------------------------------------------------------------------------

export interface IfdEntry {
  tag: number;
  /** TIFF field type: 3 SHORT, 4 LONG, … */
  type: number;
  /** Offset of the entry's 4-byte value field; a value of up to 4 bytes sits there, left-justified. */
  value: number;
}

export interface Ifd {
  littleEndian: boolean;
  /** Readers in the structure's byte order, bounded by its end. */
  u16(o: number): number;
  u32(o: number): number;
  /** The entries, read as they are iterated (once). */
  entries: Iterable<IfdEntry>;
}

/**
 * IFD0 of the TIFF structure at bytes[start, end) ('II' little- or 'MM' big-endian; offsets inside it are relative
 * to `start`), or undefined when no TIFF header is there.
 */
export function tiffIfd0(b: Uint8Array, start: number, end: number): Ifd | undefined {
  const order = u16be(b, start, end);
  const littleEndian = order === 0x4949; // 'II'
  if (!littleEndian && order !== 0x4d4d) return undefined; // not 'MM' either
  const u16 = (o: number) => (littleEndian ? u16le(b, o, end) : u16be(b, o, end));
  const u32 = (o: number) => (littleEndian ? u32le(b, o, end) : u32be(b, o, end));
  if (u16(start + 2) !== 42) return undefined;
  const ifd = start + u32(start + 4);
  return { littleEndian, u16, u32, entries: ifdEntries(ifd, u16) };
}

function* ifdEntries(ifd: number, u16: (o: number) => number): Generator<IfdEntry, void, undefined> {
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12; // tag u16, type u16, count u32, value/offset 4 bytes
    yield { tag: u16(entry), type: u16(entry + 2), value: entry + 8 };
  }
}

// --- searching a walk -------------------------------------------------------------------------------------------

/** The first part that passes `test`. The walk stops there, so whatever follows it is never read. */
export function findPart<P>(parts: Iterable<P>, test: (part: P) => boolean): P | undefined {
  for (const part of parts) if (test(part)) return part;
  return undefined;
}
