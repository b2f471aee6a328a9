/**
 * Run by wasm/jpeg/build.sh: decodes every JPEG under the given folders at 1/1, 1/2, 1/4 and 1/8 with the
 * module as built (simd.c's WebAssembly SIMD routines) and with the same module linked without them (libjpeg's
 * plain C), and fails unless every decode gives the same pixels, or the same error.
 *
 *   node check-simd.mjs <jpeg.wasm> <jpeg-plain.wasm> <folder>...
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
