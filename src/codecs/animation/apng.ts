/**
 * APNG, read one frame at a time: the chunks are walked in order, and each frame's data (its IDAT or fdAT
 * chunks, the fdAT sequence numbers taken off) is handed to the PNG decoder (libspng) as a PNG of its own, made of
 * the file's IHDR at the frame's size, its PLTE and tRNS, the data and IEND. The frame is then blended onto the
 * canvas (APNG_BLEND_OP_SOURCE replaces, _OVER composites) and disposed of after it is shown (none, cleared to
 * transparent, or the region put back as it was). A default image without an fcTL before it is not a frame.
 */
import { anyTransparent } from '../../image/frame';
import { crc32 } from '../crc32';
import { CodecError } from '../errors';
import { libspngDecoder } from '../libspng';
import { probe } from '../probe';
import { ProbeError } from '../probe/errors';
import type { AnimationDecoder, AnimationReader } from './types';

const CODEC = 'png decoder';
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DISPOSE_BACKGROUND = 1;
const DISPOSE_PREVIOUS = 2;
const BLEND_OVER = 1;

interface Control {
  width: number;
  height: number;
  left: number;
  top: number;
  delay: number;
  dispose: number;
  blend: number;
}

interface Chunk {
  type: string;
  data: number;
  end: number;
}

const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;

function* chunks(b: Uint8Array): Generator<Chunk> {
  for (let i = 8; ; ) {
    if (i + 8 > b.length) throw new CodecError(CODEC, 'the file is truncated (no IEND)');
    const length = u32(b, i);
    const type = String.fromCharCode(b[i + 4]!, b[i + 5]!, b[i + 6]!, b[i + 7]!);
    const data = i + 8;
    if (data + length + 4 > b.length) throw new CodecError(CODEC, `the file is truncated (in ${type})`);
    if (type === 'IEND') return;
    yield { type, data, end: data + length };
    i = data + length + 4;
  }
}

function control(b: Uint8Array, { data, end }: Chunk, canvas: { width: number; height: number }): Control {
  if (end - data < 26) throw new CodecError(CODEC, 'an fcTL chunk is too short');
  const c = {
    width: u32(b, data + 4),
    height: u32(b, data + 8),
    left: u32(b, data + 12),
    top: u32(b, data + 16),
    delay: 0,
    dispose: b[data + 24]!,
    blend: b[data + 25]!,
  };
  const numerator = u16(b, data + 20);
  const denominator = u16(b, data + 22) || 100; // 0 means hundredths
  c.delay = Math.round((numerator * 1000) / denominator);
  if (c.width === 0 || c.height === 0 || c.left + c.width > canvas.width || c.top + c.height > canvas.height) {
    throw new CodecError(CODEC, 'a frame lies outside the canvas');
  }
  return c;
}

/** A PNG of one frame: IHDR at its size, PLTE and tRNS as in the file, its data as IDAT chunks. */
function framePng(b: Uint8Array, ihdr: Chunk, shared: Chunk[], data: { start: number; end: number }[], c: Control): Uint8Array {
  const size = 8 + 25 + shared.reduce((n, s) => n + 12 + s.end - s.data, 0) + data.reduce((n, d) => n + 12 + d.end - d.start, 0) + 12;
  const out = new Uint8Array(size);
  out.set(SIGNATURE);
  let o = 8;
  const put = (type: string, body: Uint8Array) => {
    new DataView(out.buffer).setUint32(o, body.length);
    for (let k = 0; k < 4; k++) out[o + 4 + k] = type.charCodeAt(k);
    out.set(body, o + 8);
    new DataView(out.buffer).setUint32(o + 8 + body.length, crc32(out, o + 4, o + 8 + body.length));
    o += 12 + body.length;
  };
  const header = b.slice(ihdr.data, ihdr.end);
  new DataView(header.buffer).setUint32(0, c.width);
  new DataView(header.buffer).setUint32(4, c.height);
  put('IHDR', header);
  for (const s of shared) put(s.type, b.subarray(s.data, s.end));
  for (const d of data) put('IDAT', b.subarray(d.start, d.end));
  put('IEND', new Uint8Array(0));
  return out;
}

export const apngAnimationDecoder: AnimationDecoder = {
  format: 'png',
  async open(bytes) {
    // Walked by hand: a for…of that breaks would close the walk for the frames after.
    const walk = chunks(bytes);
    const chunksUntilFrame = function* (): Generator<Chunk> {
      for (let step = walk.next(); !step.done; step = walk.next()) {
        yield step.value;
        if (step.value.type === 'fcTL') return;
      }
    };
    let ihdr: Chunk | undefined;
    let loop = 0;
    const shared: Chunk[] = [];
    let pending: Chunk | undefined; // the next frame's fcTL, once read
    for (const chunk of chunksUntilFrame()) {
      if (chunk.type === 'IHDR') ihdr = chunk;
      else if (chunk.type === 'acTL') loop = u32(bytes, chunk.data + 4);
      else if (chunk.type === 'PLTE' || chunk.type === 'tRNS') shared.push(chunk);
      else if (chunk.type === 'fcTL') pending = chunk;
      // IDAT before any fcTL: a default image that is not a frame, skipped
    }
    if (!ihdr || !pending) throw new CodecError(CODEC, 'no animation frame (fcTL) found');
    const width = u32(bytes, ihdr.data);
    const height = u32(bytes, ihdr.data + 4);
    const canvas = new Uint8ClampedArray(width * height * 4);
    const header = ihdr;

    const reader: AnimationReader = {
      width,
      height,
      loop,
      async next() {
        if (!pending) return null;
        const c = control(bytes, pending, { width, height });
        pending = undefined;
        const data: { start: number; end: number }[] = [];
        for (const chunk of chunksUntilFrame()) {
          if (chunk.type === 'fcTL') pending = chunk;
          else if (chunk.type === 'IDAT') data.push({ start: chunk.data, end: chunk.end });
          else if (chunk.type === 'fdAT') data.push({ start: chunk.data + 4, end: chunk.end });
        }
        if (data.length === 0) throw new CodecError(CODEC, 'a frame has no data');
        const png = framePng(bytes, header, shared, data, c);
        const frame = await libspngDecoder.decode(png, frameInfo(png), {});
        const saved = c.dispose === DISPOSE_PREVIOUS ? canvas.slice() : undefined;
        blend(canvas, width, frame.data, c);
        const shown = canvas.slice();
        if (saved) canvas.set(saved);
        else if (c.dispose === DISPOSE_BACKGROUND) {
          for (let y = c.top; y < c.top + c.height; y++) canvas.fill(0, (y * width + c.left) * 4, (y * width + c.left + c.width) * 4);
        }
        return { frame: { width, height, data: shown, hasAlpha: anyTransparent(shown) }, delay: c.delay };
      },
      close() {},
    };
    return reader;
  },
};

/** The frame's PNG as probed; a header the probe refuses is the decoder's error (a 422). */
function frameInfo(png: Uint8Array) {
  try {
    return probe(png);
  } catch (error) {
    if (error instanceof ProbeError) throw new CodecError(CODEC, error.message);
    throw error;
  }
}

function blend(canvas: Uint8ClampedArray, width: number, rows: Uint8ClampedArray, c: Control): void {
  for (let y = 0; y < c.height; y++) {
    let s = y * c.width * 4;
    let d = ((c.top + y) * width + c.left) * 4;
    if (c.blend !== BLEND_OVER) {
      canvas.set(rows.subarray(s, s + c.width * 4), d);
      continue;
    }
    for (let x = 0; x < c.width; x++, s += 4, d += 4) {
      const sa = rows[s + 3]! / 255;
      if (sa === 0) continue;
      const da = (canvas[d + 3]! / 255) * (1 - sa);
      const a = sa + da;
      for (let k = 0; k < 3; k++) canvas[d + k] = (rows[s + k]! * sa + canvas[d + k]! * da) / a;
      canvas[d + 3] = a * 255;
    }
  }
}
