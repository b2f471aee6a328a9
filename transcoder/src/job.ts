/**
 * One job, start to end: download the source (stopping at the job's byte cap), probe it, refuse what is too
 * long or not a video, run ffmpeg with the argument list of src/video/ffmpeg-args.ts under the CPU/time budget,
 * and store every file it wrote. The work folder is removed whatever happens.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TranscodeRequest, TranscodeResult } from '../../src/video/jobs/consumer';
import { OUTPUT_NAME } from '../../src/video/jobs/storage';
import { ffmpegArgs, ffprobeArgs, type InputProbe } from '../../src/video/ffmpeg-args';
import { type Budget, runLimited } from './limited';
import type { Sink } from './sink';

export interface Tools {
  ffmpeg: string;
  ffprobe: string;
  budget: Budget;
  workDir: string;
}

/** A failure with the status the consumer reads: 4xx ends the job, anything else is retried. */
export class JobError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function runJob(job: TranscodeRequest, sink: Sink, tools: Tools): Promise<TranscodeResult> {
  const dir = await mkdtemp(join(tools.workDir, 'job-'));
  try {
    const input = join(dir, 'input');
    await download(job, input);
    const probe = await probeInput(input, tools);
    if (probe.duration > job.limits.maxSeconds) {
      throw new JobError(422, `The video is ${probe.duration.toFixed(1)} s long; this account transcodes at most ${job.limits.maxSeconds} s.`);
    }
    const out = join(dir, 'out');
    await mkdir(out);
    let args: string[];
    try {
      args = ffmpegArgs(job.plan, { path: input, probe }, out, { maxSide: job.limits.maxSide, maxSeconds: job.limits.maxSeconds });
    } catch (error) {
      throw new JobError(422, error instanceof Error ? error.message : String(error));
    }
    const run = await runLimited(tools.ffmpeg, args, tools.budget);
    if (run.timedOut || run.signal === 'SIGXCPU' || run.signal === 'SIGKILL') {
      throw new JobError(422, `The transcode ran past its budget (${tools.budget.cpuSeconds} s CPU, ${tools.budget.wallSeconds} s wall) and was stopped.`);
    }
    if (run.code !== 0) throw new JobError(500, `ffmpeg failed: ${lastLine(run.stderr)}`);
    const outputs: TranscodeResult['outputs'] = [];
    for (const name of (await readdir(out)).sort()) {
      if (!OUTPUT_NAME.test(name)) throw new JobError(500, `ffmpeg wrote an unexpected file "${name}"`);
      const file = join(out, name);
      await sink.put(name, file);
      outputs.push({ name, size: (await stat(file)).size });
    }
    if (!outputs.some((o) => o.name === job.plan.main)) throw new JobError(500, `ffmpeg did not write ${job.plan.main}`);
    return { outputs, input: { width: probe.width, height: probe.height, duration: probe.duration } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function download(job: TranscodeRequest, file: string): Promise<void> {
  const response = await fetch(job.source.url, { headers: { Authorization: `Bearer ${job.token}` } });
  if (!response.ok || !response.body) throw new JobError(response.status === 404 ? 422 : 502, `fetching the source answered ${response.status}`);
  const declared = Number(response.headers.get('Content-Length'));
  const cap = job.limits.maxInputBytes;
  if (declared > cap) throw new JobError(413, `The video is ${declared} bytes; the limit is ${cap}.`);
  let seen = 0;
  // Counted as it arrives: a source without (or lying about) its length still stops at the cap.
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > cap ? new JobError(413, `The video is over ${cap} bytes.`) : null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as never), counter, createWriteStream(file));
}

interface ProbeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; width?: number; height?: number }[];
}

export async function probeInput(file: string, tools: Tools): Promise<InputProbe> {
  const run = await runLimited(tools.ffprobe, ffprobeArgs(file), { ...tools.budget, wallSeconds: Math.min(tools.budget.wallSeconds, 60) });
  const refused = () => new JobError(422, `The file is not a video this transcoder can read${run.stderr ? `: ${lastLine(run.stderr)}` : ''}.`);
  if (run.code !== 0) throw refused();
  let json: ProbeJson;
  try {
    json = JSON.parse(run.stdout) as ProbeJson;
  } catch {
    throw refused();
  }
  const video = json.streams?.find((s) => s.codec_type === 'video');
  const duration = Number(json.format?.duration);
  if (!Number.isFinite(duration) || duration <= 0) throw refused();
  return {
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    duration,
    hasVideo: Boolean(video?.width && video.height),
    hasAudio: Boolean(json.streams?.some((s) => s.codec_type === 'audio')),
  };
}

const lastLine = (text: string) => text.trim().split('\n').pop()?.slice(0, 300) ?? '';
