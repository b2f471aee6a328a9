/**
 * Video at the edge: the video Worker (ffmpeg in WASM, @ffmpeg/core 0.12.10) in Miniflare's workerd against
 * Debian's native ffmpeg doing the same job, in the same run, on clips generated here (testsrc2 + a tone, h264/aac,
 * a keyframe every second) at 360p, 720p and 1080p.
 *
 * For every operation and size: a fresh workerd (WASM memory only grows, so its size after the operation is that
 * operation's peak), three warm-up calls, then N measured calls. workerd's CPU is read from /proc for all its
 * threads; native ffmpeg's CPU is the child's user + system time, process start included (which is what a
 * service that spawns ffmpeg per thumbnail pays). Medians reported. Linux only; needs `ffmpeg` on the PATH.
 *
 * Also prints the gzip size of both Workers' bundles (wrangler's dry run).
 *
 * Usage: npm run bench:video -- [--runs N]   (default 7)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildVideoWorker, VIDEO_DIST } from '../scripts/build-video-worker.mjs';
import { median, round, threadCpuMs, workerdPids } from './measure';

const SIZES = { '360p': '640x360', '720p': '1280x720', '1080p': '1920x1080' } as const;
const OFFSET = 2.5;

/** What each operation asks of the video Worker, and native ffmpeg's arguments for the same output. */
const OPERATIONS = {
  probe: { call: 'probe', native: (input: string) => ['ffprobe', '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input] },
  thumbnail: {
    call: 'frame',
    native: (input: string, out: string) => ['ffmpeg', '-v', 'error', '-y', '-ss', String(OFFSET), '-i', input, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', join(out, 'frame.png')],
  },
  'trim (copy)': {
    call: 'cut',
    native: (input: string, out: string) => ['ffmpeg', '-v', 'error', '-y', '-ss', '1', '-i', input, '-t', '2', '-c', 'copy', '-movflags', '+faststart', join(out, 'cut.mp4')],
  },
} as const;

const CALLER = `
const clips = new Map();
const limits = { maxVideoInputBytes: 300 * 1024 * 1024, maxVideoSeconds: 3600, maxInputMegapixels: 50 };
export default { async fetch(request, env) {
  const url = new URL(request.url);
  const name = url.searchParams.get('clip');
  if (request.method === 'PUT') { clips.set(name, new Uint8Array(await request.arrayBuffer())); return new Response('ok'); }
  const bytes = clips.get(name);
  const op = url.searchParams.get('op');
  const answer = op === 'probe' ? await env.VIDEO.probe(bytes, limits)
    : op === 'frame' ? await env.VIDEO.frame(bytes, ${OFFSET}, limits)
    : await env.VIDEO.cut(bytes, { start: 1, duration: 2 }, limits);
  if (answer.refused) return new Response(JSON.stringify(answer), { status: answer.refused.status });
  return Response.json({ memory: await env.VIDEO.wasmMemoryBytes() });
} };`;

/** CPU ms (user + system) of one native run, process start included: the shell's `times` after it. */
function nativeCpuMs(argv: string[]): number {
  const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const out = execFileSync('bash', ['-c', `${quoted} >/dev/null; times`], { encoding: 'utf8' });
  // Second line: children's user and system time, e.g. "0m0.052s 0m0.012s".
  const [user, system] = out.trim().split('\n')[1]!.split(' ').map((t) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m) * 60_000 + Number(s) * 1000;
  });
  return user! + system!;
}

const gzipKiB = (line: string) => line.replace(/.*gzip:\s*/, '').trim();

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runsFlag = argv.indexOf('--runs');
  const runs = runsFlag === -1 ? 7 : Number(argv[runsFlag + 1]);
  const work = mkdtempSync(join(tmpdir(), 'edgepix-video-bench-'));
  try {
    const videoBundle = buildVideoWorker();
    const imageBundle = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', join(work, 'image-dist')], {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    })
      .split('\n')
      .find((line) => line.includes('Total Upload'))!;
    console.log(`bundles: image Worker ${imageBundle.replace('Total Upload: ', '')}; video Worker ${videoBundle.replace('Total Upload: ', '')}`);
    console.log(`(gzip: image ${gzipKiB(imageBundle)}, video ${gzipKiB(videoBundle)})\n`);

    const results = [];
    for (const [label, size] of Object.entries(SIZES)) {
      const clip = join(work, `${label}.mp4`);
      const picture = `testsrc2=size=${size}:rate=25:duration=4`;
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', picture, '-f', 'lavfi', '-i', 'sine=duration=4', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', clip]);
      const bytes = readFileSync(clip);
      for (const [operation, { call, native }] of Object.entries(OPERATIONS)) {
        const mf = new Miniflare({
          workers: [
            { name: 'caller', modules: true, script: CALLER, compatibilityDate: '2026-04-26', serviceBindings: { VIDEO: 'edgepix-video' } },
            { name: 'edgepix-video', modules: true, scriptPath: join(VIDEO_DIST, 'index.js'), modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }], compatibilityDate: '2026-04-26' },
          ],
        });
        try {
          await mf.dispatchFetch(`http://bench/?clip=${label}`, { method: 'PUT', body: bytes });
          const once = async () => {
            const response = await mf.dispatchFetch(`http://bench/?clip=${label}&op=${call}`);
            if (!response.ok) throw new Error(`${operation} ${label}: ${response.status} ${await response.text()}`);
            return ((await response.json()) as { memory: number }).memory;
          };
          let memory = await once();
          for (let i = 0; i < 2; i++) await once();
          const pids = workerdPids();
          const wasm: number[] = [];
          const nat: number[] = [];
          for (let i = 0; i < runs; i++) {
            const before = threadCpuMs(pids);
            memory = await once();
            wasm.push(threadCpuMs(pids) - before);
            nat.push(nativeCpuMs(native(clip, work)));
          }
          results.push({
            clip: label,
            operation,
            wasmMs: round(median(wasm), 1),
            nativeMs: round(median(nat), 1),
            wasmVsNative: round(median(wasm) / median(nat), 2),
            wasmMemoryMB: round(memory / 1e6, 1),
          });
        } finally {
          await mf.dispose();
        }
      }
    }
    console.log(`CPU ms per call, medians of ${runs}; WASM in workerd (all threads) vs native ffmpeg (process start included)`);
    console.log(`thumbnail = probe + frame at ${OFFSET} s as PNG in WASM; native: ffmpeg -ss ${OFFSET} -frames:v 1 to PNG\n`);
    console.table(results);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
