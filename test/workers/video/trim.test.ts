/**
 * Trims without re-encoding: `so`/`eo`/`du` alone on a video are a stream copy by the video Worker, cut at the
 * keyframe at or before the start (the fixtures have one every second), cached as a variant, served in ranges.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/tenants/config';
import { videoLimitsOf } from '../../../src/video-worker/client';
import type { VideoInfo } from '../../../src/video-worker/types';
import { videoFixtures } from '../../fixtures/registry';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

const limits = videoLimitsOf(DEFAULT_LIMITS);

async function stored(name: 'h264Aac' | 'vp9Opus'): Promise<string> {
  const fixture = videoFixtures[name];
  const tenant = await newTenant();
  await putOriginal(tenant, `clip.${fixture.container}`, await fixtureBytes(fixture.path), `video/${fixture.container}`);
  return `/${tenant}/clip.${fixture.container}`;
}

const probe = async (body: ArrayBuffer) => (await env.VIDEO!.probe(new Uint8Array(body), limits)) as VideoInfo;

describe('stream-copy trims', () => {
  it('so and du cut an MP4 at keyframes, keeping both tracks', async () => {
    const response = await get(`${await stored('h264Aac')}?tr=so-1,du-2`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    const info = await probe(await response.arrayBuffer());
    // Keyframes every second: the cut starts at 1 s and holds 2 s of pictures; the container's duration adds the
    // video's start after the first AAC packet (native ffmpeg 5.1 reports 2.283 s for the same cut). Uncut is 4 s.
    expect(info.duration).toBeGreaterThan(1.95);
    expect(info.duration).toBeLessThan(2.4);
    expect([info.videoCodec, info.audioCodec, info.width, info.height]).toEqual(['h264', 'aac', 320, 180]);
  });

  it('eo cuts a WebM, which stays WebM', async () => {
    const response = await get(`${await stored('vp9Opus')}?tr=eo-1`);
    expect(response.headers.get('Content-Type')).toBe('video/webm');
    const info = await probe(await response.arrayBuffer());
    expect(info.duration).toBeLessThan(1.2);
    expect(info.videoCodec).toBe('vp9');
  });

  it('is cached, and both the miss and the hit answer a Range with 206', async () => {
    const url = `${await stored('h264Aac')}?tr=so-2`;
    const miss = await get(url, { headers: { Range: 'bytes=0-99' } });
    expect(miss.status).toBe(206);
    expect(miss.headers.get('Content-Range')).toMatch(/^bytes 0-99\/\d+$/);
    expect((await miss.arrayBuffer()).byteLength).toBe(100);
    const total = Number(miss.headers.get('Content-Range')!.split('/')[1]);
    const hit = await get(url, { headers: { Range: `bytes=${total - 10}-` } });
    expect(hit.status).toBe(206);
    expect(hit.headers.get('Server-Timing')).toMatch(/cache;desc=hit/);
    expect((await hit.arrayBuffer()).byteLength).toBe(10);
  });

  it('refuses a cut outside the video with 400', async () => {
    const response = await get(`${await stored('h264Aac')}?tr=so-30`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toMatch(/outside the video/);
  });
});
