#!/usr/bin/env node
// Generates the HEIC fixtures in test/fixtures/images/heic/ and their reference decodes.
//
// Run once by hand (`node scripts/make-heic-fixtures.mjs`; needs heif-enc and heif-convert from Debian's
// libheif-examples, libheif 1.15 with x265 and libde265) and commit the outputs: the tests read the committed
// files. The reference PNGs are heif-convert's decodes (libheif's own reading of the container, libde265 for
// HEVC), so the tests compare our decoder with an independent one.
//
// - grid.heic: 720×480 from photo-1000x800.jpg as a 3×2 grid of 256×256 tiles, the way iPhones store photos
//   in 512×512 tiles (the last column and row overhang the image); grid-rotated.heic: the same with irot 1
//   (90° anti-clockwise) and an nclx colr box (BT.709 primaries, sRGB transfer, BT.601 matrix, full range: what
//   the tiles were encoded with). Small tiles keep the files small; the decoder reads the tile size from the file.
// - single.heic: one 320×240 HEVC image with a Display P3 ICC profile (colr 'prof'); alpha.heic: 160×120 with an
//   alpha plane (an auxiliary item).
// - iphone-12mp.heic: 4032×3024 as 8×6 tiles of 512×512, an iPhone's layout. Its 48 cells repeat four tiles
//   (a 1024×1024 block of photo-4000x3000.jpg) whose data they share, which keeps the file at ~100 KB; every
//   cell is still decoded on its own. The memory tests and the benchmark (larger grids of the same tiles) use it.
// References are lossless WebP (the same pixels as heif-convert's PNG, a third of the bytes, no profile applied).
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gridHeic } from './heic-grid.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/fixtures/images/heic');
const photo = join(root, 'test/fixtures/images/generated/photo-1000x800.jpg');
mkdirSync(outDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'heic-fixtures-'));

/** heif-enc of the given PNGs (one item each), quality 60, no thumbnail. */
export function heifEnc(pngs, out) {
  execFileSync('heif-enc', ['-q', '60', '-o', out, ...pngs], { stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(out);
}

/** The tile×tile tiles of `image` (edge tiles extended by repeating the last pixels, as an encoder pads them). */
export async function tilePngs(image, columns, rows, dir, tile = 512) {
  const { width, height } = await sharp(image).metadata();
  const padded = await sharp(image)
    .extend({ right: columns * tile - width, bottom: rows * tile - height, extendWith: 'copy' })
    .png()
    .toBuffer();
  const files = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const file = join(dir, `tile-${r}-${c}.png`);
      await sharp(padded).extract({ left: c * tile, top: r * tile, width: tile, height: tile }).toFile(file);
      files.push(file);
    }
  }
  return files;
}

async function reference(name) {
  const png = join(work, name.replace('.heic', '.png'));
  execFileSync('heif-convert', [join(outDir, name), png], { stdio: ['ignore', 'ignore', 'inherit'] });
  await sharp(png, { ignoreIcc: true }).webp({ lossless: true }).toFile(join(outDir, name.replace('.heic', '.reference.webp')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = join(work, 'grid.png');
  await sharp(photo).resize(720, 480, { fit: 'cover' }).png().toFile(source);
  const tiles = heifEnc(await tilePngs(source, 3, 2, work, 256), join(work, 'tiles.heic'));
  writeFileSync(join(outDir, 'grid.heic'), gridHeic(tiles, { columns: 3, rows: 2, width: 720, height: 480 }));
  writeFileSync(
    join(outDir, 'grid-rotated.heic'),
    gridHeic(tiles, { columns: 3, rows: 2, width: 720, height: 480, rotate: 1, nclx: { primaries: 1, transfer: 13, matrix: 6, fullRange: true } }),
  );
  await reference('grid.heic');

  await sharp(photo).resize(320, 240, { fit: 'cover' }).withIccProfile('p3').png().toFile(join(work, 'single.png'));
  writeFileSync(join(outDir, 'single.heic'), heifEnc([join(work, 'single.png')], join(work, 'single.heic')));
  await reference('single.heic');

  // A photo faded to transparent on the right: every alpha value from 255 to 0.
  const rgb = await sharp(photo).resize(160, 120, { fit: 'cover' }).raw().toBuffer();
  const rgba = Buffer.alloc(160 * 120 * 4);
  for (let i = 0; i < 160 * 120; i++) {
    rgb.copy(rgba, i * 4, i * 3, i * 3 + 3);
    rgba[i * 4 + 3] = 255 - Math.round(((i % 160) * 255) / 159);
  }
  await sharp(rgba, { raw: { width: 160, height: 120, channels: 4 } }).png().toFile(join(work, 'alpha.png'));
  writeFileSync(join(outDir, 'alpha.heic'), heifEnc([join(work, 'alpha.png')], join(work, 'alpha.heic')));
  await reference('alpha.heic');

  const block = join(work, 'block.png');
  const big = join(root, 'test/fixtures/images/generated/photo-4000x3000.jpg');
  await sharp(big).extract({ left: 1488, top: 988, width: 1024, height: 1024 }).png().toFile(block);
  const blockTiles = heifEnc(await tilePngs(block, 2, 2, work, 512), join(work, 'block.heic'));
  const layout = Array.from({ length: 48 }, (_, i) => (Math.floor(i / 8) % 2) * 2 + (i % 2));
  writeFileSync(join(outDir, 'iphone-12mp.heic'), gridHeic(blockTiles, { columns: 8, rows: 6, width: 4032, height: 3024, layout }));
  rmSync(work, { recursive: true });
  console.log('wrote', outDir);
}
