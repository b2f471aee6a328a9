#!/usr/bin/env node
// Writes the video fixtures under test/fixtures/video/ with the machine's native ffmpeg (Debian's `ffmpeg`
// package): testsrc2 pictures and a sine tone, small enough to commit (each under 300 KB). Also writes, with the
// same ffmpeg, the reference frames the thumbnail tests compare against. Run again only to change the set:
// `node scripts/make-video-fixtures.mjs` (needs `apt-get install ffmpeg`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const out = resolve(import.meta.dirname, '../test/fixtures/video');
mkdirSync(out, { recursive: true });
const at = (name) => resolve(out, name);
const ffmpeg = (...args) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

const picture = (size, seconds, rate = 25) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
const tone = (seconds) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
// A keyframe every second, so stream-copy trims have whole seconds to cut at.
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0'];
const bitexact = ['-fflags', '+bitexact', '-map_metadata', '-1'];

// h264/aac MP4, 4 s, 320×180, moov first so a player can start before the end.
ffmpeg(...picture('320x180', 4), ...tone(4), ...h264, '-c:a', 'aac', '-b:a', '48k', '-movflags', '+faststart', ...bitexact, at('h264-aac.mp4'));
// VP9/Opus WebM, 2 s.
ffmpeg(...picture('320x180', 2), ...tone(2), '-c:v', 'libvpx-vp9', '-b:v', '200k', '-deadline', 'realtime', '-cpu-used', '8', '-g', '25', '-c:a', 'libopus', '-b:a', '32k', ...bitexact, at('vp9-opus.webm'));
// A phone clip: stored 320×180, a display matrix of 90° makes it 180×320 upright.
// The matrix is written on a stream copy: ffmpeg 5.1 drops the `rotate` tag when it encodes.
ffmpeg(...picture('320x180', 2), ...tone(2), ...h264, '-c:a', 'aac', '-b:a', '32k', ...bitexact, at('.upright.mp4'));
ffmpeg('-i', at('.upright.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '-fflags', '+bitexact', at('rotated.mp4'));
execFileSync('rm', [at('.upright.mp4')]);
// Variable frame rate: 30 fps source with two of every three frames dropped over the second half.
ffmpeg(...picture('320x180', 3, 30), '-vf', "select='lt(t\\,1.5)+not(mod(n\\,3))'", '-fps_mode', 'vfr', ...h264, ...bitexact, at('vfr.mp4'));
// No audio track.
ffmpeg(...picture('320x180', 2), ...h264, ...bitexact, at('no-audio.mp4'));
// Truncated: the media data first, the index (moov) last, cut half-way, so the index is missing.
ffmpeg(...picture('320x180', 2), ...tone(2), ...h264, '-c:a', 'aac', ...bitexact, at('.whole.mp4'));
const whole = readFileSync(at('.whole.mp4'));
writeFileSync(at('truncated.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
execFileSync('rm', [at('.whole.mp4')]);
// A huge declared duration: a sound 1 s file whose movie header (mvhd) claims 1,000,000 hours.
ffmpeg(...picture('160x90', 1), ...h264, '-movflags', '+faststart', ...bitexact, at('huge-duration.mp4'));
const huge = readFileSync(at('huge-duration.mp4'));
const mvhd = huge.indexOf(Buffer.from('mvhd'));
if (mvhd < 0 || huge[mvhd + 4] !== 0) throw new Error('expected a version 0 mvhd');
const timescale = huge.readUInt32BE(mvhd + 4 + 4 + 8);
huge.writeUInt32BE(Math.min(0xffffffff, timescale * 3600 * 1_000_000) >>> 0, mvhd + 4 + 4 + 8 + 4);
writeFileSync(at('huge-duration.mp4'), huge);
// Seed video for `npm start`: the same h264/aac clip, a little longer.
ffmpeg(...picture('640x360', 6), ...tone(6), ...h264, '-c:a', 'aac', '-b:a', '48k', '-movflags', '+faststart', ...bitexact, resolve(import.meta.dirname, '../seed/video/testsrc2.mp4'));

// Reference frames: native ffmpeg's own pictures at the offsets the tests ask for (input seeking, as the Worker does).
for (const [file, offset] of [['h264-aac.mp4', 0], ['h264-aac.mp4', 2.5], ['vp9-opus.webm', 1], ['rotated.mp4', 0]]) {
  ffmpeg('-ss', String(offset), '-i', at(file), '-frames:v', '1', '-f', 'image2', '-c:v', 'png', at(`${file}.frame-${offset}.png`));
}

for (const name of ['h264-aac.mp4', 'vp9-opus.webm', 'rotated.mp4', 'vfr.mp4', 'no-audio.mp4', 'truncated.mp4', 'huge-duration.mp4']) {
  const size = statSync(at(name)).size;
  if (size > 300_000) throw new Error(`${name} is ${size} bytes, over 300 KB`);
  console.log(`${name}\t${size}`);
}
