/**
 * Both Workers under one `wrangler dev` (`-c wrangler.toml -c video.wrangler.toml`), as `npm start` runs them: an
 * uploaded video is probed by the video Worker, and its thumbnail URL answers a JPEG whose pixels are native
 * ffmpeg's frame at the same offset.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ssim } from 'ssim.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoFixtures } from '../fixtures/registry';
import { newSecrets, WranglerDev } from './wrangler-dev';

const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url);

let dev: WranglerDev;
let stateDir: string;
const secrets = newSecrets();

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edgepix-video-'));
  dev = new WranglerDev(stateDir, secrets, {}, ['wrangler.toml', 'video.wrangler.toml']);
  await dev.start();
}, 120_000);

afterAll(async () => {
  await dev?.kill();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

const rgba = async (bytes: Buffer | Uint8Array) => {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
};

describe('video under wrangler dev', () => {
  it('probes an upload and answers its thumbnail URL end to end', async () => {
    const admin = { Authorization: `Bearer ${secrets.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${dev.url}/admin/v1/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ id: 'reel' }) });
    const { privateKey } = (await created.json()) as { privateKey: string };
    const form = new FormData();
    form.set('file', new Blob([await readFile(fixture(videoFixtures.h264Aac.path))], { type: 'video/mp4' }), 'clip.mp4');
    form.set('fileName', 'clip.mp4');
    form.set('useUniqueFileName', 'false');
    const auth = { Authorization: `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}` };
    const uploaded = await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form });
    expect(uploaded.status).toBe(200);
    expect(await uploaded.json()).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', duration: 4, width: 320, height: 180 });

    const thumbnail = await fetch(`${dev.url}/reel/clip.mp4/ik-thumbnail.jpg?tr=so-2.5`);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('Content-Type')).toBe('image/jpeg');
    const got = await rgba(Buffer.from(await thumbnail.arrayBuffer()));
    const reference = await rgba(await readFile(fixture('video/h264-aac.mp4.frame-2.5.png')));
    expect(ssim(got, reference, { downsample: false }).mssim).toBeGreaterThan(0.95);
  });
});
