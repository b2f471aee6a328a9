/**
 * What colour management costs (`npm run bench:colour`). The same photos with and without a Display P3 profile
 * (sharp's own, inserted into the file) go through edgepix's delivery pipeline for `tr:w-800` WebP (bench/render.ts,
 * on the Worker's WASM modules) and through sharp (libvips, one thread, which converts with lcms too); the cost of
 * the conversion is the CPU difference, and edgepix's ratio against sharp is printed for both. A full-size case
 * (a 3 MP PNG, which has no reduced-scale decode, so every pixel is converted) bounds the conversion's own cost.
 * Runs interleave edgepix and sharp, with and without the profile; the median of each is printed.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { jpegWithMetadata, pngWithMetadata } from '../src/codecs/embed/jpeg-png';
import { probe } from '../src/codecs/probe/index';
import { cpuMs, median, round } from './measure';
import { renderWebp } from './render';
import { registerNodeWasmModules } from './wasm-modules';

const RUNS = Number(process.env.RUNS ?? 7);
const read = (path: string) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url)));

async function main(): Promise<void> {
  sharp.concurrency(1);
  sharp.cache(false);
  await registerNodeWasmModules();
  const icc = probe(read('images/colour/p3-saturated.jpg')).colour!.icc!;
  const photo12 = read('images/generated/photo-4000x3000.jpg');
  const photo08 = read('images/generated/photo-1000x800.jpg');
  const png3 = new Uint8Array(await sharp(photo12).resize(2000, 1500).png().toBuffer());
  const cases: [string, Uint8Array, Uint8Array][] = [
    ['JPEG 0.8 MP → 800w', photo08, jpegWithMetadata(photo08, { icc })],
    ['JPEG 12 MP → 800w', photo12, jpegWithMetadata(photo12, { icc })],
    ['PNG 3 MP → 800w', png3, pngWithMetadata(png3, { icc })],
  ];
  console.log(`median CPU ms of ${RUNS} runs; "+P3" is the same file declaring Display P3`);
  console.log('case                 | edgepix sRGB | edgepix +P3 | Δ ms (%)      | sharp sRGB | sharp +P3 | Δ ms (%)     | ratio sRGB | ratio +P3');
  for (const [name, plain, p3] of cases) {
    const times: Record<string, number[]> = { ep: [], ep3: [], sh: [], sh3: [] };
    await renderWebp(p3); // warm up: instantiation, first-call costs
    await sharp(p3).resize(800).webp({ quality: 80 }).toBuffer();
    for (let i = 0; i < RUNS; i++) {
      times.ep!.push(await cpuMs(() => renderWebp(plain)));
      times.ep3!.push(await cpuMs(() => renderWebp(p3)));
      times.sh!.push(await cpuMs(() => sharp(plain).resize(800).webp({ quality: 80 }).toBuffer()));
      times.sh3!.push(await cpuMs(() => sharp(p3).resize(800).webp({ quality: 80 }).toBuffer()));
    }
    const [ep, ep3, sh, sh3] = ['ep', 'ep3', 'sh', 'sh3'].map((k) => median(times[k]!)) as [number, number, number, number];
    const delta = (a: number, b: number) => `${round(b - a, 1)} (${round(((b - a) / a) * 100, 1)} %)`;
    console.log(
      [name.padEnd(20), round(ep, 1), round(ep3, 1), delta(ep, ep3), round(sh, 1), round(sh3, 1), delta(sh, sh3), round(ep / sh, 2), round(ep3 / sh3, 2)].join(' | '),
    );
  }
}

await main();
