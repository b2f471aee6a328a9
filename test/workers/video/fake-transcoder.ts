/**
 * A stand-in for the transcoder service inside the pool: it answers the consumer's `POST /jobs` the way the
 * real one does over HTTP (transcoder/src/server.ts) — reads the job's source through the Worker's source URL
 * and PUTs its outputs through the sink URL, with the job's token — but writes small made-up files instead of
 * running ffmpeg. The real service is exercised in test/node/transcoder and test/process.
 */
import { env, SELF } from 'cloudflare:test';
import { vi } from 'vitest';
import type { TranscodeRequest } from '../../../src/video/jobs/consumer';

export type Mode = 'ok' | 'fail' | 'refuse' | 'hold';

export interface FakeTranscoder {
  mode: Mode;
  /** Jobs received, in order (retries included). */
  calls: TranscodeRequest[];
  /** Source bytes each completed call read. */
  sourcesRead: number[];
  /** Lets held calls go on (as `ok`). */
  release(): void;
  restore(): void;
}

export const OUTPUT_VIDEO = new TextEncoder().encode('fake mp4 output '.repeat(64));

export function fakeTranscoder(mode: Mode = 'ok'): FakeTranscoder {
  const original = globalThis.fetch;
  let releaseHeld: () => void = () => {};
  let held = new Promise<void>((resolve) => (releaseHeld = resolve));
  const fake: FakeTranscoder = {
    mode,
    calls: [],
    sourcesRead: [],
    release: () => releaseHeld(),
    restore: () => spy.mockRestore(),
  };
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${env.TRANSCODER_URL}/`)) return original(input, init);
    const job = (await request.json()) as TranscodeRequest;
    fake.calls.push(job);
    if (fake.mode === 'fail') return Response.json({ message: 'ffmpeg failed: simulated crash' }, { status: 500 });
    if (fake.mode === 'refuse') return Response.json({ message: 'The file is not a video this transcoder can read.' }, { status: 422 });
    if (fake.mode === 'hold') await held;
    const auth = { Authorization: `Bearer ${job.token}` };
    const source = await SELF.fetch(job.source.url, { headers: auth });
    if (!source.ok) return Response.json({ message: `source ${source.status}` }, { status: 502 });
    fake.sourcesRead.push((await source.arrayBuffer()).byteLength);
    const files = outputsFor(job);
    for (const [name, body] of Object.entries(files)) {
      const put = await SELF.fetch(`${job.sink.url}${name}`, { method: 'PUT', body, headers: { ...auth, 'Content-Length': String(body.byteLength) } });
      if (put.status !== 204) return Response.json({ message: `sink ${put.status}` }, { status: 502 });
    }
    const outputs = Object.entries(files).map(([name, body]) => ({ name, size: body.byteLength }));
    return Response.json({ outputs, input: { width: 320, height: 180, duration: 3 } });
  });
  // A held call that is released later goes on as `ok`.
  const release = fake.release;
  fake.release = () => {
    release();
    held = Promise.resolve();
  };
  return fake;
}

const text = (s: string) => new TextEncoder().encode(s);

function outputsFor(job: TranscodeRequest): Record<string, Uint8Array> {
  if (job.plan.container === 'hls') {
    return {
      'ik-master.m3u8': text('#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-STREAM-INF:BANDWIDTH=316800,RESOLUTION=426x240\nstream_0.m3u8\n'),
      'stream_0.m3u8': text('#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:3.0,\nstream_0_000.ts\n#EXT-X-ENDLIST\n'),
      'stream_0_000.ts': new Uint8Array(188 * 4).fill(0x47),
    };
  }
  if (job.plan.container === 'dash') {
    return {
      'ik-master.mpd': text('<?xml version="1.0"?>\n<MPD>\n\t<Period id="0"><AdaptationSet><Representation id="0"><SegmentTemplate initialization="init_$RepresentationID$.m4s" media="chunk_$RepresentationID$_$Number%05d$.m4s"/></Representation></AdaptationSet></Period>\n</MPD>\n'),
      'init_0.m4s': new Uint8Array(64).fill(1),
      'chunk_0_00001.m4s': new Uint8Array(256).fill(2),
    };
  }
  return { [job.plan.main]: OUTPUT_VIDEO };
}
