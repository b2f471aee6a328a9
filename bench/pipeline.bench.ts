/**
 * edgepix's real pipeline against sharp, in the same run: "JPEG or PNG → decode → 800 wide → encode", WebP q80 for
 * every input, and JPEG, PNG and AVIF too for the 0.8, 3 and 12 MP photos (FORMAT_CASES). edgepix encodes with
 * whatever encoder the codec registry holds for the format; sharp with its own defaults for it.
 *
 * Method
 * - edgepix runs the functions the Worker's render stage runs (probe → decodeHintFor → openUpright (the JPEG or
 *   PNG decoder's row source) → applySteps (which streams it into the resize) → encode) through the codec registry, on the same WASM modules the Worker bundles (wasm/dist and
 *   node_modules), compiled in Node. sharp runs with one thread and no cache, like a Worker isolate.
 * - Cost is CPU time (process.cpuUsage, user + system), not wall time: it counts work on every thread (sharp's
 *   libuv worker, V8's background compilers and GC), which is what a Worker's CPU limit bills. Each side gets 2
 *   warm-up runs, then the runs are interleaved (edgepix, sharp, edgepix, …) so drift hits both; we report medians.
 * - Each case runs in its own child process, because WASM memories only grow and instances.ts has no reset: a
 *   fresh process makes "WASM memory after the case" that case's own peak.
 *
 * Quality: SSIM of each side's output against two uncompressed references (bench/quality.ts): "ideal", sharp's
 * own resize of a full decode, and "exact", a float64 Lanczos3 of the same full decode that neither side
 * produces. Each side also encodes at a range of qualities (CURVES) and the two rate-distortion curves give bytes
 * at equal SSIM (BD-rate) and the mean SSIM at equal bytes (one quality setting compares files of different
 * sizes). PNG is lossless: its bytes are compared as they are.
 *
 * Usage: npm run bench -- [--json] [--runs N] [--format jpeg|png|webp|avif] [--case NAME]   (N runs per side, default 7)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { probe } from '../src/codecs/probe/index';
import { wasmMemoryByModule, wasmMemoryBytes } from '../src/codecs/wasm/instances';
import type { OutputFormat } from '../src/codecs/types';
import { CASES, type CaseName, FORMAT_CASES, input, viaSharpAs } from './cases';
import { cpuMs, median, round } from './measure';
import { bytesRatioAtEqualSsim, curve, CURVE_QUALITIES, decodeRgba, exactReference, meanSsimAtEqualBytes, type Rgba, rgbaOf, ssimOf } from './quality';
import { render } from './render';
import { registerNodeWasmModules } from './wasm-modules';

const FORMATS: OutputFormat[] = ['jpeg', 'png', 'webp', 'avif'];

/**
 * The qualities each side's rate-distortion curve is encoded at. AVIF's scales differ: edgepix takes ImageKit's q
 * (q80 → libavif 60, src/codecs/avif.ts), sharp's default is 50; the ranges cover about the same SSIM.
 */
const CURVES: Record<OutputFormat, { edgepix: number[]; sharp: number[] } | null> = {
  jpeg: { edgepix: CURVE_QUALITIES, sharp: CURVE_QUALITIES },
  png: null,
  webp: { edgepix: CURVE_QUALITIES, sharp: CURVE_QUALITIES },
  avif: { edgepix: [50, 55, 60, 65, 70, 75, 80, 85, 90], sharp: [30, 35, 40, 45, 50, 55, 60, 65, 70] },
  gif: null, // animations: bench/animation.bench.ts
};

interface Job {
  case: CaseName;
  format: OutputFormat;
}

/** Every output format for FORMAT_CASES, WebP alone for the other inputs (large, progressive, PNG). */
function jobs(): Job[] {
  const all: Job[] = [];
  for (const format of FORMATS) for (const name of FORMAT_CASES) all.push({ case: name, format });
  for (const name of CASES) if (!(FORMAT_CASES as readonly string[]).includes(name)) all.push({ case: name, format: 'webp' });
  return all;
}

interface CaseResult {
  case: string;
  format: OutputFormat;
  megapixels: number;
  runs: number;
  edgepixMs: number;
  sharpMs: number;
  cpuRatioVsSharp: number;
  /**
   * Median of the per-run ratios (each edgepix run against the sharp run right after it): the two share the
   * machine's state at that moment, so this moves less with a noisy neighbour than the ratio of medians.
   */
  cpuRatioPaired: number;
  /** WASM linear memory of every instance after the case: its peak, since memories only grow. */
  peakWasmBytes: number;
  wasmBytesByModule: Record<string, number>;
  /** Largest RGBA frame the edgepix pipeline held (width * height * 4). */
  largestFrameBytes: number;
  /** edgepix's output at q80 (sharp's at its defaults). */
  outputBytes: number;
  sharpOutputBytes: number;
  ssimVsSharp: number;
  /**
   * Quality of each output against the same reference: the input resized to 800 wide by sharp from a full
   * decode (no shrink-on-load), uncompressed. "Equal or better SSIM at fewer or equal bytes" reads from these.
   */
  ssimVsReference: number;
  sharpSsimVsReference: number;
  /** The same against the exact (float64 Lanczos3) reference, which favours neither side. */
  ssimVsExact: number;
  sharpSsimVsExact: number;
  /**
   * The resized frames each side hands its encoder, uncompressed, against the exact reference: how faithful
   * the decode and resize are, apart from what WebP's rate control does with them.
   */
  frameSsimVsExact: number;
  sharpFrameSsimVsExact: number;
  /**
   * Mean SSIM of each side over the byte range both rate-distortion curves (CURVES) cover, against the ideal and
   * the exact reference; and that byte range. Not for PNG (lossless).
   */
  equalBytes?: { edgepix: { ideal: number; exact: number }; sharp: { ideal: number; exact: number }; bytes: [number, number] };
  /**
   * edgepix's bytes over sharp's at equal SSIM (Bjøntegaard delta rate over the CURVES, as a ratio), against each
   * reference. Below 1: edgepix needs fewer bytes for the same quality. Not for PNG (lossless).
   */
  equalSsim?: { ideal: number; exact: number };
  bytesRatioVsSharp: number;
  /** Peak RSS of this case's Node process (V8, sharp/libvips and the WASM heaps together), not the Worker limit. */
  nodeMaxRssBytes: number;
}

/** The frame sharp's pipeline hands its WebP encoder: the same resize, uncompressed. */
function sharpFrame(bytes: Uint8Array): Promise<Rgba> {
  return rgbaOf(sharp(bytes).resize(800));
}

/** The ideal 800-wide image: sharp's resize (Lanczos3) of a full decode (no DCT shrink-on-load), uncompressed. */
function reference(bytes: Uint8Array): Promise<Rgba> {
  return rgbaOf(sharp(bytes, { sequentialRead: true }).resize(800, null, { kernel: 'lanczos3', fastShrinkOnLoad: false }));
}

async function runCase({ case: name, format }: Job, runs: number): Promise<CaseResult> {
  sharp.concurrency(1);
  sharp.cache(false);
  await registerNodeWasmModules();
  const bytes = await input(name);
  const { width, height } = probe(bytes);
  const ourRender = (quality?: number) => render(bytes, format, quality);
  const sharpRender = (quality?: number) => viaSharpAs(bytes, format, quality);

  for (let i = 0; i < 2; i++) {
    await ourRender();
    await sharpRender();
  }
  const edgepixTimes: number[] = [];
  const sharpTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    edgepixTimes.push(await cpuMs(() => ourRender()));
    sharpTimes.push(await cpuMs(() => sharpRender()));
  }
  const peakWasmBytes = wasmMemoryBytes();
  const wasmBytesByModule = wasmMemoryByModule() as Record<string, number>;

  const ours = await ourRender();
  const theirs = await sharpRender();
  const ideal = await reference(bytes);
  // Before the quality work below, whose full-size float buffers are the benchmark's, not the pipelines'.
  const nodeMaxRssBytes = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
  const exact = await exactReference(bytes, ideal.width, ideal.height);
  const [oursRgba, theirsRgba] = await Promise.all([decodeRgba(ours.body), decodeRgba(theirs)]);
  let equalBytes: CaseResult['equalBytes'];
  let equalSsim: CaseResult['equalSsim'];
  const qualities = CURVES[format];
  if (qualities) {
    const references = [ideal, exact];
    const curves = [
      await curve(async (q) => (await ourRender(q)).body, references, qualities.edgepix),
      await curve((q) => sharpRender(q), references, qualities.sharp),
    ];
    const { means, low, high } = meanSsimAtEqualBytes(curves);
    const side = ([ideal, exact]: number[]) => ({ ideal: round(ideal!, 5), exact: round(exact!, 5) });
    equalBytes = { edgepix: side(means[0]!), sharp: side(means[1]!), bytes: [low, high] };
    const [ours, theirs] = curves as [number[][], number[][]];
    equalSsim = { ideal: round(bytesRatioAtEqualSsim(ours, theirs, 1), 3), exact: round(bytesRatioAtEqualSsim(ours, theirs, 2), 3) };
  }
  const edgepixMs = median(edgepixTimes);
  const sharpMs = median(sharpTimes);
  return {
    case: name,
    format,
    megapixels: Math.round((width * height) / 1e4) / 100,
    runs,
    edgepixMs: round(edgepixMs, 1),
    sharpMs: round(sharpMs, 1),
    cpuRatioVsSharp: round(edgepixMs / sharpMs, 2),
    cpuRatioPaired: round(median(edgepixTimes.map((ms, i) => ms / sharpTimes[i]!)), 2),
    peakWasmBytes,
    wasmBytesByModule,
    largestFrameBytes: ours.largestFrameBytes,
    outputBytes: ours.body.byteLength,
    sharpOutputBytes: theirs.byteLength,
    ssimVsSharp: round(ssimOf(oursRgba, theirsRgba), 4),
    ssimVsReference: round(ssimOf(oursRgba, ideal), 4),
    sharpSsimVsReference: round(ssimOf(theirsRgba, ideal), 4),
    ssimVsExact: round(ssimOf(oursRgba, exact), 4),
    sharpSsimVsExact: round(ssimOf(theirsRgba, exact), 4),
    frameSsimVsExact: round(ssimOf(ours.frame, exact), 4),
    sharpFrameSsimVsExact: round(ssimOf(await sharpFrame(bytes), exact), 4),
    ...(equalBytes ? { equalBytes } : {}),
    ...(equalSsim ? { equalSsim } : {}),
    bytesRatioVsSharp: round(ours.body.byteLength / theirs.byteLength, 3),
    nodeMaxRssBytes,
  };
}


/** Spawns this file for one job, under the same loader (tsx) this process runs under. */
function inChild(job: Job, runs: number): CaseResult {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--job', `${job.case}:${job.format}`, '--runs', String(runs)];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`case ${job.case} → ${job.format} failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as CaseResult;
}

function printTable(results: CaseResult[]): void {
  console.log('JPEG or PNG → decode → 800 wide → encode; edgepix at q80 through the codec registry, sharp at its defaults for');
  console.log('the format; CPU ms are medians (user+system), one thread, same run\n');
  console.table(
    results.map((r) => ({
      case: r.case,
      format: r.format,
      MP: r.megapixels,
      'edgepix ms': r.edgepixMs,
      'sharp ms': r.sharpMs,
      'cpu ratio': r.cpuRatioVsSharp,
      paired: r.cpuRatioPaired,
      'bytes at equal SSIM (ideal, exact)': r.equalSsim ? `${r.equalSsim.ideal}, ${r.equalSsim.exact}` : `lossless: ${r.bytesRatioVsSharp}`,
      'edgepix bytes': r.outputBytes,
      'sharp bytes': r.sharpOutputBytes,
      'SSIM vs exact (edgepix / sharp)': `${r.ssimVsExact} / ${r.sharpSsimVsExact}`,
      'peak WASM MB': mb(r.peakWasmBytes),
    })),
  );
  console.log('\nMore per case: SSIM against sharp\'s output and the ideal reference, frames before encoding, equal bytes');
  console.table(
    results.map((r) => ({
      case: r.case,
      format: r.format,
      'SSIM vs sharp': r.ssimVsSharp,
      'SSIM vs ideal (edgepix / sharp)': `${r.ssimVsReference} / ${r.sharpSsimVsReference}`,
      'frame before encoding, SSIM vs exact (edgepix / sharp)': `${r.frameSsimVsExact} / ${r.sharpFrameSsimVsExact}`,
      'equal bytes': r.equalBytes ? `${r.equalBytes.bytes[0]}–${r.equalBytes.bytes[1]}` : '',
      'mean SSIM there vs ideal (edgepix / sharp)': r.equalBytes ? `${r.equalBytes.edgepix.ideal} / ${r.equalBytes.sharp.ideal}` : '',
      'vs exact (edgepix / sharp)': r.equalBytes ? `${r.equalBytes.edgepix.exact} / ${r.equalBytes.sharp.exact}` : '',
      'largest frame MB': mb(r.largestFrameBytes),
    })),
  );
  console.log('\nPeak WASM memory by module (MB):');
  for (const r of results) {
    const split = Object.entries(r.wasmBytesByModule).map(([m, b]) => `${m} ${mb(b)}`);
    console.log(`  ${r.case} → ${r.format}: ${split.join(', ')}`);
  }
  console.log('\nNode peak RSS per case process (V8 + sharp + WASM; Node\'s, not the Worker\'s memory limit):');
  for (const r of results) console.log(`  ${r.case} → ${r.format}: ${mb(r.nodeMaxRssBytes)} MB`);
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1); // decimal MB, so a 12 MP RGBA frame reads 48.0

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const runs = Number(flag('--runs') ?? 7);
  const job = flag('--job');
  if (job) {
    const [name, format] = job.split(':') as [CaseName, OutputFormat];
    process.stdout.write(JSON.stringify(await runCase({ case: name, format }, runs)));
    return;
  }
  const [onlyCase, onlyFormat] = [flag('--case'), flag('--format')];
  if (onlyCase && !CASES.includes(onlyCase as CaseName)) throw new Error(`unknown case ${onlyCase}; one of ${CASES.join(', ')}`);
  if (onlyFormat && !FORMATS.includes(onlyFormat as OutputFormat)) throw new Error(`unknown format ${onlyFormat}; one of ${FORMATS.join(', ')}`);
  const results: CaseResult[] = [];
  for (const j of jobs()) {
    if ((onlyCase && j.case !== onlyCase) || (onlyFormat && j.format !== onlyFormat)) continue;
    process.stderr.write(`running ${j.case} → ${j.format}…\n`);
    results.push(inChild(j, runs));
  }
  const json = argv.includes('--json');
  if (json) for (const r of results) console.log(JSON.stringify(r));
  else printTable(results);
  // On stderr under --json, so stdout stays one JSON object per line.
  const rss = `Node peak RSS of the parent process: ${mb(process.resourceUsage().maxRSS * 1024)} MB (not the Worker limit)`;
  (json ? console.error : console.log)(`\n${rss}`);
}

await main();
