/**
 * edgepix's real pipeline against sharp, in the same run: "JPEG or PNG → decode → 800 wide → WebP q80".
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
 * Quality: SSIM of each side's WebP against two uncompressed references (bench/quality.ts): "ideal", sharp's
 * own resize of a full decode, and "exact", a float64 Lanczos3 of the same full decode that neither side
 * produces. With --rd, each side also encodes at every quality from 70 to 90 and the mean SSIM over the byte
 * range both curves cover compares them at equal bytes (one quality setting compares files of different sizes).
 *
 * JPEG and PNG output: for the 0.8, 3 and 12 MP photos the same request is also encoded as JPEG q80 and PNG by
 * both sides, CPU compared the same way, and JPEG's bytes at equal SSIM read off q70–90 curves (bench/encoders.ts).
 *
 * Usage: npm run bench -- [--json] [--runs N] [--rd]   (N measured runs per side, default 7)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { probe } from '../src/codecs/probe/index';
import { wasmMemoryByModule, wasmMemoryBytes } from '../src/codecs/wasm/instances';
import { CASES, type CaseName, input, viaSharp } from './cases';
import { cpuMs, median, round } from './measure';
import { bytesRatioAtEqualSsim, curve, decodeRgba, exactReference, meanSsimAtEqualBytes, type Rgba, rgbaOf, ssimOf } from './quality';
import { encoderCase, type EncoderResult } from './encoders';
import { renderWebp } from './render';

/** The cases that also measure JPEG and PNG output (0.8, 3 and 12 MP photos → 800 wide). */
const ENCODER_CASES: CaseName[] = ['photo-0.8mp', 'photo-3mp', 'photo-12mp'];
import { registerNodeWasmModules } from './wasm-modules';

interface CaseResult {
  case: string;
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
  /** edgepix's WebP. */
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
   * With --rd: mean SSIM of each side over the byte range both rate-distortion curves (quality 70–90) cover,
   * against the ideal and the exact reference; and that byte range.
   */
  equalBytes?: { edgepix: { ideal: number; exact: number }; sharp: { ideal: number; exact: number }; bytes: [number, number] };
  /**
   * With --rd: edgepix's bytes over sharp's at equal SSIM (Bjøntegaard delta rate over the q70–90 curves, as a
   * ratio), against each reference. Below 1: edgepix needs fewer bytes for the same quality.
   */
  equalSsim?: { ideal: number; exact: number };
  bytesRatioVsSharp: number;
  /** JPEG and PNG output of the same request (bench/encoders.ts), for the cases in ENCODER_CASES. */
  encoders?: { jpeg: EncoderResult; png: EncoderResult };
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

async function runCase(name: CaseName, runs: number, rd: boolean): Promise<CaseResult> {
  sharp.concurrency(1);
  sharp.cache(false);
  await registerNodeWasmModules();
  const bytes = await input(name);
  const { width, height } = probe(bytes);

  for (let i = 0; i < 2; i++) {
    await renderWebp(bytes);
    await viaSharp(bytes);
  }
  const edgepixTimes: number[] = [];
  const sharpTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    edgepixTimes.push(await cpuMs(() => renderWebp(bytes)));
    sharpTimes.push(await cpuMs(() => viaSharp(bytes)));
  }
  const peakWasmBytes = wasmMemoryBytes();
  const wasmBytesByModule = wasmMemoryByModule() as Record<string, number>;

  const ours = await renderWebp(bytes);
  const theirs = await viaSharp(bytes);
  const ideal = await reference(bytes);
  // Before the quality work below, whose full-size float buffers are the benchmark's, not the pipelines'.
  const nodeMaxRssBytes = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
  const exact = await exactReference(bytes, ideal.width, ideal.height);
  const encoders = ENCODER_CASES.includes(name)
    ? {
        jpeg: await encoderCase(bytes, 'jpeg', runs, [ideal, exact], true),
        png: await encoderCase(bytes, 'png', runs, [ideal, exact], false),
      }
    : undefined;
  const [oursRgba, theirsRgba] = await Promise.all([decodeRgba(ours.body), decodeRgba(theirs)]);
  let equalBytes: CaseResult['equalBytes'];
  let equalSsim: CaseResult['equalSsim'];
  if (rd) {
    const references = [ideal, exact];
    const curves = [
      await curve(async (q) => (await renderWebp(bytes, q)).body, references),
      await curve((q) => viaSharp(bytes, q), references),
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
    ...(encoders ? { encoders } : {}),
    nodeMaxRssBytes,
  };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1); // decimal MB, so a 12 MP RGBA frame reads 48.0

/** Spawns this file with --case, under the same loader (tsx) this process runs under. */
function inChild(name: CaseName, runs: number, rd: boolean): CaseResult {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), '--case', name, '--runs', String(runs), ...(rd ? ['--rd'] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`case ${name} failed (exit ${child.status})`);
  return JSON.parse(child.stdout) as CaseResult;
}

function printTable(results: CaseResult[]): void {
  console.log('JPEG or PNG → decode → 800 wide → WebP q80; CPU ms are medians (user+system), one thread, same run\n');
  console.table(
    results.map((r) => ({
      case: r.case,
      MP: r.megapixels,
      runs: r.runs,
      'edgepix ms': r.edgepixMs,
      'sharp ms': r.sharpMs,
      'cpu ratio (edgepix/sharp)': r.cpuRatioVsSharp,
      paired: r.cpuRatioPaired,
      'peak WASM MB': mb(r.peakWasmBytes),
      'largest frame MB': mb(r.largestFrameBytes),
      'edgepix bytes': r.outputBytes,
      'sharp bytes': r.sharpOutputBytes,
      'SSIM vs sharp': r.ssimVsSharp,
      'SSIM vs ideal (edgepix / sharp)': `${r.ssimVsReference} / ${r.sharpSsimVsReference}`,
      'SSIM vs exact (edgepix / sharp)': `${r.ssimVsExact} / ${r.sharpSsimVsExact}`,
      'frame before encoding, SSIM vs exact (edgepix / sharp)': `${r.frameSsimVsExact} / ${r.sharpFrameSsimVsExact}`,
      'bytes ratio': r.bytesRatioVsSharp,
    })),
  );
  if (results.some((r) => r.equalBytes)) {
    console.log('\nEach side encoded at q70–90: mean SSIM over the byte range both cover, and bytes at equal SSIM (BD-rate)');
    console.table(
      results.map(({ case: name, equalBytes: e, equalSsim: q }) => ({
        case: name,
        bytes: e ? `${e.bytes[0]}–${e.bytes[1]}` : '',
        'vs ideal (edgepix / sharp)': e ? `${e.edgepix.ideal} / ${e.sharp.ideal}` : '',
        'vs exact (edgepix / sharp)': e ? `${e.edgepix.exact} / ${e.sharp.exact}` : '',
        'bytes at equal SSIM, edgepix / sharp (vs ideal, vs exact)': q ? `${q.ideal}, ${q.exact}` : '',
      })),
    );
  }
  const withEncoders = results.filter((r) => r.encoders);
  if (withEncoders.length > 0) {
    console.log('\nThe same request as JPEG q80 and PNG (edgepix: resize rows streamed into its encoders; sharp: defaults)');
    console.table(
      withEncoders.flatMap((r) =>
        (['jpeg', 'png'] as const).map((format) => {
          const e = r.encoders![format];
          return {
            case: r.case,
            format,
            'edgepix ms': e.edgepixMs,
            'sharp ms': e.sharpMs,
            'cpu ratio': e.cpuRatio,
            'edgepix bytes': e.bytes,
            'sharp bytes': e.sharpBytes,
            'bytes ratio': round(e.bytes / e.sharpBytes, 3),
            'SSIM vs ideal (edgepix / sharp)': `${e.ssim} / ${e.sharpSsim}`,
            'bytes at equal SSIM (vs ideal, vs exact)': e.equalSsim ? `${e.equalSsim.ideal}, ${e.equalSsim.exact}` : 'lossless',
          };
        }),
      ),
    );
  }
  console.log('\nPeak WASM memory by module (MB):');
  for (const r of results) {
    const split = Object.entries(r.wasmBytesByModule).map(([m, b]) => `${m} ${mb(b)}`);
    console.log(`  ${r.case}: ${split.join(', ')}`);
  }
  console.log('\nNode peak RSS per case process (V8 + sharp + WASM; Node\'s, not the Worker\'s memory limit):');
  for (const r of results) console.log(`  ${r.case}: ${mb(r.nodeMaxRssBytes)} MB`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const runs = Number(flag('--runs') ?? 7);
  const rd = argv.includes('--rd');
  const only = flag('--case');
  if (only) {
    if (!CASES.includes(only as CaseName)) throw new Error(`unknown case ${only}; one of ${CASES.join(', ')}`);
    process.stdout.write(JSON.stringify(await runCase(only as CaseName, runs, rd)));
    return;
  }
  const results: CaseResult[] = [];
  for (const name of CASES) {
    process.stderr.write(`running ${name}…\n`);
    results.push(inChild(name, runs, rd));
  }
  const json = argv.includes('--json');
  if (json) for (const r of results) console.log(JSON.stringify(r));
  else printTable(results);
  // On stderr under --json, so stdout stays one JSON object per line.
  const rss = `Node peak RSS of the parent process: ${mb(process.resourceUsage().maxRSS * 1024)} MB (not the Worker limit)`;
  (json ? console.error : console.log)(`\n${rss}`);
}

await main();
