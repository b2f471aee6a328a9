/**
 * A watermark layer against sharp's composite, in the same run: decode a photo, resize a translucent PNG mark to a
 * fifth of the photo's width, lay it at the bottom right, and hand back raw pixels (no encode). Medians of
 * interleaved runs of process CPU after warm-up; sharp on one thread without its cache.
 *
 * - `pipelineMs`: the whole decode → layer → pixels path (`l-image,i-mark.png,lfo-bottom_right,w-bw_mul_0.2,l-end`).
 * - `compositeMs`: laying an already-made mark on an already-decoded frame (src/image/composite.ts against sharp's
 *   `composite` of raw buffers).
 *
 * Usage: npx tsx bench/layers.bench.ts [--runs N]   (default 9)
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { openUpright } from '../src/codecs/open';
import { probe, uprightSize } from '../src/codecs/probe/index';
import { compositeAt } from '../src/image/composite';
import { createFrame, type Frame } from '../src/image/frame';
import { materialize } from '../src/image/frame-source';
import { applySteps } from '../src/transform/apply-steps';
import { parseTransformation } from '../src/transform/parse';
import { layerCompositor } from '../src/transform/render-layers';
import { fixtures } from '../test/fixtures/registry';
import { cpuMs, median, round } from './measure';
import { registerNodeWasmModules } from './wasm-modules';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

sharp.concurrency(1);
sharp.cache(false);
await registerNodeWasmModules();

const photo = new Uint8Array(readFileSync(new URL(`../test/fixtures/${fixtures.landscape0.path}`, import.meta.url)));
const photoInfo = probe(photo);
const { width: W, height: H } = uprightSize(photoInfo);

// A 400×200 mark: translucent white with an opaque border, as logos are.
const markRaw = Buffer.alloc(400 * 200 * 4);
for (let y = 0; y < 200; y++) {
  for (let x = 0; x < 400; x++) {
    const edge = x < 8 || y < 8 || x >= 392 || y >= 192;
    markRaw.set(edge ? [20, 40, 200, 255] : [255, 255, 255, 110], (y * 400 + x) * 4);
  }
}
const markPng = new Uint8Array(await sharp(markRaw, { raw: { width: 400, height: 200, channels: 4 } }).png().toBuffer());
const markInfo = probe(markPng);
const markWidth = Math.round(W * 0.2);

async function edgepixPipeline(): Promise<void> {
  const t = parseTransformation('l-image,i-mark.png,lfo-bottom_right,w-bw_mul_0.2,l-end');
  const layers = layerCompositor(async (layer) => ({ image: await openUpright(markPng, markInfo, {}), original: { width: 400, height: 200 }, steps: layer.steps }));
  await materialize(await applySteps(await openUpright(photo, photoInfo, {}), t, { width: W, height: H }, { layers }));
}

async function sharpPipeline(): Promise<void> {
  const mark = await sharp(markPng).resize({ width: markWidth }).png().toBuffer();
  await sharp(photo).rotate().composite([{ input: mark, gravity: 'southeast' }]).raw().toBuffer();
}

const base = createFrame(W, H, false);
const mark: Frame = { width: 400, height: 200, data: new Uint8ClampedArray(markRaw), hasAlpha: true };
const edgepixComposite = async () => compositeAt(base, mark, W - 400, H - 200);
const baseRaw = Buffer.from(base.data);
const sharpComposite = () =>
  sharp(baseRaw, { raw: { width: W, height: H, channels: 4 } })
    .composite([{ input: markRaw, raw: { width: 400, height: 200, channels: 4 }, left: W - 400, top: H - 200 }])
    .raw()
    .toBuffer();

async function measure(pairs: Record<string, [() => Promise<unknown>, () => Promise<unknown>]>) {
  const rows: Record<string, unknown>[] = [];
  for (const [name, [ours, theirs]] of Object.entries(pairs)) {
    await ours();
    await theirs();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await cpuMs(ours));
      b.push(await cpuMs(theirs));
    }
    rows.push({ case: name, edgepixMs: round(median(a), 1), sharpMs: round(median(b), 1), ratio: round(median(a) / median(b), 2) });
  }
  return rows;
}

console.log(`photo ${W}×${H} ${photoInfo.format}, mark 400×200 PNG resized to ${markWidth} wide, ${RUNS} runs`);
console.table(await measure({ pipelineMs: [edgepixPipeline, sharpPipeline], compositeMs: [edgepixComposite, sharpComposite] }));
