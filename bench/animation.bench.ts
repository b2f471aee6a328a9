/**
 * A 300-frame 800×600 GIF resized to 400 wide, as animated WebP and as GIF: edgepix's frame-by-frame pipeline
 * (src/transform/apply-animation.ts) against sharp's animated resize (`sharp(buf, { animated: true }).resize(400)`,
 * one thread) in the same run. Reports CPU (process.cpuUsage, median of interleaved runs), the peak WASM memory
 * of edgepix's modules (they only grow), and for edgepix the CPU of reading the frames alone and of reading and
 * resizing them, so the encoders' share shows.
 *
 * Usage: npm run bench:animation [-- --runs N --frames N]   (default 3 runs, 300 frames)
 */
import sharp from 'sharp';
import { gifAnimationDecoder } from '../src/codecs/animation/gif';
import { gifAnimationEncoder } from '../src/codecs/animation/gif-writer';
import type { AnimationEncoder } from '../src/codecs/animation/types';
import { webpAnimationEncoder } from '../src/codecs/animation/webp';
import { wasmMemoryByModule } from '../src/codecs/wasm/instances';
import { materialize } from '../src/image/frame-source';
import { transformAnimation } from '../src/transform/apply-animation';
import { applySteps } from '../src/transform/apply-steps';
import { parseTransformation } from '../src/transform/parse';
import { bandsGif } from '../test/shared/animated-gif';
import { cpuMs, median, round } from './measure';
import { registerNodeWasmModules } from './wasm-modules';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 3);
const FRAMES = arg('frames', 300);
const WIDTH = 800;
const HEIGHT = 600;

sharp.concurrency(1);
sharp.cache(false);
await registerNodeWasmModules();

const gif = bandsGif(WIDTH, HEIGHT, FRAMES);
const t = parseTransformation('w-400');
const size = { width: WIDTH, height: HEIGHT };
console.log(`input: ${FRAMES} frames of ${WIDTH}×${HEIGHT} GIF, ${(gif.length / 1e6).toFixed(1)} MB → w-400`);

async function readOnly(resize: boolean) {
  const reader = await gifAnimationDecoder.open(gif);
  for (let f = await reader.next(); f; f = await reader.next()) if (resize) await materialize(await applySteps(f.frame, t, size, {}));
  reader.close();
}

const edgepix = (encoder: AnimationEncoder) => () =>
  transformAnimation({ decoder: gifAnimationDecoder, bytes: gif, orientation: 1 }, encoder, t, size, { quality: 80, lossless: false });
const viaSharp = (format: 'webp' | 'gif') => () => sharp(gif, { animated: true }).resize(400)[format]({ quality: 80 } as never).toBuffer();

const cases: [string, () => Promise<unknown>][] = [
  ['edgepix read frames', () => readOnly(false)],
  ['edgepix read + resize', () => readOnly(true)],
  ['edgepix → WebP', edgepix(webpAnimationEncoder)],
  ['sharp → WebP', viaSharp('webp')],
  ['edgepix → GIF', edgepix(gifAnimationEncoder)],
  ['sharp → GIF', viaSharp('gif')],
];
const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
const sizes = new Map<string, number>();
for (const [name, run] of cases) {
  const out = await run(); // warm-up, and the output size
  if (out && typeof out === 'object' && 'body' in out) sizes.set(name, (out as { body: Uint8Array }).body.length);
  else if (out instanceof Uint8Array) sizes.set(name, out.length);
}
for (let r = 0; r < RUNS; r++) for (const [name, run] of cases) times.get(name)!.push(await cpuMs(run));

const ms = (name: string) => median(times.get(name)!);
const rows = cases.map(([name]) => ({
  case: name,
  cpuMs: round(ms(name), 0),
  msPerFrame: round(ms(name) / FRAMES, 1),
  outputKB: sizes.has(name) ? round(sizes.get(name)! / 1e3, 0) : '',
}));
console.table(rows);
console.log(`CPU ×sharp: WebP ${round(ms('edgepix → WebP') / ms('sharp → WebP'), 2)}, GIF ${round(ms('edgepix → GIF') / ms('sharp → GIF'), 2)}`);
const memory = wasmMemoryByModule();
const total = Object.values(memory).reduce((sum, bytes) => sum + bytes!, 0);
console.log(`peak WASM memory: ${(total / 1e6).toFixed(1)} MB (${Object.entries(memory).map(([n, b]) => `${n} ${(b! / 1e6).toFixed(1)}`).join(', ')})`);
