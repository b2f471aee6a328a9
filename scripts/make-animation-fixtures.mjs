#!/usr/bin/env node
// Generates the animation test images in test/fixtures/images/generated/animation/ (small; the 300-frame GIF of
// the memory test and the benchmark is made where it is used).
//
// Run once by hand (`node scripts/make-animation-fixtures.mjs`) and commit the outputs, as for make-fixtures.mjs.
// - photo.gif / photo.webp: 8 frames of 120×80 panned across testorig.jpg, delays 40–180 ms, 3 plays (sharp).
// - disposal.gif: 16×16, written with omggif's GifWriter, which sets each frame's rectangle and disposal:
//   0 red over the canvas (leave), 1 green 8×8 at (0,0) (restore to background), 2 blue 8×8 at (8,8) (restore
//   previous), 3 a 4×4 black square at (8,0) whose left column is the transparent index (leave).
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
