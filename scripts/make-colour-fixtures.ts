// Generates the colour-management fixtures in test/fixtures/images/colour/ (run by hand with `npx tsx scripts/make-colour-fixtures.ts`, outputs committed, listed in
// test/fixtures/registry.ts). Each carries the same saturated pattern, declared in a colour space other than sRGB:
// the pixel values are what a camera or phone would store in that space, so a viewer that ignores the declaration
// shows them duller (or, for CMYK and grey, wrong).
//
// Profiles: Display P3 and CMYK are libvips' own (sharp's withIccProfile('p3') / toColourspace('cmyk') attach them);
// Adobe RGB (1998) and a grey gamma-1.8 profile are written here as ICC v2 matrix/TRC profiles (colorants from the
// Adobe RGB (1998) specification, adapted to D50).
import sharp from 'sharp';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { box, withPrimaryProperty } from '../src/codecs/embed/avif';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'test/fixtures/images/colour');
mkdirSync(outDir, { recursive: true });
const W = 480;
const H = 320;

/** Full-saturation hues across, value and saturation falling down: most of it outside sRGB once read as P3. */
function pattern(bits = 8) {
  const max = bits === 16 ? 65535 : 255;
  const out = bits === 16 ? new Uint16Array(W * H * 3) : new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const h = (x / W) * 6;
      const v = 1 - 0.6 * Math.max(0, (y - H / 2) / (H / 2));
      const s = y < H / 2 ? 1 - 0.5 * (y / (H / 2)) : 1;
      const f = h - Math.floor(h);
      const rgb = [[1, f, 0], [1 - f, 1, 0], [0, 1, f], [0, 1 - f, 1], [f, 0, 1], [1, 0, 1 - f]][Math.floor(h) % 6];
      for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = Math.round(max * v * (1 - s + s * rgb[c]));
    }
  }
  return out;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
const s15 = (v: number) => u32(Math.round(v * 65536));
const xyz = (x, y, z) => Buffer.concat([ascii('XYZ '), u32(0), s15(x), s15(y), s15(z)]);
const curv = (gamma) => Buffer.concat([ascii('curv'), u32(0), u32(1), Buffer.from([Math.floor(gamma), Math.round((gamma % 1) * 256)]), Buffer.alloc(2)]);
const desc = (text) => Buffer.concat([ascii('desc'), u32(0), u32(text.length + 1), ascii(text + '\0'), Buffer.alloc(12 + 67)]);

/** An ICC v2 display profile from its tags (each padded to 4 bytes). */
function icc(space: string, tags: [string, Buffer][]) {
  const table = [];
  const data = [];
  let at = 128 + 4 + 12 * tags.length;
  for (const [sig, body] of tags) {
    const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
    table.push(Buffer.concat([ascii(sig), u32(at), u32(body.length)]));
    data.push(padded);
    at += padded.length;
  }
  const header = Buffer.alloc(128);
  header.writeUInt32BE(at, 0);
  header.writeUInt32BE(0x02100000, 8);
  ascii('mntr').copy(header, 12);
  ascii(space).copy(header, 16);
  ascii('XYZ ').copy(header, 20);
  ascii('acsp').copy(header, 36);
  s15(0.9642).copy(header, 68);
  s15(1).copy(header, 72);
  s15(0.8249).copy(header, 76);
  return Buffer.concat([header, u32(tags.length), ...table, ...data]);
}

const D50 = xyz(0.9642, 1, 0.8249);
const adobeRgb = icc('RGB ', [
  ['desc', desc('Adobe RGB (1998) compatible')],
  ['wtpt', D50],
  ['rXYZ', xyz(0.60974, 0.31111, 0.01947)],
  ['gXYZ', xyz(0.20528, 0.62567, 0.06087)],
  ['bXYZ', xyz(0.14919, 0.06322, 0.74457)],
  ['rTRC', curv(563 / 256)],
  ['gTRC', curv(563 / 256)],
  ['bTRC', curv(563 / 256)],
]);
const grey18 = icc('GRAY', [
  ['desc', desc('Grey gamma 1.8')],
  ['wtpt', D50],
  ['kTRC', curv(1.8)],
]);

/**
 * A small CMYK printer profile (libvips' own is 960 KB): A2B0 as an 8-bit LUT (lut8, 9 grid points) from CMYK to
 * Lab, by the naive ink model (each ink filters its primary, black filters all) through sRGB and D50.
 */
function cmykProfile() {
  const g = 9;
  const clut: number[] = [];
  const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  for (let c = 0; c < g; c++) for (let m = 0; m < g; m++) for (let y = 0; y < g; y++) for (let k = 0; k < g; k++) {
    const [r, gr, b] = [c, m, y].map((ink) => lin((1 - ink / (g - 1)) * (1 - k / (g - 1))));
    // sRGB primaries to XYZ, already adapted to D50 (the ICC sRGB colorants).
    const X = 0.4361 * r + 0.3851 * gr + 0.1431 * b;
    const Y = 0.2225 * r + 0.7169 * gr + 0.0606 * b;
    const Z = 0.0139 * r + 0.0971 * gr + 0.7141 * b;
    const [fx, fy, fz] = [f(X / 0.9642), f(Y), f(Z / 0.8249)];
    const L = 116 * fy - 16;
    clut.push(Math.round((L / 100) * 255), Math.round(500 * (fx - fy) + 128), Math.round(200 * (fy - fz) + 128));
  }
  const ramp = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const matrix = Buffer.concat([1, 0, 0, 0, 1, 0, 0, 0, 1].map(s15));
  const lut = Buffer.concat([ascii('mft1'), u32(0), Buffer.from([4, 3, g, 0]), matrix, ramp, ramp, ramp, ramp,
    Buffer.from(clut.map((v) => Math.max(0, Math.min(255, v)))), ramp, ramp, ramp]);
  const profile = icc('CMYK', [['desc', desc('Naive CMYK')], ['wtpt', D50], ['A2B0', lut]]);
  ascii('prtr').copy(profile, 12);
  ascii('Lab ').copy(profile, 20);
  return profile;
}

/** A JPEG with APP2 ICC_PROFILE inserted after SOI (profiles here fit one segment). */
function withJpegIcc(jpeg, profile) {
  const payload = Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.from([1, 1]), profile]);
  const head = Buffer.from([0xff, 0xe2, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

/** A JPEG without its APP2 segments. */
function stripJpegIcc(jpeg: Buffer) {
  const parts = [jpeg.subarray(0, 2)];
  let i = 2;
  while (jpeg[i] === 0xff && jpeg[i + 1] !== 0xda) {
    const end = i + 2 + jpeg.readUInt16BE(i + 2);
    if (jpeg[i + 1] !== 0xe2) parts.push(jpeg.subarray(i, end));
    i = end;
  }
  return Buffer.concat([...parts, jpeg.subarray(i)]);
}

function pngChunk(type, data) {
  const body = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
}

/** An RGB PNG of 16-bit samples (filter 0 on every row). */
function png16Rgb(samples: Uint16Array) {
  const rows = Buffer.alloc(H * (1 + W * 6));
  for (let y = 0; y < H; y++) {
    for (let i = 0; i < W * 3; i++) rows.writeUInt16BE(samples[y * W * 3 + i]!, y * (1 + W * 6) + 1 + i * 2);
  }
  const ihdr = Buffer.concat([u32(W), u32(H), Buffer.from([16, 2, 0, 0, 0])]);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(rows, { level: 9 })), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PNG with the given chunks inserted after IHDR. */
const withPngChunks = (png, chunks) => Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);

const write = (name, bytes) => {
  writeFileSync(join(outDir, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
};

const raw8 = { raw: { width: W, height: H, channels: 3 } };
const plainJpeg = await sharp(Buffer.from(pattern()), raw8).jpeg({ quality: 92 }).toBuffer();
const p3 = (await sharp(Buffer.from(pattern()), raw8).withIccProfile('p3').jpeg().toBuffer({ resolveWithObject: true }));
const p3Icc = (await sharp(p3.data).metadata()).icc;

write('p3-saturated.jpg', withJpegIcc(plainJpeg, p3Icc));
write('adobe-rgb.jpg', withJpegIcc(plainJpeg, adobeRgb));
// CMYK pixels from libvips' CMYK profile, written without it (libjpeg writes Adobe inverted CMYK, with APP14),
// then declared with the small profile above: the test compares conversions of the same file, so which profile
// made the pixels does not matter.
const cmyk = await sharp(Buffer.from(pattern()), raw8).withIccProfile('cmyk').jpeg({ quality: 92 }).toBuffer();
write('cmyk-profile.jpg', withJpegIcc(stripJpegIcc(cmyk), cmykProfile()));
const greyJpeg = await sharp(Buffer.from(pattern()), raw8).toColourspace('b-w').jpeg({ quality: 92 }).toBuffer();
write('grey-profile.jpg', withJpegIcc(greyJpeg, grey18));

// 16-bit PNG: P3 declared three ways (iCCP wins; gAMA 1/2.2 and cHRM of P3 agree with it).
const p3Chrm = Buffer.concat([31270, 32900, 68000, 32000, 26500, 69000, 15000, 6000].map(u32));
const gama = u32(45455);
// Written by hand: sharp's raw 16-bit input path rescales, and the point is exact 16-bit samples.
const png16 = png16Rgb(pattern(16) as Uint16Array);
const iccp = Buffer.concat([ascii('Display P3\0\0'), deflateSync(p3Icc)]);
write('p3-16bit.png', withPngChunks(png16, [pngChunk('iCCP', iccp), pngChunk('gAMA', gama), pngChunk('cHRM', p3Chrm)]));
// gAMA and cHRM alone (no iCCP, no sRGB): what old editors write.
const png8 = await sharp(Buffer.from(pattern()), raw8).png({ compressionLevel: 9 }).toBuffer();
write('p3-gama-chrm.png', withPngChunks(png8, [pngChunk('gAMA', gama), pngChunk('cHRM', p3Chrm)]));

// AVIF with nclx code points of Display P3 (primaries 12, sRGB transfer 13, BT.601 matrix 6, full range), no
// ICC: sharp writes no colr box, so one is added to the primary item's properties.
const avif = await sharp(Buffer.from(pattern()), raw8).avif({ quality: 90 }).toBuffer();
if (avif.indexOf(ascii('colr')) >= 0) throw new Error('sharp wrote a colr box already');
const nclx = Buffer.concat([ascii('nclx'), Buffer.from([0, 12, 0, 13, 0, 6, 0x80])]);
write('p3-nclx.avif', Buffer.from(withPrimaryProperty(avif, box('colr', nclx))));
