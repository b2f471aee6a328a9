#!/usr/bin/env node
// Generates the animation test images in test/fixtures/images/generated/animation/ (small; the 300-frame GIF of
// the memory test and the benchmark is made where it is used).
//
// Run once by hand (`node scripts/make-animation-fixtures.mjs`) and commit the outputs, as for make-fixtures.mjs.
// - photo.gif / photo.webp: 8 frames of 120×80 panned across testorig.jpg, delays 40–180 ms, 3 plays (sharp).
// - disposal.gif: 16×16, written with omggif's GifWriter, which sets each frame's rectangle and disposal:
//   0 red over the canvas (leave), 1 green 8×8 at (0,0) (restore to background), 2 blue 8×8 at (8,8) (restore
//   previous), 3 a 4×4 black square at (8,0) whose left column is the transparent index (leave).
// - photo.apng: 60×40, 2 plays, assembled here from PNGs sharp wrote (their IDAT data becomes IDAT/fdAT): 0 a crop of
//   testorig (the default image too; 50 ms), 1 a half-transparent red 20×20 at (10,10) blended over, then cleared
//   to transparent (100 ms), 2 an opaque green 20×20 at (30,10), then the canvas put back (300 ms), 3 an opaque
//   blue 10×10 at (0,0) blended over (400 ms).
import sharp from 'sharp';
import omggif from 'omggif';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'test/fixtures/images');
const outDir = join(images, 'generated/animation');
mkdirSync(outDir, { recursive: true });
const write = (name, bytes) => writeFileSync(join(outDir, name), bytes);

const testorig = readFileSync(join(images, 'jpeg/testorig.jpg')); // 227×149
const FRAMES = 8;
const frames = await Promise.all(
  Array.from({ length: FRAMES }, (_, i) => sharp(testorig).extract({ left: i * 12, top: i * 6, width: 120, height: 80 }).png().toBuffer()),
);
const delay = Array.from({ length: FRAMES }, (_, i) => 40 + i * 20);
write('photo.gif', await sharp(frames, { join: { animated: true } }).gif({ loop: 3, delay }).toBuffer());
write('photo.webp', await sharp(frames, { join: { animated: true } }).webp({ loop: 3, delay, quality: 90 }).toBuffer());

const RED = 1, GREEN = 2, BLUE = 3, BLACK = 0, CLEAR = 4;
const palette = [0x000000, 0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x808080, 0x404040, 0xc0c0c0];
const buf = new Uint8Array(4096);
const gif = new omggif.GifWriter(buf, 16, 16, { palette, loop: 0 });
gif.addFrame(0, 0, 16, 16, new Array(256).fill(RED), { delay: 10, disposal: 1 });
gif.addFrame(0, 0, 8, 8, new Array(64).fill(GREEN), { delay: 20, disposal: 2 });
gif.addFrame(8, 8, 8, 8, new Array(64).fill(BLUE), { delay: 30, disposal: 3 });
gif.addFrame(8, 0, 4, 4, Array.from({ length: 16 }, (_, i) => (i % 4 === 0 ? CLEAR : BLACK)), { delay: 40, disposal: 1, transparent: CLEAR });
write('disposal.gif', buf.subarray(0, gif.end()));

/** The zlib data of a PNG sharp writes (its IDAT chunks joined). */
function idatOf(png) {
  const parts = [];
  for (let i = 8; i < png.length; ) {
    const length = png.readUInt32BE(i);
    if (png.toString('latin1', i + 4, i + 8) === 'IDAT') parts.push(png.subarray(i + 8, i + 8 + length));
    i += 12 + length;
  }
  return Buffer.concat(parts);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function pngChunk(type, body) {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  let crc = 0xffffffff;
  for (const byte of out.subarray(4, 8 + body.length)) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + body.length);
  return out;
}
const rgba = (width, height, [r, g, b, a]) => sharp({ create: { width, height, channels: 4, background: { r, g, b, alpha: a / 255 } } }).png().toBuffer();
const apngFrames = [
  { png: await sharp(testorig).extract({ left: 40, top: 30, width: 60, height: 40 }).ensureAlpha().png().toBuffer(), x: 0, y: 0, delay: [50, 1000], dispose: 0, blend: 0 },
  { png: await rgba(20, 20, [255, 0, 0, 128]), x: 10, y: 10, delay: [10, 100], dispose: 1, blend: 1 },
  { png: await rgba(20, 20, [0, 255, 0, 255]), x: 30, y: 10, delay: [3, 10], dispose: 2, blend: 0 },
  { png: await rgba(10, 10, [0, 0, 255, 255]), x: 0, y: 0, delay: [400, 1000], dispose: 0, blend: 1 },
];
let sequence = 0;
const apngChunks = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(60, 0);
ihdr.writeUInt32BE(40, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, not interlaced
apngChunks.push(pngChunk('IHDR', ihdr));
const actl = Buffer.alloc(8);
actl.writeUInt32BE(apngFrames.length, 0);
actl.writeUInt32BE(2, 4);
apngChunks.push(pngChunk('acTL', actl));
for (const [i, f] of apngFrames.entries()) {
  const meta = await sharp(f.png).metadata();
  const fctl = Buffer.alloc(26);
  fctl.writeUInt32BE(sequence++, 0);
  fctl.writeUInt32BE(meta.width, 4);
  fctl.writeUInt32BE(meta.height, 8);
  fctl.writeUInt32BE(f.x, 12);
  fctl.writeUInt32BE(f.y, 16);
  fctl.writeUInt16BE(f.delay[0], 20);
  fctl.writeUInt16BE(f.delay[1], 22);
  fctl[24] = f.dispose;
  fctl[25] = f.blend;
  apngChunks.push(pngChunk('fcTL', fctl));
  const data = idatOf(f.png);
  if (i === 0) apngChunks.push(pngChunk('IDAT', data));
  else {
    const seq = Buffer.alloc(4);
    seq.writeUInt32BE(sequence++, 0);
    apngChunks.push(pngChunk('fdAT', Buffer.concat([seq, data])));
  }
}
apngChunks.push(pngChunk('IEND', Buffer.alloc(0)));
write('photo.apng', Buffer.concat(apngChunks));
