/**
 * fo-auto against sharp's `attention` crop, on the photos with a hand-marked subject (test/fixtures/subjects.ts):
 * where each puts the window, and what it costs, in the same run.
 *
 * - Overlap: the share of the subject's box inside the window edgepix chose, sharp chose, and a centre crop has.
 *   edgepix's window is read off its own run (the attention's answer for the planned extract); sharp's from
 *   `cropOffsetLeft/Top` of its output info, scaled back to the original's pixels.
 * - CPU (process.cpuUsage, medians of interleaved runs after warm-up, one thread for sharp, no cache):
 *   `attentionMs` is edgepix's heuristic alone on the frame it reads (the cover-resized frame, or the preview pass
 *   over the decoder's rows for cm-extract); `edgepixAddedMs` / `sharpAddedMs` are what each whole pipeline
 *   (decode → crop → raw pixels, no encode) costs with the smart crop minus with a centre crop.
 *
 * Usage: npx tsx bench/smart-crop.bench.ts [--runs N]   (default 9)
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { openUpright } from '../src/codecs/open';
import { probe, uprightSize } from '../src/codecs/probe/index';
import { attentionWindow } from '../src/image/attention';
import type { Frame } from '../src/image/frame';
import type { FrameSource } from '../src/image/frame-source';
import { applyOp } from '../src/transform/apply-op';
import { applySteps } from '../src/transform/apply-steps';
import { decodeHintFor } from '../src/transform/decode-hint';
import { parseTransformation } from '../src/transform/parse';
import { planStep } from '../src/transform/plan';
import { fixtures } from '../test/fixtures/registry';
import { overlap, SUBJECT_CASES, type SubjectBox } from '../test/fixtures/subjects';
import { cpuMs, median, round } from './measure';
import { registerNodeWasmModules } from './wasm-modules';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

sharp.concurrency(1);
sharp.cache(false);
await registerNodeWasmModules();

async function open(bytes: Uint8Array, text: string) {
  const info = probe(bytes);
  const t = parseTransformation(text);
  const oriented = uprightSize(info);
  return { t, oriented, image: await openUpright(bytes, info, decodeHintFor(t, oriented, info.orientation)) };
}

/** edgepix's window in the original's pixels, and the frame its attention read. */
async function edgepixWindow(bytes: Uint8Array, text: string): Promise<{ window: SubjectBox; read: Frame | FrameSource }> {
  const { t, oriented, image: start } = await open(bytes, text);
  let image = start;
  for (const op of planStep({ width: image.width, height: image.height }, t.steps[0]!, oriented).ops) {
    if (op.op === 'extract' && op.focus === 'auto') {
      const scale = image.width / oriented.width;
      const at = await attentionWindow(image, op.width, op.height);
      const window = { x: at.x / scale, y: at.y / scale, width: op.width / scale, height: op.height / scale };
      return { window, read: image };
    }
    image = await applyOp(image, op);
  }
  throw new Error(`${text} plans no fo-auto extract`);
}

async function sharpWindow(bytes: Uint8Array, text: string, W: number, H: number): Promise<SubjectBox> {
  const w = Number(/w-(\d+)/.exec(text)![1]);
  const h = Number(/h-(\d+)/.exec(text)![1]);
  if (text.includes('cm-extract')) {
    // sharp's attention only crops what a cover resize leaves over: at scale 1, one axis at a time.
    const wide = await sharp(bytes).resize(w, H, { position: 'attention' }).raw().toBuffer({ resolveWithObject: true });
    const { info } = await sharp(wide.data, { raw: wide.info }).resize(w, h, { position: 'attention' }).raw().toBuffer({ resolveWithObject: true });
    return { x: -(wide.info.cropOffsetLeft ?? 0), y: -(info.cropOffsetTop ?? 0), width: w, height: h };
  }
  const s = Math.max(w / W, h / H);
  const { info } = await sharp(bytes).resize(w, h, { position: 'attention' }).raw().toBuffer({ resolveWithObject: true });
  return { x: -(info.cropOffsetLeft ?? 0) / s, y: -(info.cropOffsetTop ?? 0) / s, width: w / s, height: h / s };
}

function centreWindow(text: string, W: number, H: number): SubjectBox {
  const w = Number(/w-(\d+)/.exec(text)![1]);
  const h = Number(/h-(\d+)/.exec(text)![1]);
  const s = text.includes('cm-extract') ? 1 : Math.max(w / W, h / H);
  const width = w / s;
  const height = h / s;
  return { x: (W - width) / 2, y: (H - height) / 2, width, height };
}

async function edgepixRun(bytes: Uint8Array, text: string) {
  const { t, oriented, image } = await open(bytes, text);
  return applySteps(image, t, oriented);
}

const sharpRun = (bytes: Uint8Array, text: string, position: 'attention' | 'centre') => {
  const w = Number(/w-(\d+)/.exec(text)![1]);
  const h = Number(/h-(\d+)/.exec(text)![1]);
  if (!text.includes('cm-extract')) return sharp(bytes).resize(w, h, { position }).raw().toBuffer();
  return sharp(bytes)
    .metadata()
    .then(async ({ height }) => {
      const wide = await sharp(bytes).resize(w, height, { position }).raw().toBuffer({ resolveWithObject: true });
      return sharp(wide.data, { raw: wide.info }).resize(w, h, { position }).raw().toBuffer();
    });
};

const rows = [];
for (const [name, c] of Object.entries(SUBJECT_CASES)) {
  const fixture = fixtures[c.fixture];
  const bytes = new Uint8Array(readFileSync(new URL(`../test/fixtures/${fixture.path}`, import.meta.url)));
  const auto = `${c.transformation},fo-auto`;
  const ours = await edgepixWindow(bytes, auto);
  const theirs = await sharpWindow(bytes, c.transformation, fixture.width, fixture.height);
  const centre = centreWindow(c.transformation, fixture.width, fixture.height);

  const attention: number[] = [];
  const oursAuto: number[] = [];
  const oursCentre: number[] = [];
  const sharpAuto: number[] = [];
  const sharpCentre: number[] = [];
  for (let run = -2; run < RUNS; run++) {
    const read = ours.read;
    const times = [
      await cpuMs(() => attentionWindow(read, ours.window.width * (read.width / fixture.width), ours.window.height * (read.height / fixture.height))),
      await cpuMs(() => edgepixRun(bytes, auto)),
      await cpuMs(() => edgepixRun(bytes, c.transformation)),
      await cpuMs(() => sharpRun(bytes, c.transformation, 'attention')),
      await cpuMs(() => sharpRun(bytes, c.transformation, 'centre')),
    ];
    if (run < 0) continue;
    [attention, oursAuto, oursCentre, sharpAuto, sharpCentre].forEach((list, i) => list.push(times[i]!));
  }
  const edgepixAdded = median(oursAuto) - median(oursCentre);
  const sharpAdded = median(sharpAuto) - median(sharpCentre);
  rows.push({
    case: name,
    tr: auto,
    overlapEdgepix: round(overlap(c.box, ours.window), 2),
    overlapSharp: round(overlap(c.box, theirs), 2),
    overlapCentre: round(overlap(c.box, centre), 2),
    attentionMs: round(median(attention), 2),
    edgepixAutoMs: round(median(oursAuto), 1),
    edgepixAddedMs: round(edgepixAdded, 2),
    sharpAutoMs: round(median(sharpAuto), 1),
    sharpAddedMs: round(sharpAdded, 2),
    autoRatioVsSharp: round(median(oursAuto) / median(sharpAuto), 2),
  });
}
console.table(rows);
