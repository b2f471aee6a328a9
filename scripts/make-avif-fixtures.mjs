#!/usr/bin/env node
// Generates the AVIF decoder's fixtures in test/fixtures/images/avif/: files of every layout the decoder
// converts (4:2:0, 4:2:2, 4:4:4, monochrome; 8, 10, 12 bits; full and limited range; BT.601 and BT.709;
// alpha, premultiplied alpha; grids), each with sharp's decode of it as a PNG (`<name>.sharp.png`), which the
// tests compare the decoder's pixels with. Run by hand (`node scripts/make-avif-fixtures.mjs`) and commit the
// outputs; sharp writes most files, libheif's heif-enc (Debian's libheif-examples) the layouts sharp cannot
// (monochrome, 4:2:2, premultiplied alpha), scripts/avif-grid.mjs the grids. sharp's decode of a premultiplied
// file keeps the premultiplied samples (the tests compare premultiplied values).
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAvifGrid } from './avif-grid.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'test/fixtures/images');
const outDir = join(images, 'avif');
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'avif-fixtures-'));

const testorig = readFileSync(join(images, 'jpeg/testorig.jpg')); // 227×149 baseline JPEG
const landscape = join(images, 'exif/Landscape_1.jpg'); // 1800×1200

/** Writes `name` and sharp's decode of it (RGBA when it has alpha) as `<name>.sharp.png`. */
async function write(name, bytes) {
  writeFileSync(join(outDir, name), bytes);
  writeFileSync(join(outDir, `${name}.sharp.png`), await sharp(bytes).png().toBuffer());
}

/** heif-enc on a PNG of `image`, with `args`. */
async function heifEnc(image, args) {
  const png = join(work, 'in.png');
  const out = join(work, 'out.avif');
  writeFileSync(png, await image.png().toBuffer());
  execFileSync('heif-enc', ['-A', '-q', '60', ...args, png, '-o', out], { stdio: 'ignore' });
  return readFileSync(out);
}

const photo = () => sharp(testorig);
await write('photo-420.avif', await photo().avif({ quality: 55, chromaSubsampling: '4:2:0' }).toBuffer());
await write('photo-444.avif', await photo().avif({ quality: 55, chromaSubsampling: '4:4:4' }).toBuffer());
await write('photo-10bit.avif', await photo().avif({ quality: 55, bitdepth: 10 }).toBuffer());
await write('photo-12bit.avif', await photo().avif({ quality: 55, bitdepth: 12 }).toBuffer());
await write('mono.avif', await heifEnc(photo().greyscale().toColourspace('b-w'), []));
// heif-enc 1.15 writes nclx 2/2/6 full range whatever its options say: the colr box is rewritten to BT.709
// limited range, which the decoder (and sharp's) must then convert with, whatever the AV1 header says.
const bt709 = await heifEnc(photo(), ['-p', 'chroma=422']);
const nclx = bt709.indexOf('nclx');
bt709.set([0, 1, 0, 1, 0, 1, 0x00], nclx + 4); // primaries 1, transfer 1, matrix 1, full_range_flag 0
await write('bt709-limited-422.avif', bt709);

// Alpha: a horizontal ramp over the photo, straight and premultiplied (heif-enc takes premultiplied input).
const { data, info } = await photo().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
const premultiplied = Buffer.from(data);
for (let y = 0; y < info.height; y++) {
  for (let x = 0; x < info.width; x++) {
    const i = (y * info.width + x) * 4;
    const a = Math.round((255 * x) / (info.width - 1));
    data[i + 3] = a;
    for (let c = 0; c < 3; c++) premultiplied[i + c] = Math.round((data[i + c] * a) / 255);
    premultiplied[i + 3] = a;
  }
}
const raw = { raw: { width: info.width, height: info.height, channels: 4 } };
await write('alpha.avif', await sharp(data, raw).avif({ quality: 55 }).toBuffer());
await write('premultiplied.avif', await heifEnc(sharp(premultiplied, raw), ['--premultiplied-alpha']));

// A 3×2 grid of 128×128 tiles (4:2:0) cut from a photo, cropped to 380×250 (the last column and row partly).
const scene = await sharp(landscape).resize(384, 256).raw().toBuffer({ resolveWithObject: true });
const tiles = [];
for (let row = 0; row < 2; row++) {
  for (let column = 0; column < 3; column++) {
    const tile = sharp(scene.data, { raw: scene.info }).extract({ left: column * 128, top: row * 128, width: 128, height: 128 });
    tiles.push(await tile.avif({ quality: 60, chromaSubsampling: '4:2:0' }).toBuffer());
  }
}
await write('grid-3x2.avif', writeAvifGrid({ files: tiles, tiles: [0, 1, 2, 3, 4, 5], rows: 2, columns: 3, width: 380, height: 250 }));

// Memory: a 24 MP (6000×4000) grid of 12×8 tiles of 500×500 that all share one tile's data, and a 24 MP
// single-item 8-bit 4:2:0 image. No sharp reference (the tests check memory and output size).
const tile = await sharp(landscape).resize(500, 500).avif({ quality: 50, chromaSubsampling: '4:2:0', effort: 0 }).toBuffer();
writeFileSync(
  join(outDir, 'grid-6000x4000.avif'),
  writeAvifGrid({ files: [tile], tiles: new Array(96).fill(0), rows: 8, columns: 12, width: 6000, height: 4000 }),
);
const big = await sharp(landscape).resize(6000, 4000).avif({ quality: 30, chromaSubsampling: '4:2:0', effort: 0 }).toBuffer();
writeFileSync(join(outDir, 'photo-6000x4000.avif'), big);

// Cut inside the AV1 data: the header (meta) is whole, the pixels are not.
const whole = await photo().avif({ quality: 55, chromaSubsampling: '4:2:0' }).toBuffer();
writeFileSync(join(outDir, 'truncated.avif'), whole.subarray(0, Math.floor(whole.length * 0.6)));

rmSync(work, { recursive: true });
console.log(`wrote ${outDir}`);
