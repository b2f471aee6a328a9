#!/usr/bin/env node
// Generates the synthetic test images in test/fixtures/images/generated/.
//
// Run once by hand (`node scripts/make-fixtures.mjs`) and commit the outputs: the tests read the committed files,
// never this script, so a different sharp/libvips build can't silently change what the tests see. Every output is
// listed in test/fixtures/registry.ts with the header values the probe must report.
//
// Sources are the copied fixtures under test/fixtures/images/{exif,jpeg}. Files that sharp can't express (decompression
// bombs, a little-endian EXIF block, an APNG) are assembled by hand from chunks/segments.
import sharp from 'sharp';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'test/fixtures/images');
const outDir = join(images, 'generated');
mkdirSync(outDir, { recursive: true });

const testorig = readFileSync(join(images, 'jpeg/testorig.jpg')); // 227×149 baseline JPEG
const landscape = join(images, 'exif/Landscape_1.jpg'); // 1800×1200, orientation 1

const written = [];
function write(name, bytes) {
  writeFileSync(join(outDir, name), bytes);
  written.push(name);
}

// ---------------------------------------------------------------- PNG helpers (hand-built files)

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width, height, bitDepth, colourType) {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = bitDepth;
  d[9] = colourType;
  return pngChunk('IHDR', d); // compression, filter and interlace stay 0
}

// ---------------------------------------------------------------- alpha gradient PNG, WebP and AVIF variants

// 64×48 RGBA: colour ramps on x/y, alpha ramps 0→255 left to right, so encoders must keep a real alpha channel.
const GW = 64;
const GH = 48;
const gradient = Buffer.alloc(GW * GH * 4);
for (let y = 0; y < GH; y++) {
  for (let x = 0; x < GW; x++) {
    const i = (y * GW + x) * 4;
    gradient[i] = Math.round((x / (GW - 1)) * 255);
    gradient[i + 1] = Math.round((y / (GH - 1)) * 255);
    gradient[i + 2] = 128;
    gradient[i + 3] = Math.round((x / (GW - 1)) * 255);
  }
}
const gradientImg = () => sharp(gradient, { raw: { width: GW, height: GH, channels: 4 } });

write('alpha-gradient.png', await gradientImg().png().toBuffer());
write('alpha.webp', await gradientImg().webp({ quality: 80 }).toBuffer()); // VP8X + ALPH + VP8
write('lossless-alpha.webp', await gradientImg().webp({ lossless: true }).toBuffer()); // simple VP8L, alpha bit set
write('alpha.avif', await gradientImg().avif({ quality: 50 }).toBuffer()); // auxC alpha item

// ---------------------------------------------------------------- opaque WebP / AVIF from the 227×149 photo

write('lossy.webp', await sharp(testorig).webp({ quality: 75 }).toBuffer()); // simple 'VP8 '
write('lossless.webp', await sharp(testorig).webp({ lossless: true }).toBuffer()); // simple VP8L, no alpha
const exif6 = sharp(testorig).withMetadata({ orientation: 6 }); // VP8X with a trailing EXIF chunk
write('exif-orientation-6.webp', await exif6.webp({ quality: 60 }).toBuffer());
write('opaque.avif', await sharp(testorig).avif({ quality: 50 }).toBuffer());
write('10bit.avif', await sharp(testorig).avif({ quality: 50, bitdepth: 10 }).toBuffer()); // pixi says 10

// ---------------------------------------------------------------- animation and GIF

// Three 32×24 solid frames (red, green, blue) joined into one animated image.
const frames = await Promise.all(
  [
    { r: 255, g: 0, b: 0 },
    { r: 0, g: 255, b: 0 },
    { r: 0, g: 0, b: 255 },
  ].map((background) => sharp({ create: { width: 32, height: 24, channels: 3, background } }).png().toBuffer()),
);
write('animated.webp', await sharp(frames, { join: { animated: true } }).webp({ quality: 50, delay: 100 }).toBuffer());
write('animated.gif', await sharp(frames, { join: { animated: true } }).gif({ delay: 100 }).toBuffer());
write('transparent.gif', await gradientImg().gif().toBuffer()); // transparent index from the alpha ramp

// A 2-frame 16×16 APNG (libvips can't write APNG): IHDR, acTL, fcTL, IDAT, fcTL, fdAT, IEND.
{
  const W = 16;
  const H = 16;
  const rows = (rgba) => {
    const raw = Buffer.alloc(H * (1 + W * 4));
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) raw.set(rgba, y * (1 + W * 4) + 1 + x * 4);
    return deflateSync(raw);
  };
  const fctl = (seq) => {
    const d = Buffer.alloc(26);
    d.writeUInt32BE(seq, 0);
    d.writeUInt32BE(W, 4);
    d.writeUInt32BE(H, 8);
    d.writeUInt16BE(1, 20); // delay 1/10 s
    d.writeUInt16BE(10, 22);
    return pngChunk('fcTL', d);
  };
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(2, 0); // num_frames
  const seq2 = Buffer.alloc(4);
  seq2.writeUInt32BE(2, 0);
  write(
    'animated.png',
    Buffer.concat([
      PNG_SIGNATURE,
      ihdr(W, H, 8, 6),
      pngChunk('acTL', actl),
      fctl(0),
      pngChunk('IDAT', rows([255, 0, 0, 255])),
      fctl(1),
      pngChunk('fdAT', Buffer.concat([seq2, rows([0, 0, 255, 128])])),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

// ---------------------------------------------------------------- JPEG variants

write('progressive.jpg', await sharp(testorig).jpeg({ quality: 80, progressive: true }).toBuffer());
write('grey.jpg', await sharp(testorig).toColourspace('b-w').jpeg({ quality: 80 }).toBuffer()); // 1 component
write('cmyk.jpg', await sharp(testorig).toColourspace('cmyk').jpeg({ quality: 80 }).toBuffer()); // 4 components

// Photo-like test images for the pipeline/bench: Landscape_1 cropped to the target aspect ratio and resampled.
for (const [w, h] of [
  [4000, 3000],
  [1000, 800],
]) {
  const jpeg = await sharp(landscape)
    .resize(w, h, { fit: 'cover' })
    .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
    .toBuffer();
  write(`photo-${w}x${h}.jpg`, jpeg);
}

// Big photos for the memory tests and the bench (DCT-scaled and progressive decoding): Landscape_1 at 600 px,
// scaled up, so they are smooth and small on disk (q70), but have a real photo's structure and real sizes.
{
  const small = await sharp(landscape).resize(600).png().toBuffer();
  const big = (w, h) => sharp(small).resize(w, h, { fit: 'cover', kernel: 'cubic' });
  write('photo-6000x4000.jpg', await big(6000, 4000).jpeg({ quality: 70, chromaSubsampling: '4:2:0' }).toBuffer());
  write(
    'photo-4000x3000-progressive.jpg',
    await big(4000, 3000).jpeg({ quality: 70, chromaSubsampling: '4:2:0', progressive: true }).toBuffer(),
  );
}

// Truncated JPEG: the first 60% of testorig.jpg; headers intact, entropy-coded data cut short.
write('truncated.jpg', testorig.subarray(0, Math.floor(testorig.length * 0.6)));

/** Offset of the first SOFn marker (FFC0–FFCF except DHT C4, JPG C8, DAC CC) in a JPEG. */
function sofOffset(jpeg) {
  let i = 2;
  while (i + 4 <= jpeg.length) {
    const m = jpeg[i + 1];
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return i;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  throw new Error('no SOF');
}

// JPEG bomb: testorig.jpg with its SOF0 claiming 30000×30000 (900 MP); only the header is meaningful.
{
  const bomb = Buffer.from(testorig);
  const sof = sofOffset(bomb);
  bomb.writeUInt16BE(30000, sof + 5); // height
  bomb.writeUInt16BE(30000, sof + 7); // width
  write('bomb.jpg', bomb);
}

// Little-endian ("II") EXIF with orientation 6, inserted after SOI: libvips/libexif write big-endian, so build it.
{
  const tiff = Buffer.alloc(8 + 2 + 12 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 offset
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14); // count
  tiff.writeUInt16LE(6, 18); // value, left-justified in the 4-byte field
  // next-IFD offset (bytes 22–25) stays 0
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  write('exif-le-orientation-6.jpg', Buffer.concat([testorig.subarray(0, 2), app1, payload, testorig.subarray(2)]));
}

// ---------------------------------------------------------------- PNG bomb

// A complete, legal 16384×16384 1-bit greyscale PNG (268 MP, 1 GiB once decoded to RGBA): every row is a filter byte
// plus 2048 zero bytes, and 33.5 MB of zeros deflate to ~33 KB. A decoder that trusted it would really allocate.
{
  const S = 16384;
  const raw = Buffer.alloc(S * (1 + S / 8));
  const idat = deflateSync(raw, { level: 9 });
  const iend = pngChunk('IEND', Buffer.alloc(0));
  write('bomb.png', Buffer.concat([PNG_SIGNATURE, ihdr(S, S, 1, 0), pngChunk('IDAT', idat), iend]));
}

// ---------------------------------------------------------------- report

let total = 0;
for (const name of written) {
  const { size } = statSync(join(outDir, name));
  total += size;
  const m = await sharp(join(outDir, name), { pages: -1 })
    .metadata()
    .catch((e) => ({ error: e.message }));
  const what = m.error ?? `${m.width}×${m.pageHeight ?? m.height} ${m.format}`;
  console.log(name.padEnd(28), String(size).padStart(8), what);
}
console.log('total'.padEnd(28), String(total).padStart(8));

// ---------------------------------------------------------------- decode memory budget (src/codecs/memory-budget.ts)

// Smooth gradients: they compress to little, and a decoder's memory depends on the pixels, not on the content.
function gradient(width, height) {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = ((x + y) * 127) / (width + height);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}
write('budget-avif10-1600x1200.avif', await gradient(1600, 1200).avif({ quality: 50, bitdepth: 10, effort: 0 }).toBuffer());
write('budget-webp-lossless-2400x1600.webp', await gradient(2400, 1600).webp({ lossless: true, effort: 0 }).toBuffer());
write('budget-avif-3000x2000.avif', await gradient(3000, 2000).avif({ quality: 50, effort: 0 }).toBuffer());
write('budget-webp-lossless-4000x3000.webp', await gradient(4000, 3000).webp({ lossless: true, effort: 0 }).toBuffer());
