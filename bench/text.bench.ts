/**
 * What text layers cost (`npm run bench:text`): the CPU of rendering a text box with edgepix's engine
 * (wasm/text: HarfBuzz + FreeType, src/text/render-text.ts) against sharp's text input (Pango + cairo, one
 * thread) with the same font file, for Latin, Arabic and Devanagari lines and a wrapped Latin paragraph; the
 * text module's WASM memory after every case (memories only grow, so it is the peak); and what the engine adds
 * to the Worker bundle (text.wasm and the bundled font, gzip). Runs interleave the two engines; medians.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { wasmMemoryByModule } from '../src/codecs/wasm/instances';
import { BUNDLED_FONT_FILE } from '../src/text/fonts';
import { fontPath, ours, pango, textSpec } from '../test/shared/text-reference';
import { cpuMs, median, round } from './measure';
import { registerNodeWasmModules } from './wasm-modules';

const RUNS = Number(process.env.RUNS ?? 15);

const PARAGRAPH =
  'Real typography for overlays: shaping, kerning and line breaking at the wrap width, drawn from the outlines. '.repeat(4);

const CASES: { name: string; text: string; file: string; family: string; size: number; width?: number }[] = [
  { name: 'Latin line, 48 px', text: 'AVATAR Today, WAVE', file: 'OpenSans-Regular.ttf', family: 'Open Sans', size: 48 },
  { name: 'Arabic line, 48 px', text: 'مرحبا بالعالم من إدجبكس', file: 'NotoSansArabic-Regular.ttf', family: 'Noto Sans Arabic', size: 48 },
  { name: 'Devanagari line, 48 px', text: 'नमस्ते दुनिया क्षत्रिय', file: 'NotoSansDevanagari-Regular.ttf', family: 'Noto Sans Devanagari', size: 48 },
  { name: 'Latin paragraph, 24 px, w-600', text: PARAGRAPH, file: 'OpenSans-Regular.ttf', family: 'Open Sans', size: 24, width: 600 },
  { name: 'Latin line, 200 px', text: 'Big headline', file: 'OpenSans-Regular.ttf', family: 'Open Sans', size: 200 },
];

async function main(): Promise<void> {
  sharp.concurrency(1);
  sharp.cache(false);
  await registerNodeWasmModules();
  const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;
  const wasmGzip = gz(new URL('../wasm/dist/text.wasm', import.meta.url).pathname);
  const fontGzip = gz(fontPath(BUNDLED_FONT_FILE));
  console.log(`bundle: text.wasm ${round(wasmGzip / 1024, 1)} KiB gzip + ${BUNDLED_FONT_FILE} ${round(fontGzip / 1024, 1)} KiB gzip`);
  console.log(`median CPU ms of ${RUNS} runs (the first render of each font, which opens it, is left out)`);
  console.log('case                            | edgepix ms | Pango ms | ratio | output px   | text.wasm memory');
  for (const c of CASES) {
    const spec = textSpec(c.text, { font: { family: c.family }, size: c.size, width: c.width });
    const reference = () => pango(c.text, c.file, c.family, c.size, c.width ? { width: c.width } : {});
    const frame = await ours(spec); // warm up: instantiation, opening the font
    await reference();
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      mine.push(await cpuMs(() => ours(spec)));
      theirs.push(await cpuMs(reference));
    }
    const memory = wasmMemoryByModule().edgepixText ?? 0;
    console.log(
      `${c.name.padEnd(31)} | ${String(round(median(mine), 2)).padStart(10)} | ${String(round(median(theirs), 2)).padStart(8)} | ${String(round(median(mine) / median(theirs), 2)).padStart(5)} | ${`${frame.width}×${frame.height}`.padEnd(11)} | ${round(memory / 2 ** 20, 1)} MiB`,
    );
  }
}

await main();
