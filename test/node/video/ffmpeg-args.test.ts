/**
 * URL transformation → ffmpeg argv: the flags that keep ffmpeg on the one local input, the codec and container
 * choices, and real runs of Debian's ffmpeg on a generated clip, probed for codec, size and duration.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { parseTransformation } from '../../../src/transform/parse';
import { ffmpegArgs, ffprobeArgs, planVideoJob, type InputProbe } from '../../../src/video/ffmpeg-args';
import type { MediaKind } from '../../../src/video/suffix';

const PROBE: InputProbe = { width: 640, height: 360, duration: 4, hasVideo: true, hasAudio: true };
const plan = (tr: string, kind: MediaKind = 'video') => planVideoJob(parseTransformation(tr), kind);
const argsOf = (tr: string, kind: MediaKind = 'video', probe = PROBE) => ffmpegArgs(plan(tr, kind), { path: '/in/source', probe }, '/out');
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('the input is only the file it was handed', () => {
  it('whitelists the file protocol and container demuxers before the input, and names the input file:', () => {
    for (const args of [argsOf('w-300'), argsOf('sr-240_360', 'hls'), argsOf('sr-240', 'dash'), ffprobeArgs('/in/source')]) {
      const input = args.indexOf('file:/in/source');
      expect(input).toBeGreaterThan(0);
      expect(args.indexOf('-protocol_whitelist')).toBeLessThan(input);
      expect(after(args, '-protocol_whitelist')).toBe('file');
      const formats = after(args, '-format_whitelist')!.split(',');
      expect(formats).toContain('mov');
      for (const fetching of ['hls', 'dash', 'concat', 'image2', 'lavfi', 'tee', 'http']) expect(formats).not.toContain(fetching);
      // One input only: nothing else ffmpeg could be told to open.
      expect(args.filter((a) => a === '-i').length).toBeLessThanOrEqual(1);
      expect(args.filter((a) => a.includes(':/') && a !== 'file:/in/source')).toEqual([]);
    }
  });

  it('refuses an input that is not an absolute local path', () => {
    for (const path of ['concat:/a|/b', 'http://127.0.0.1/x', 'relative.mp4', '/a\nb']) {
      expect(() => ffmpegArgs(plan('w-300'), { path, probe: PROBE }, '/out')).toThrow(/absolute local path/);
      expect(() => ffprobeArgs(path)).toThrow(/absolute local path/);
    }
  });

  it('never puts URL text in a filter: colours and sizes come out as parsed numbers', () => {
    const vf = after(argsOf('w-300,h-200,cm-pad_resize,bg-red'), '-vf')!;
    expect(vf).toContain('color=0xff0000');
    expect(vf).not.toMatch(/red/);
  });
});

describe('plans and commands', () => {
  it('chooses the container from f, vc and ac', () => {
    expect(plan('w-300')).toMatchObject({ container: 'mp4', main: 'video.mp4', contentType: 'video/mp4' });
    expect(plan('vc-vp9')).toMatchObject({ container: 'webm', main: 'video.webm' });
    expect(plan('ac-opus')).toMatchObject({ container: 'webm' });
    expect(plan('sr-240', 'hls')).toMatchObject({ container: 'hls', main: 'ik-master.m3u8', contentType: 'application/vnd.apple.mpegurl' });
    expect(plan('sr-240', 'dash')).toMatchObject({ container: 'dash', main: 'ik-master.mpd', contentType: 'application/dash+xml' });
    expect(plan('sr-720_240', 'hls').transformation).toBe('sr-240_720');
  });

  it('maps q to the codec scale, and vc/ac none to dropped streams', () => {
    expect(after(argsOf('q-100'), '-crf')).toBe('18');
    expect(after(argsOf(''), '-crf')).toBe('28');
    expect(after(argsOf('vc-av1,q-50'), '-c:v')).toBe('libsvtav1');
    expect(argsOf('ac-none')).toContain('-an');
    expect(argsOf('vc-none')).toContain('-vn');
    expect(() => argsOf('vc-none', 'video', { ...PROBE, hasAudio: false })).toThrow(HttpError);
  });

  it('trims with an input seek and a duration, and never runs past the cap or the file', () => {
    const trimmed = argsOf('so-1.5,eo-3');
    expect(after(trimmed, '-ss')).toBe('1.5');
    expect(trimmed.indexOf('-ss')).toBeLessThan(trimmed.indexOf('-i'));
    expect(after(trimmed, '-t')).toBe('1.50');
    expect(after(argsOf('so-1,du-60'), '-t')).toBe('3.00');
    const long = ffmpegArgs(plan('w-300'), { path: '/in/x', probe: { ...PROBE, duration: 99_999 } }, '/out', { maxSide: 1280, maxSeconds: 600 });
    expect(after(long, '-t')).toBe('600.00');
    expect(after(long, '-vf')).toContain("scale=w='min(1280,iw)':h='min(1280,ih)'");
  });

  it('refuses with a 422 what the transcoder does not do yet', () => {
    for (const tr of ['r-20', 'w-iw_div_2']) {
      const error = (() => {
        try {
          plan(tr);
        } catch (e) {
          return e as HttpError;
        }
      })();
      expect(error?.status).toBe(422);
    }
  });

  it('packs every HLS rendition with its audio, and DASH with one audio set', () => {
    const hls = argsOf('sr-240_360_720', 'hls');
    expect(after(hls, '-var_stream_map')).toBe('v:0,a:0 v:1,a:1 v:2,a:2');
    expect(after(hls, '-maxrate:v:2')).toBe('3300k');
    expect(after(argsOf('sr-240', 'hls', { ...PROBE, hasAudio: false }), '-var_stream_map')).toBe('v:0');
    const dash = argsOf('sr-240_360', 'dash');
    expect(dash.filter((a) => a === '0:a:0')).toHaveLength(1);
    expect(after(dash, '-adaptation_sets')).toBe('id=0,streams=v id=1,streams=a');
  });
});

describe('run by Debian ffmpeg', () => {
  let dir: string;
  let clip: string;
  const probeOf = (file: string) =>
    JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,codec_type,width,height:format=duration', '-of', 'json', file]).toString()) as {
      streams: { codec_name: string; codec_type: string; width?: number; height?: number }[];
      format: { duration: string };
    };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgepix-args-'));
    clip = join(dir, 'clip.mp4');
    const lavfi = ['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'];
    execFileSync('ffmpeg', ['-v', 'error', ...lavfi, '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
  });

  const run = (tr: string, kind: MediaKind = 'video') => {
    const out = mkdtempSync(join(dir, 'out-'));
    const p = plan(tr, kind);
    execFileSync('ffmpeg', ffmpegArgs(p, { path: clip, probe: { width: 320, height: 180, duration: 3, hasVideo: true, hasAudio: true } }, out));
    return { out, main: join(out, p.main) };
  };

  it('makes the asked size, codecs and duration', () => {
    const { main } = run('w-160,h-160,cm-pad_resize,bg-blurred,vc-vp9,so-1,du-1.5');
    const info = probeOf(main);
    expect(info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp9']);
    expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 160, height: 160 });
    expect(Number(info.format.duration)).toBeCloseTo(1.5, 0);
  });

  it('writes an HLS ladder whose playlists name segments that exist', () => {
    const { out } = run('sr-240_360', 'hls');
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['ik-master.m3u8', 'stream_0.m3u8', 'stream_1.m3u8']));
    expect(files.filter((f) => f.endsWith('.ts')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a playlist or concat list posing as the input, without reading what it names', () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'do not read');
    const playlist = join(dir, 'evil.mp4');
    writeFileSync(playlist, `#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1,\nfile://${secret}\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n`);
    const concat = join(dir, 'list.mov');
    writeFileSync(concat, `ffconcat version 1.0\nfile '${clip}'\n`);
    for (const input of [playlist, concat]) {
      const out = mkdtempSync(join(dir, 'bad-'));
      mkdirSync(out, { recursive: true });
      const result = spawnSync('ffmpeg', ffmpegArgs(plan('w-100'), { path: input, probe: { width: 1, height: 1, duration: 1, hasVideo: true, hasAudio: false } }, out));
      expect(result.status).not.toBe(0);
      expect(readdirSync(out)).toEqual([]);
      expect(spawnSync('ffprobe', ffprobeArgs(input)).status).not.toBe(0);
    }
  });
});
