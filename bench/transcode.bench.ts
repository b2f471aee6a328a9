/**
 * `npm run bench:transcode`: the transcoder's throughput — seconds of video per CPU second — for the argument
 * lists src/video/ffmpeg-args.ts builds, on generated 10-second clips at 360p, 720p and 1080p. Each job is put
 * beside a reference measured in the same run on the same clip: ffmpeg only decoding it (`-f null`), which no
 * transcode can beat. CPU time is ffmpeg's own `-benchmark` (user + system of the whole process, every thread).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTransformation } from '../src/transform/parse';
import { ffmpegArgs, planVideoJob } from '../src/video/ffmpeg-args';
import type { MediaKind } from '../src/video/suffix';

const SECONDS = 10;
const SIZES = [
  { name: '360p', width: 640, height: 360, ladder: 'sr-240_360' },
  { name: '720p', width: 1280, height: 720, ladder: 'sr-240_360_720' },
  { name: '1080p', width: 1920, height: 1080, ladder: 'sr-240_360_720_1080' },
];
const JOBS: { label: string; tr: (ladder: string) => string; kind: MediaKind }[] = [
  { label: 'mp4 h264 (same size)', tr: () => 'f-mp4', kind: 'video' },
  { label: 'webm vp9 (same size)', tr: () => 'vc-vp9', kind: 'video' },
  { label: 'mp4 h264 → 480 wide', tr: () => 'w-480', kind: 'video' },
  { label: 'hls ladder', tr: (ladder) => ladder, kind: 'hls' },
];

/** CPU seconds ffmpeg reports for `args` (user + system). */
function cpuSeconds(args: string[]): number {
  const withBench = ['-benchmark', ...args.map((a, i) => (args[i - 1] === '-loglevel' ? 'info' : a))];
  const run = spawnSync('ffmpeg', withBench, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`ffmpeg failed: ${run.stderr.slice(-500)}`);
  const match = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(run.stderr);
  if (!match) throw new Error('no -benchmark line in ffmpeg output');
  return Number(match[1]) + Number(match[2]);
}

const dir = mkdtempSync(join(tmpdir(), 'edgepix-transcode-bench-'));
try {
  const rows: Record<string, string | number>[] = [];
  for (const size of SIZES) {
    const clip = join(dir, `${size.name}.mp4`);
    const lavfi = ['-f', 'lavfi', '-i', `testsrc2=size=${size.width}x${size.height}:rate=30`, '-f', 'lavfi', '-i', 'sine=frequency=440'];
    execFileSync('ffmpeg', ['-v', 'error', ...lavfi, '-t', String(SECONDS), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
    const probe = { width: size.width, height: size.height, duration: SECONDS, hasVideo: true, hasAudio: true };
    const decode = cpuSeconds(['-nostdin', '-loglevel', 'error', '-i', clip, '-f', 'null', '-']);
    rows.push({ input: size.name, job: 'reference: decode only', cpuSeconds: +decode.toFixed(2), videoSecondsPerCpuSecond: +(SECONDS / decode).toFixed(2), cpuVsDecode: 1 });
    for (const job of JOBS) {
      const out = join(dir, `${size.name}-${job.kind}-${rows.length}`);
      mkdirSync(out);
      const args = ffmpegArgs(planVideoJob(parseTransformation(job.tr(size.ladder)), job.kind), { path: clip, probe }, out);
      const cpu = cpuSeconds(args);
      rows.push({ input: size.name, job: job.label, cpuSeconds: +cpu.toFixed(2), videoSecondsPerCpuSecond: +(SECONDS / cpu).toFixed(2), cpuVsDecode: +(cpu / decode).toFixed(1) });
    }
  }
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
