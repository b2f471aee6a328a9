#!/usr/bin/env node
// Generates the smart-crop fixtures in test/fixtures/images/generated/: a photo (testorig's rose) placed off
// centre on a plain backdrop, so where its subject is is known exactly. Run by hand and commit the outputs, as
// with make-fixtures.mjs; the subject boxes are listed in test/fixtures/subjects.ts.
import sharp from 'sharp';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'test/fixtures/images');
const testorig = readFileSync(join(images, 'jpeg/testorig.jpg')); // 227×149
const landscape = join(images, 'exif/Landscape_1.jpg'); // 1800×1200

/** A soft backdrop: the landscape blurred far past recognition, dimmed and desaturated. */
async function backdrop(width, height) {
  return sharp(landscape)
    .resize(width, height, { fit: 'cover' })
    .blur(40)
    .modulate({ brightness: 0.8, saturation: 0.3 })
    .toBuffer();
}

async function composite(name, width, height, box) {
  const subject = await sharp(testorig).resize(box.width, box.height, { fit: 'fill' }).toBuffer();
  const bytes = await sharp(await backdrop(width, height))
    .composite([{ input: subject, left: box.x, top: box.y }])
    .jpeg({ quality: 85 })
    .toBuffer();
  writeFileSync(join(images, 'generated', name), bytes);
  console.log(name, width, height, box);
}

await composite('subject-left-1200x600.jpg', 1200, 600, { x: 60, y: 300, width: 360, height: 236 });
await composite('subject-bottom-right-600x1200.jpg', 600, 1200, { x: 270, y: 940, width: 300, height: 197 });
await composite('subject-top-right-1600x900.jpg', 1600, 900, { x: 1180, y: 40, width: 380, height: 250 });
