/**
 * Run by wasm/jpeg/build.sh: decodes every JPEG under the given folders at 1/1, 1/2, 1/4 and 1/8 with the
 * module as built (simd.c's WebAssembly SIMD routines) and with the same module linked without them (libjpeg's
 * plain C), and fails unless every decode gives the same pixels, or the same error.
 *
 *   node check-simd.mjs <jpeg.wasm> <jpeg-plain.wasm> <folder>...
 *
 * Besides the files, it decodes a set of JPEGs written here with extreme coefficients and quantization tables
 * (stressJpegs below), so that simd.c's 16-bit IDCTs meet the edges of their range and its blocks that fall
 * back to the 32-bit forms are covered too.
 *
 * Plain Node (no dependencies): the modules are instantiated the way src/codecs/wasm/standalone.ts does it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [simdPath, plainPath, ...folders] = process.argv.slice(2);
if (!simdPath || !plainPath || folders.length === 0) {
  console.error('usage: node check-simd.mjs <jpeg.wasm> <jpeg-plain.wasm> <folder>...');
  process.exit(2);
}

/** Decodes whose output would be bigger than this are skipped (bomb.jpg is 15000×15000). */
const MAX_OUTPUT_BYTES = 256e6;

function instantiate(path) {
  let tempRet0 = 0;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {
    env: {
      emscripten_notify_memory_growth: () => {},
      getTempRet0: () => tempRet0,
      setTempRet0: (value) => {
        tempRet0 = value;
      },
    },
    wasi_snapshot_preview1: new Proxy({}, { get: () => () => 52 }),
  });
  const x = instance.exports;
  x._initialize?.();
  const string = (pointer) => {
    const memory = new Uint8Array(x.memory.buffer);
    return Buffer.from(memory.subarray(pointer, memory.indexOf(0, pointer))).toString('latin1');
  };
  /** 'W×H <md5>' of the pixels, 'error: …', or undefined when skipped. */
  return (bytes, scale) => {
    const input = x.malloc(bytes.length);
    const info = x.malloc(64);
    new Uint8Array(x.memory.buffer, input, bytes.length).set(bytes);
    try {
      if (x.jpeg_header(input, bytes.length, info) !== 0) return `error: ${string(x.jpeg_error())}`;
      const [width, height] = new Int32Array(x.memory.buffer, info, 2);
      if (Math.ceil(width / scale) * Math.ceil(height / scale) * 4 > MAX_OUTPUT_BYTES) return undefined;
      const decode = x.jpeg_decode_begin(input, bytes.length, scale, 0, info);
      if (!decode) return `error: ${string(x.jpeg_error())}`;
      const [w, h, strip] = new Int32Array(x.memory.buffer, info, 3);
      const hash = createHash('md5');
      for (let row = 0; row < h; ) {
        const rows = x.jpeg_decode_rows(decode);
        if (rows < 0) return `error: ${string(x.jpeg_error())}`;
        hash.update(new Uint8Array(x.memory.buffer, strip, rows * w * 4));
        row += rows;
      }
      if (x.jpeg_decode_finish(decode) !== 0) return `error: ${string(x.jpeg_error())}`;
      return `${w}×${h} ${hash.digest('hex')}`;
    } finally {
      x.free(info);
      x.free(input);
    }
  };
}

function* jpegs(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* jpegs(path);
    else if (/\.jpe?g$/i.test(entry.name)) yield path;
  }
}

/**
 * Baseline-style JPEGs (SOF1, for 16-bit quantization tables) of chosen coefficients: every coefficient of
 * -32767..32767 is representable (Huffman categories up to 15, with flat tables that hold every symbol).
 * A deterministic generator mixes ordinary blocks with blocks whose dequantized values or IDCT intermediates
 * sit near and beyond 16 bits.
 */
function stressJpegs() {
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(random() * n);
  const zigzag = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
    21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63];
  const clamp = (v) => Math.max(-32767, Math.min(32767, Math.round(v)));
  /** Magnitudes spread over every scale, 1..max. */
  const wide = (max) => (random() < 0.5 ? -1 : 1) * Math.max(1, Math.round(Math.exp(random() * Math.log(max))));
  const quantTables = [
    () => 1, // coefficient = dequantized value
    () => 1 + int(255),
    () => 65535,
    () => 1 + int(65535),
    () => (random() < 0.9 ? 1 + int(40) : 32767 + int(3)),
  ];
  /** One block (natural order) for quantization table q. */
  function block(q) {
    const b = new Array(64).fill(0);
    const kind = int(9);
    if (kind === 0) {
      b[0] = wide(32767); // DC only
    } else if (kind === 1) {
      // ordinary: a few small values
      for (let i = 0; i < 64; i++) if (random() < 0.2) b[i] = Math.round((random() - 0.5) * (i === 0 ? 2000 : 200) / q[i]);
    } else if (kind === 2) {
      // dequantized values right around the 16-bit path's limit, -16384..16383
      for (let i = 0; i < 64; i++)
        if (random() < 0.3) b[i] = clamp(((random() < 0.5 ? -1 : 1) * (16380 + int(8))) / q[i]) || 1;
    } else if (kind === 3) {
      // moderate values everywhere: pass-1 results beyond 16 bits
      const m = 500 + int(4000);
      for (let i = 0; i < 64; i++) b[i] = clamp(((random() < 0.5 ? -1 : 1) * m) / q[i]);
    } else if (kind === 4) {
      // only the rows or columns some reduced IDCT skips (2, 4, 6)
      const lines = [2, 4, 6];
      for (let i = 0; i < 64; i++) if (lines.includes(i >> 3) || lines.includes(i & 7)) if (random() < 0.5) b[i] = wide(32767);
    } else if (kind === 8) {
      // columns 0, 2, 4, 6 only, large: rows of zero odd columns and a large column 0 after pass 1
      for (let i = 0; i < 64; i++)
        if ((i & 1) === 0 && random() < 0.5) b[i] = clamp(((random() < 0.5 ? -1 : 1) * (8000 + int(8384))) / q[i]) || 1;
    } else {
      // anything, any size
      const density = random();
      for (let i = 0; i < 64; i++) if (random() < density) b[i] = wide(kind === 5 ? 32767 : 300);
    }
    return b;
  }

  function encode(width, height, components, tables) {
    const bytes = [];
    const u16 = (v) => bytes.push(v >> 8, v & 255);
    const marker = (m, body) => {
      bytes.push(0xff, m);
      u16(body.length + 2);
      bytes.push(...body);
    };
    bytes.push(0xff, 0xd8);
    for (let t = 0; t < tables.length; t++) {
      const body = [0x10 | t];
      for (let k = 0; k < 64; k++) body.push(tables[t][zigzag[k]] >> 8, tables[t][zigzag[k]] & 255);
      marker(0xdb, body);
    }
    const sof = [8, height >> 8, height & 255, width >> 8, width & 255, components.length];
    components.forEach((c, i) => sof.push(i + 1, (c.h << 4) | c.v, c.table));
    marker(0xc1, sof);
    // DC: symbols 0-15 with five-bit codes (code = symbol). AC: every byte, 0-127 with eight-bit codes (code =
    // symbol), 128-255 with nine-bit ones (code = symbol + 128).
    const counts = (lengths) => Array.from({ length: 16 }, (_, i) => lengths[i + 1] ?? 0);
    marker(0xc4, [0x00, ...counts({ 5: 16 }), ...Array.from({ length: 16 }, (_, i) => i)]);
    marker(0xc4, [0x10, ...counts({ 8: 128, 9: 128 }), ...Array.from({ length: 256 }, (_, i) => i)]);
    const putAc = (symbol) => (symbol < 128 ? put(symbol, 8) : put(symbol + 128, 9));
    const sos = [components.length];
    components.forEach((_, i) => sos.push(i + 1, 0x00));
    marker(0xda, [...sos, 0, 63, 0]);

    let acc = 0;
    let bits = 0;
    const put = (value, n) => {
      for (let i = n - 1; i >= 0; i--) {
        acc = (acc << 1) | ((value >> i) & 1);
        if (++bits === 8) {
          bytes.push(acc);
          if (acc === 0xff) bytes.push(0);
          acc = 0;
          bits = 0;
        }
      }
    };
    const category = (v) => (v === 0 ? 0 : 32 - Math.clz32(Math.abs(v)));
    const putValue = (v, s) => put(v > 0 ? v : v + (1 << s) - 1, s);
    const predictions = components.map(() => 0);
    const hMax = Math.max(...components.map((c) => c.h));
    const vMax = Math.max(...components.map((c) => c.v));
    const mcus = Math.ceil(width / (8 * hMax)) * Math.ceil(height / (8 * vMax));
    for (let m = 0; m < mcus; m++) {
      components.forEach((c, ci) => {
        for (let n = 0; n < c.h * c.v; n++) {
          const b = block(tables[c.table]);
          // DC difference within category 15: the decoder keeps the sum in an int and stores its low 16 bits.
          let diff = (((b[0] - predictions[ci]) % 65536) + 65536) % 65536;
          if (diff >= 32768) diff -= 65536;
          if (diff === -32768) diff = -32767;
          predictions[ci] += diff;
          const s = category(diff);
          put(s, 5);
          if (s) putValue(diff, s);
          let run = 0;
          for (let k = 1; k < 64; k++) {
            const v = b[zigzag[k]];
            if (v === 0) {
              run++;
              continue;
            }
            for (; run > 15; run -= 16) putAc(0xf0);
            const size = category(v);
            putAc((run << 4) | size);
            putValue(v, size);
            run = 0;
          }
          if (run) putAc(0x00);
        }
      });
    }
    if (bits) put(0x7f, 8 - bits);
    bytes.push(0xff, 0xd9);
    return Uint8Array.from(bytes);
  }

  const files = [];
  for (let i = 0; i < quantTables.length; i++) {
    const tables = [0, 1, 2].map(() => Array.from({ length: 64 }, quantTables[i]));
    files.push([`stress grey ${i}`, encode(128, 64, [{ h: 1, v: 1, table: 0 }], tables)]);
    const colour = [{ h: 2, v: 2, table: 0 }, { h: 1, v: 1, table: 1 }, { h: 1, v: 1, table: 2 }];
    files.push([`stress 4:2:0 ${i}`, encode(128, 96, colour, tables)]);
  }
  return files;
}

const simd = instantiate(simdPath);
const plain = instantiate(plainPath);
let decodes = 0;
const differences = [];
for (const folder of folders) {
  for (const path of [...jpegs(folder)].sort()) {
    const bytes = readFileSync(path);
    for (const scale of [1, 2, 4, 8]) {
      const expected = plain(bytes, scale);
      if (expected === undefined) continue;
      const actual = simd(bytes, scale);
      decodes++;
      if (actual !== expected) differences.push(`${path} at 1/${scale}: ${actual} with SIMD, ${expected} without`);
    }
  }
}
for (const [name, bytes] of stressJpegs()) {
  for (const scale of [1, 2, 4, 8]) {
    const expected = plain(bytes, scale);
    const actual = simd(bytes, scale);
    decodes++;
    if (expected.startsWith('error')) differences.push(`${name} at 1/${scale}: not decodable (${expected})`);
    else if (actual !== expected) differences.push(`${name} at 1/${scale}: ${actual} with SIMD, ${expected} without`);
  }
}
if (decodes === 0) {
  console.error('check-simd: no JPEG found');
  process.exit(1);
}
if (differences.length > 0) {
  console.error(`check-simd: the SIMD routines change the output of ${differences.length} of ${decodes} decodes:`);
  for (const line of differences) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-simd: ${decodes} decodes, identical pixels with and without SIMD`);
