/**
 * The transcoder service as a process-local HTTP server with Debian's ffmpeg: a job read from a stand-in of the
 * Worker's source URL and written to its sink URL, probed afterwards; inputs refused for size, length and
 * content; the CPU/time budget enforced from outside; busy answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTransformation } from '../../../src/transform/parse';
import { planVideoJob } from '../../../src/video/ffmpeg-args';
import type { TranscodeRequest } from '../../../src/video/jobs/consumer';
import type { MediaKind } from '../../../src/video/suffix';
import { optionsFromEnv, startTranscoder } from '../../../transcoder/src/server';

const TOKEN = 'job-token';
let dir: string;
let source: Buffer;
let worker: Server;
let workerUrl: string;
const stored = new Map<string, Buffer>();
let transcoder: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgepix-transcoder-'));
  const clip = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
  source = readFileSync(clip);
  // The Worker's two per-job doors: the source, and a PUT per output file, both behind the job's token.
  worker = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end();
    if (req.method === 'GET' && req.url?.startsWith('/source/')) {
      const body = req.url.endsWith('/text') ? Buffer.from('not a video at all') : source;
      return res.writeHead(200, { 'Content-Length': body.length }).end(body);
    }
    if (req.method === 'PUT' && req.url?.startsWith('/files/')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      stored.set(req.url.slice('/files/'.length), Buffer.concat(chunks));
      return res.writeHead(204).end();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  workerUrl = `http://127.0.0.1:${(worker.address() as { port: number }).port}`;
  const options = optionsFromEnv({});
  transcoder = await startTranscoder({ ...options, port: 0, token: 'service-token', concurrency: 1, tools: { ...options.tools, workDir: dir } });
});

afterAll(async () => {
  await transcoder.close();
  await new Promise((resolve) => worker.close(resolve));
});

function job(tr: string, kind: MediaKind = 'video', overrides: Partial<TranscodeRequest> = {}, sourceName = 'clip'): TranscodeRequest {
  return {
    id: `job-${Math.random().toString(36).slice(2)}`,
    tenantId: 't',
    plan: planVideoJob(parseTransformation(tr), kind),
    limits: { maxInputBytes: 10_000_000, maxSeconds: 600, maxSide: 1920 },
    source: { url: `${workerUrl}/source/${sourceName}` },
    sink: { url: `${workerUrl}/files/` },
    token: TOKEN,
    ...overrides,
  };
}

const post = (body: unknown, token = 'service-token') =>
  fetch(`${transcoder.url}/jobs`, { method: 'POST', body: JSON.stringify(body), headers: { Authorization: `Bearer ${token}` } });

function probe(bytes: Buffer) {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, bytes);
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', file]).toString()) as {
    streams: { codec_name: string; width?: number; height?: number }[];
    format: { duration: string };
  };
}

describe('the transcoder service', () => {
  it('transcodes a job and stores its output through the sink', async () => {
    stored.clear();
    const res = await post(job('w-160,h-90,so-0.5,du-2'));
    expect(res.status).toBe(200);
    const result = (await res.json()) as { outputs: { name: string; size: number }[]; input: { width: number; height: number; duration: number } };
    expect(result.input).toMatchObject({ width: 320, height: 180 });
    expect(result.outputs).toEqual([{ name: 'video.mp4', size: stored.get('video.mp4')!.length }]);
    const info = probe(stored.get('video.mp4')!);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(info.streams.find((s) => s.codec_name === 'h264')).toMatchObject({ width: 160, height: 90 });
    expect(Number(info.format.duration)).toBeCloseTo(2, 0);
  });

  it('writes an HLS ladder whose every playlist and segment reached the sink', async () => {
    stored.clear();
    const res = await post(job('sr-240_360', 'hls'));
    expect(res.status).toBe(200);
    const master = stored.get('ik-master.m3u8')!.toString();
    for (const playlist of master.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const segments = stored.get(playlist)!.toString().split('\n').filter((l) => l && !l.startsWith('#'));
      expect(segments.length).toBeGreaterThan(0);
      for (const segment of segments) expect(stored.get(segment)!.length).toBeGreaterThan(0);
    }
  });

  it('refuses with 4xx what no retry can fix: too large, too long, not a video', async () => {
    const tooLarge = await post(job('w-100', 'video', { limits: { maxInputBytes: 1000, maxSeconds: 600, maxSide: 1920 } }));
    expect(tooLarge.status).toBe(413);
    const tooLong = await post(job('w-100', 'video', { limits: { maxInputBytes: 1e7, maxSeconds: 1, maxSide: 1920 } }));
    expect(tooLong.status).toBe(422);
    expect(((await tooLong.json()) as { message: string }).message).toMatch(/at most 1 s/);
    const text = await post(job('w-100', 'video', {}, 'text'));
    expect(text.status).toBe(422);
    expect(((await text.json()) as { message: string }).message).toMatch(/not a video/);
  });

  it('stops a job past its CPU/time budget from outside ffmpeg', async () => {
    const options = optionsFromEnv({});
    const tight = await startTranscoder({ ...options, port: 0, concurrency: 1, tools: { ...options.tools, workDir: dir, budget: { cpuSeconds: 1, wallSeconds: 1, memoryBytes: 4 * 1024 ** 3 } } });
    try {
      const started = Date.now();
      const res = await fetch(`${tight.url}/jobs`, { method: 'POST', body: JSON.stringify(job('vc-av1,q-100,w-1920,h-1080,c-force')) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toMatch(/past its budget/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await tight.close();
    }
  });

  it('answers 401 without its token, 400 to a non-job and 429 when busy', async () => {
    expect((await post(job('w-100'), 'wrong')).status).toBe(401);
    expect((await post({ nope: true })).status).toBe(400);
    const [first, second] = await Promise.all([post(job('w-300,vc-vp9')), post(job('w-200'))]);
    expect([first.status, second.status].sort()).toEqual([200, 429]);
  });
});
