/**
 * The benchmark's request in workerd, the runtime edgepix ships to, beside the same code in Node and sharp.
 *
 * `npm run bench` measures edgepix in Node 20; production runs workerd, whose V8 is newer and configured
 * differently. This bundles bench/workerd/worker.ts as `wrangler deploy` would, runs it in Miniflare's workerd
 * (no inspector attached), and for every case sends one request per run: the workerd process's CPU for that
 * request (all its threads, from Linux's /proc/<pid>/task/<tid>/schedstat, in ns) against edgepix's pipeline
 * in this Node process and sharp, interleaved, medians reported. Linux only.
 *
 * Usage: npm run bench:workerd -- [--runs N] [--json]   (N measured runs per side, default 11)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import sharp from 'sharp';
import { CASES, input, viaSharp } from './cases';
import { cpuMs, median, round, threadCpuMs, workerdPids } from './measure';
import { renderWebp } from './render';
import { registerNodeWasmModules } from './wasm-modules';

const WORKER = fileURLToPath(new URL('./workerd/', import.meta.url));

/** Bundles the benchmark Worker into a temporary folder, as `wrangler deploy` would. */
function bundle(): string {
  const out = mkdtempSync(join(tmpdir(), 'edgepix-bench-'));
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out, '--config', join(WORKER, 'wrangler.toml')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  return out;
}

async function main(): Promise<void> {
  if (!existsSync('/proc/self/task')) throw new Error('bench:workerd reads per-thread CPU from /proc: Linux only');
  const argv = process.argv.slice(2);
  const runsFlag = argv.indexOf('--runs');
  const runs = runsFlag === -1 ? 11 : Number(argv[runsFlag + 1]);
  sharp.concurrency(1);
  sharp.cache(false);
  await registerNodeWasmModules();

  const out = bundle();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-26',
  });
  try {
    await mf.ready;
    const results = [];
    for (const name of CASES) {
      const bytes = await input(name);
      const inWorkerd = async () => {
        const response = await mf.dispatchFetch('http://bench/', { method: 'POST', body: bytes });
        return new Uint8Array(await response.arrayBuffer());
      };
      for (let i = 0; i < 3; i++) await Promise.all([inWorkerd(), renderWebp(bytes), viaSharp(bytes)]);
      const pids = workerdPids();
      if (pids.length === 0) throw new Error('no workerd process found under this one');
      const times: Record<'workerd' | 'node' | 'sharp', number[]> = { workerd: [], node: [], sharp: [] };
      let workerdBytes = 0;
      for (let i = 0; i < runs; i++) {
        const before = threadCpuMs(pids);
        workerdBytes = (await inWorkerd()).byteLength;
        times.workerd.push(threadCpuMs(pids) - before);
        times.node.push(await cpuMs(() => renderWebp(bytes)));
        times.sharp.push(await cpuMs(() => viaSharp(bytes)));
      }
      const [workerd, node, viaSharpMs] = [median(times.workerd), median(times.node), median(times.sharp)];
      results.push({
        case: name,
        runs,
        workerdMs: round(workerd, 1),
        nodeMs: round(node, 1),
        sharpMs: round(viaSharpMs, 1),
        workerdRatioVsSharp: round(workerd / viaSharpMs, 2),
        nodeRatioVsSharp: round(node / viaSharpMs, 2),
        workerdRatioVsNode: round(workerd / node, 2),
        workerdOutputBytes: workerdBytes,
      });
    }
    if (argv.includes('--json')) {
      for (const r of results) console.log(JSON.stringify(r));
    } else {
      console.log('JPEG or PNG → 800 wide → WebP q80, one request per run; CPU ms are medians (workerd: all its threads)\n');
      console.table(results);
    }
  } finally {
    await mf.dispose();
    rmSync(out, { recursive: true, force: true });
  }
}

await main();
