// Starts the transcoder service (transcoder/) as a child process and seeds a demo clip made with ffmpeg.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { uploadFile } from './seed.mjs';

export const TRANSCODER_PORT = process.env.TRANSCODER_PORT ?? '8790';

/** The transcoder on 127.0.0.1:TRANSCODER_PORT (wrangler.toml's TRANSCODER_URL points there). */
export function startTranscoder() {
  if (spawnSync('ffmpeg', ['-version']).status !== 0) {
    console.warn('ffmpeg is not installed: video transforms will be retried and fail (apt-get install -y ffmpeg)');
  }
  return spawn('npx', ['tsx', 'transcoder/src/main.ts'], { stdio: 'inherit', env: { ...process.env, PORT: TRANSCODER_PORT } });
}

/** A 6-second test clip (ffmpeg's testsrc2 and a tone) in the demo library at /videos/clip.mp4; null without ffmpeg. */
export async function seedVideo(base, privateKey) {
  const file = '.wrangler/demo-clip.mp4';
  const lavfi = ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440'];
  const made = spawnSync('ffmpeg', ['-v', 'error', '-y', ...lavfi, '-t', '6', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
  if (made.status !== 0) return null;
  await uploadFile(base, privateKey, { folder: '/videos', name: 'clip.mp4', tags: 'demo,video' }, readFileSync(file));
  return '/videos/clip.mp4';
}
