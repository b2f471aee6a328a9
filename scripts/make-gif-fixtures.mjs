#!/usr/bin/env node
// Generates the GIF test images in test/fixtures/images/generated/gif/ (sharp writes GIF through cgif).
//
// Run once by hand (`node scripts/make-gif-fixtures.mjs`) and commit the outputs, as for make-fixtures.mjs. Layouts
// cgif never writes (a first frame offset on a larger screen, a local colour table on the first frame) are made by
// rewriting the header and descriptor of a file sharp wrote; the pixel data is left as it is.
import sharp from 'sharp';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'test/fixtures/images');
const outDir = join(images, 'generated/gif');
mkdirSync(outDir, { recursive: true });
const write = (name, bytes) => writeFileSync(join(outDir, name), bytes);

const testorig = readFileSync(join(images, 'jpeg/testorig.jpg')); // 227×149 baseline JPEG
const photo = (width, height) => sharp(testorig).resize(width, height, { fit: 'fill' });

const still = await photo(227, 149).gif().toBuffer();
write('still.gif', still);
write('interlaced.gif', await photo(60, 40).gif({ progressive: true }).toBuffer());
// Under 8 rows: the interlace passes that start at rows 4 and 2 are partly or wholly empty.
write('interlaced-short.gif', await photo(20, 5).gif({ progressive: true }).toBuffer());
// Cut inside the first frame's LZW data.
write('truncated.gif', still.subarray(0, Math.floor(still.length / 2)));

/** Offset of the first image descriptor (0x2C) after the header, global table and extensions. */
function firstDescriptor(b) {
  let i = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0);
  while (b[i] === 0x21) {
    i += 2;
    while (b[i] !== 0) i += b[i] + 1;
    i++;
  }
  if (b[i] !== 0x2c) throw new Error('no image descriptor');
  return i;
}

// A 40×30 frame at (6, 4) on a 50×40 logical screen: the rest of the screen is transparent.
const small = Buffer.from(await photo(40, 30).gif().toBuffer());
const offset = Buffer.from(small);
offset.writeUInt16LE(50, 6);
offset.writeUInt16LE(40, 8);
const d = firstDescriptor(offset);
offset.writeUInt16LE(6, d + 1);
offset.writeUInt16LE(4, d + 3);
write('offset.gif', offset);

// A frame larger than its (10×10) logical screen: the canvas grows to hold it, as browsers do.
const grown = Buffer.from(small);
grown.writeUInt16LE(10, 6);
grown.writeUInt16LE(10, 8);
write('screen-smaller.gif', grown);

// The same 40×30 image with its colour table moved from the screen to the frame.
{
  const tableSize = 3 << ((small[10] & 7) + 1);
  const table = small.subarray(13, 13 + tableSize);
  const head = Buffer.from(small.subarray(0, 13));
  head[10] &= 0x7f; // no global table
  const rest = small.subarray(13 + tableSize);
  const desc = firstDescriptor(Buffer.concat([head, rest]));
  const body = Buffer.concat([head, rest]);
  body[desc + 9] = (body[desc + 9] & ~0x87) | 0x80 | (small[10] & 7);
  write('local-palette.gif', Buffer.concat([body.subarray(0, desc + 10), table, body.subarray(desc + 10)]));
}

// Three 48×32 frames; the first has a transparent band, the later ones differ, so only frame 1 may show.
const frame = (r, g, b) =>
  sharp({ create: { width: 48, height: 32, channels: 4, background: { r, g, b, alpha: 1 } } })
    .composite([{ input: { create: { width: 48, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } }, top: 12, left: 0, blend: 'dest-out' }])
    .png()
    .toBuffer();
const frames = await Promise.all([frame(200, 40, 40), frame(40, 200, 40), frame(40, 40, 200)]);
write('animated-alpha.gif', await sharp(frames, { join: { animated: true } }).gif({ delay: 100 }).toBuffer());
