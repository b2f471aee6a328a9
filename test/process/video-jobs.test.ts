/**
 * Video jobs end to end: `wrangler dev` (queue, consumer, R2) and the real transcoder service with Debian's
 * ffmpeg. An upload's post-transformation makes an HLS ladder whose manifest is parsed and every playlist and
 * segment fetched, then played in Chromium with hls.js; a delivery URL's transcode is probed with ffprobe for codec,
 * size and duration.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnv, startTranscoder } from '../../transcoder/src/server';
import { newSecrets, WranglerDev } from './wrangler-dev';

let dev: WranglerDev;
let dir: string;
let transcoder: { url: string; close: () => Promise<void> };
let auth: Record<string, string>;
let catcher: Server;
/** Webhook bodies the tenant's endpoint received. */
const received: { type: string; data: { transformation: { type: string; output?: { url: string } } } }[] = [];
const secrets = newSecrets();
const TENANT = 'vids';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`timed out waiting for ${what}\n${dev.output.slice(-3000)}`);
}

function ffprobe(file: string) {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type,width,height:format=duration', '-of', 'json', file]).toString()) as {
    streams: { codec_name: string; codec_type: string; width?: number; height?: number }[];
    format: { duration: string };
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgepix-video-'));
  const clip = join(dir, 'clip.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '5', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
  const options = optionsFromEnv({});
  transcoder = await startTranscoder({ ...options, port: 0, concurrency: 2, tools: { ...options.tools, workDir: dir } });
  dev = new WranglerDev(join(dir, 'state'), secrets, { TRANSCODER_URL: transcoder.url, VIDEO_POLL: '1x200', VIDEO_RETRY_BASE_SECONDS: '1' });
  await dev.start();
  const created = await fetch(`${dev.url}/admin/v1/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secrets.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: TENANT }),
  });
  const { privateKey } = (await created.json()) as { privateKey: string };
  auth = { Authorization: `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}` };
  catcher = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push(JSON.parse(body));
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(catcher.address() as { port: number }).port}/hooks`;
  const configured = await fetch(`${dev.url}/v1/accounts/webhook`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ url: hook }) });
  expect(configured.status).toBe(200);
  const form = new FormData();
  form.set('file', new Blob([await readFile(clip)]), 'clip.mp4');
  form.set('fileName', 'clip.mp4');
  form.set('folder', '/v');
  form.set('useUniqueFileName', 'false');
  form.set('transformation', JSON.stringify({ post: [{ type: 'abs', value: '240_360', protocol: 'hls' }] }));
  const uploaded = await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form });
  expect(uploaded.status).toBe(200);
});

afterAll(async () => {
  await dev?.kill();
  await transcoder?.close();
  await new Promise((resolve) => catcher?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

interface Job {
  id: string;
  status: string;
  trigger: string;
  type: string;
  error: string | null;
}

const jobs = async () => (await (await fetch(`${dev.url}/v1/accounts/video-jobs`, { headers: auth })).json()) as Job[];

describe('video jobs under wrangler dev with the real transcoder', () => {
  it('makes an upload post-transformation HLS ladder whose every playlist and segment is served', async () => {
    const job = await until('the upload job', async () => (await jobs()).find((j) => j.trigger === 'upload' && (j.status === 'ready' || j.status === 'error')));
    expect(job).toMatchObject({ type: 'hls', status: 'ready', error: null });
    const masterUrl = `${dev.url}/${TENANT}/v/clip.mp4/ik-master.m3u8?tr=sr-360_240`;
    const master = await fetch(masterUrl);
    expect(master.status).toBe(200);
    const lines = (await master.text()).split('\n');
    expect(lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF')).map((l) => /RESOLUTION=(\d+x\d+)/.exec(l)?.[1])).toEqual(['426x240', '640x360']);
    let segments = 0;
    for (const playlist of lines.filter((l) => l && !l.startsWith('#'))) {
      const playlistUrl = new URL(playlist, masterUrl);
      const media = await fetch(playlistUrl);
      expect(media.status).toBe(200);
      for (const segment of (await media.text()).split('\n').filter((l) => l && !l.startsWith('#'))) {
        const res = await fetch(new URL(segment, playlistUrl));
        expect(res.status).toBe(200);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes[0]).toBe(0x47); // MPEG-TS sync byte
        segments++;
      }
    }
    expect(segments).toBeGreaterThanOrEqual(4);
    // The tenant's webhook heard the job accepted and ready, in ImageKit's shape.
    const events = await until('the ready webhook', async () => (received.some((e) => e.type === 'video.transformation.ready') ? received : undefined), 30_000);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['video.transformation.accepted', 'video.transformation.ready']));
    const ready = events.find((e) => e.type === 'video.transformation.ready')!;
    expect(ready.data.transformation.type).toBe('abs');
    expect(ready.data.transformation.output!.url).toBe(`${dev.url}/${TENANT}/v/clip.mp4/ik-master.m3u8?tr=sr-240_360`);
  });

  it('plays the HLS ladder in Chromium with hls.js', async () => {
    await until('the upload job', async () => (await jobs()).find((j) => j.trigger === 'upload' && j.status === 'ready'));
    const masterUrl = `${dev.url}/${TENANT}/v/clip.mp4/ik-master.m3u8?tr=sr-360_240`;
    const hlsScript = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
    const browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
    try {
      const page = await browser.newPage();
      // A page of the same origin as the stream, so the player needs no CORS.
      await page.goto(`${dev.url}/healthz`);
      await page.addScriptTag({ path: hlsScript });
      // Runs in the page (a string: this project's types have no DOM).
      const played = (await page.evaluate(`new Promise((resolve) => {
        const video = document.createElement('video');
        video.muted = true;
        document.body.append(video);
        const hls = new Hls();
        hls.on(Hls.Events.ERROR, (_, data) => data.fatal && resolve({ error: data.details }));
        hls.on(Hls.Events.MANIFEST_PARSED, () => void video.play());
        video.addEventListener('timeupdate', () => {
          if (video.currentTime > 1.5) resolve({ time: video.currentTime, width: video.videoWidth, levels: hls.levels.length });
        });
        hls.loadSource(${JSON.stringify(masterUrl)});
        hls.attachMedia(video);
      })`)) as { time: number; width: number; levels: number; error?: string };
      expect(played.error).toBeUndefined();
      expect(played.levels).toBe(2);
      expect(played.time).toBeGreaterThan(1.5);
      expect([426, 640]).toContain(played.width);
    } finally {
      await browser.close();
    }
  });

  it('answers a new transcode with 302 first, then the probed output', async () => {
    const url = `${dev.url}/${TENANT}/tr:w-320,h-320,cm-pad_resize,bg-blurred,vc-vp9,so-1,du-3/v/clip.mp4`;
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('Location')).toBe(`${dev.url}/${TENANT}/v/clip.mp4`);
    const done = await until('the transcode', async () => {
      const res = await fetch(url, { redirect: 'manual' });
      return res.status === 200 ? Buffer.from(await res.arrayBuffer()) : undefined;
    });
    const file = join(dir, 'out.webm');
    await writeFile(file, done);
    const info = ffprobe(file);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 320, height: 320 });
    expect(Number(info.format.duration)).toBeCloseTo(3, 0);
    const range = await fetch(url, { headers: { Range: 'bytes=0-99' } });
    expect(range.status).toBe(206);
    expect((await range.arrayBuffer()).byteLength).toBe(100);
  });

  it('answers a DASH manifest 202 first, then one whose init segments are served', async () => {
    const url = `${dev.url}/${TENANT}/v/clip.mp4/ik-master.mpd?tr=sr-240`;
    const first = await fetch(url);
    expect(first.status).toBe(202);
    expect(await first.text()).toBe('');
    const mpd = await until('the DASH manifest', async () => {
      const res = await fetch(url);
      return res.status === 200 ? res.text() : undefined;
    });
    const base = /<BaseURL>([^<]+)<\/BaseURL>/.exec(mpd)![1]!;
    const ids = [...mpd.matchAll(/<Representation id="(\d+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBe(2); // the video rendition and the audio
    for (const id of ids) {
      expect((await fetch(new URL(`${base}init_${id}.m4s`, url))).status).toBe(200);
      expect((await fetch(new URL(`${base}chunk_${id}_00001.m4s`, url))).status).toBe(200);
    }
  });
});
