/**
 * What rasterising SVG costs (`npm run bench:svg`): resvg-wasm, called as src/codecs/svg.ts calls it (drawn at the
 * output width, no system fonts, premultiplied pixels made straight), against sharp (librsvg through libvips, one
 * thread, at the density that draws the same width), both to raw RGBA. Two documents made here: an icon-like one
 * (a few paths and a gradient) and a busy one (2 000 shapes, gradients, a blur filter), each drawn 800 and 2000 wide.
 * CPU medians per side and their ratio; and resvg's WASM memory after each case (memories only grow, so the peak)
 * beside the decode estimate probe-and-limit checks before drawing (src/codecs/memory-budget.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { decodePeakBytes } from '../src/codecs/memory-budget';
import { probe } from '../src/codecs/probe/index';
import { cpuMs, median, round } from './measure';

const RUNS = Number(process.env.RUNS ?? 7);

function icon(): string {
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
    '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f8"/><stop offset="1" stop-color="#06c"/></linearGradient></defs>' +
    '<rect x="2" y="2" width="60" height="60" rx="12" fill="url(#g)"/>' +
    '<path d="M16 34 L28 46 L50 18" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round" stroke-linejoin="round"/>' +
    '<circle cx="48" cy="48" r="8" fill="#f44" fill-opacity="0.8"/></svg>'
  );
}

/** A deterministic busy document: shapes of every kind, a gradient and a Gaussian blur filter. */
function busy(): string {
  let state = 7;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 8) % n;
  };
  const parts: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const colour = `#${next(0xffffff).toString(16).padStart(6, '0')}`;
    const kind = i % 3;
    if (kind === 0) parts.push(`<circle cx="${next(1000)}" cy="${next(700)}" r="${5 + next(40)}" fill="${colour}" fill-opacity="0.6"/>`);
    else if (kind === 1) parts.push(`<rect x="${next(1000)}" y="${next(700)}" width="${5 + next(80)}" height="${5 + next(80)}" fill="url(#g)" transform="rotate(${next(90)} 500 350)"/>`);
    else parts.push(`<path d="M${next(1000)} ${next(700)} Q${next(1000)} ${next(700)} ${next(1000)} ${next(700)}" stroke="${colour}" stroke-width="${1 + next(6)}" fill="none"/>`);
  }
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="700" viewBox="0 0 1000 700">' +
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#fa0"/><stop offset="1" stop-color="#0af"/></linearGradient>' +
    '<filter id="b"><feGaussianBlur stdDeviation="3"/></filter></defs>' +
    `<g filter="url(#b)">${parts.slice(0, 200).join('')}</g>${parts.slice(200).join('')}</svg>`
  );
}

/** resvg-wasm initialised from the package's .wasm, its linear memory caught as it is instantiated. */
async function loadResvg() {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@resvg/resvg-wasm/index_bg.wasm');
  // The ES module glue, as the Worker bundles it (tsx would otherwise pick the CommonJS build).
  const { initWasm, Resvg } = (await import(wasmPath.replace(/index_bg\.wasm$/, 'index.mjs'))) as typeof import('@resvg/resvg-wasm');
  let memory: WebAssembly.Memory | undefined;
  const instantiate = WebAssembly.instantiate;
  // Bench only: the glue keeps its instance private, so its memory is read from the instantiation.
  WebAssembly.instantiate = (async (...args: Parameters<typeof instantiate>) => {
    const result = (await instantiate(...args)) as WebAssembly.Instance | { instance: WebAssembly.Instance };
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    // The first is resvg's (Node may instantiate its own modules, such as undici's parser, meanwhile).
    memory ??= instance.exports.memory as WebAssembly.Memory;
    return result;
  }) as typeof instantiate;
  await initWasm(readFileSync(wasmPath));
  WebAssembly.instantiate = instantiate;
  return { Resvg, memoryBytes: () => memory?.buffer.byteLength ?? 0 };
}

async function main(): Promise<void> {
  sharp.concurrency(1);
  sharp.cache(false);
  const { Resvg, memoryBytes } = await loadResvg();
  const docs: [string, string, number][] = [
    ['icon 64×64', icon(), 64],
    ['busy 1000×700', busy(), 1000],
  ];
  // Smallest estimate first: memories only grow, so each case's reading is its own peak when it passes the last.
  const cases = docs
    .flatMap(([name, text, declaredWidth]) => [800, 2000].map((width) => ({ name, bytes: new TextEncoder().encode(text), declaredWidth, width })))
    .map((c) => ({ ...c, estimate: decodePeakBytes(c.bytes, probe(c.bytes), { minWidth: c.width, minHeight: 1 })! }))
    .sort((a, b) => a.estimate - b.estimate);
  const rows = [];
  for (const { name, bytes, declaredWidth, width, estimate } of cases) {
    const resvg = async () => {
      const renderer = new Resvg(bytes, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: false } });
      const image = renderer.render();
      const pixels = image.pixels;
      for (let i = 0; i < pixels.length; i += 4) {
        const a = pixels[i + 3]!;
        if (a !== 255 && a !== 0) for (let c = 0; c < 3; c++) pixels[i + c] = (pixels[i + c]! * 255) / a;
      }
      image.free();
      renderer.free();
    };
    // librsvg draws at density/72 of the declared size: the density that draws `width` wide.
    const density = (72 * width) / declaredWidth;
    const rsvg = () => sharp(Buffer.from(bytes), { density }).ensureAlpha().raw().toBuffer();
    const check = await sharp(Buffer.from(bytes), { density }).metadata();
    const before = memoryBytes();
    for (let i = 0; i < 2; i++) await Promise.all([resvg(), rsvg()]);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await cpuMs(resvg));
      theirs.push(await cpuMs(rsvg));
    }
    const after = memoryBytes();
    rows.push({
      case: `${name} → ${width}w`,
      sharpDrawsWidth: check.width,
      resvgMs: round(median(ours), 1),
      sharpMs: round(median(theirs), 1),
      cpuRatioVsSharp: round(median(ours) / median(theirs), 2),
      // "≤" when the case did not grow the memory: its own peak is at most the reading.
      resvgWasmMemoryMB: `${after > before ? '' : '≤ '}${round(after / 1e6, 1)}`,
      estimateMB: round(estimate / 1e6, 1),
    });
  }
  console.table(rows);
}

await main();
