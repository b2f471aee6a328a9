/**
 * Probing videos: the video Worker's own answers for every fixture (against what native ffprobe reports), and
 * the media library's File object and metadata API for an uploaded video.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/tenants/config';
import { videoLimitsOf } from '../../../src/video-worker/client';
import type { VideoInfo } from '../../../src/video-worker/types';
import { videoFixtures } from '../../fixtures/registry';
import { failure, newLibraryTenant } from '../library-helpers';
import { fixtureBytes } from '../helpers';

const limits = videoLimitsOf(DEFAULT_LIMITS);

describe('the video Worker reads', () => {
  for (const [name, fixture] of Object.entries(videoFixtures)) {
    if ('refused' in fixture) {
      it(`refuses ${name} with ${fixture.refused.status}`, async () => {
        const answer = await env.VIDEO!.probe(await fixtureBytes(fixture.path), limits);
        expect('refused' in answer && answer.refused.status).toBe(fixture.refused.status);
        expect('refused' in answer && answer.refused.message).toMatch(fixture.refused.message);
      });
      continue;
    }
    it(`${name}: duration, codecs, upright size, frame rate, audio`, async () => {
      const info = (await env.VIDEO!.probe(await fixtureBytes(fixture.path), limits)) as VideoInfo;
      expect(info.container).toBe(fixture.container);
      expect(info.duration).toBeCloseTo(fixture.duration, 2);
      expect(info.videoCodec).toBe(fixture.videoCodec);
      expect(info.audioCodec).toBe('audioCodec' in fixture ? fixture.audioCodec : undefined);
      expect(info.hasAudio).toBe('audioCodec' in fixture);
      expect([info.width, info.height]).toEqual([fixture.width, fixture.height]);
      expect(info.rotation).toBe('rotation' in fixture ? fixture.rotation : 0);
      expect(info.fps).toBeCloseTo(fixture.fps, 2);
      expect(info.variableFrameRate).toBe('variableFrameRate' in fixture);
      // Within 10% of the file's own size over its duration.
      const bytes = (await fixtureBytes(fixture.path)).byteLength;
      expect(Math.abs(info.bitRate - (bytes * 8) / fixture.duration)).toBeLessThan((bytes * 8) / fixture.duration / 10);
    });
  }

  it('refuses what is past the tenant\'s caps before ffmpeg runs', async () => {
    const bytes = await fixtureBytes(videoFixtures.h264Aac.path);
    const small = await env.VIDEO!.probe(bytes, { ...limits, maxVideoInputBytes: 1024 });
    expect('refused' in small && small.refused.status).toBe(413);
    const short = await env.VIDEO!.probe(bytes, { ...limits, maxVideoSeconds: 3 });
    expect('refused' in short && short.refused.message).toMatch(/maxVideoSeconds/);
    const tiny = await env.VIDEO!.probe(bytes, { ...limits, maxInputMegapixels: 0.01 });
    expect('refused' in tiny && tiny.refused.message).toMatch(/maxInputMegapixels/);
  });

  it('keeps ffmpeg\'s WASM memory within 64 MB for a probe and a frame', async () => {
    const bytes = await fixtureBytes(videoFixtures.h264Aac.path);
    await env.VIDEO!.frame(bytes, 1, limits);
    const memory = await env.VIDEO!.wasmMemoryBytes();
    console.log(`ffmpeg WASM memory after a 320×180 frame: ${(memory / 1e6).toFixed(1)} MB`);
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThanOrEqual(64 * 1024 * 1024);
  });
});

describe('an uploaded video', () => {
  it('is described in the File object and by the metadata API', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(videoFixtures.rotated.path);
    const uploaded = await t.client.files.upload({ file: new File([bytes], 'phone.mp4'), fileName: 'phone.mp4' });
    expect(uploaded).toMatchObject({ fileType: 'non-image', width: 180, height: 320, videoCodec: 'h264', audioCodec: 'aac' });
    expect(uploaded.duration).toBeCloseTo(2, 2);
    expect(uploaded.bitRate).toBeGreaterThan(100_000);
    const listed = await t.client.files.get(uploaded.fileId!);
    expect(listed).toMatchObject({ width: 180, height: 320, videoCodec: 'h264', audioCodec: 'aac', mime: 'video/mp4' });
    const metadata = await t.client.files.metadata.get(uploaded.fileId!);
    expect(metadata).toMatchObject({ width: 180, height: 320, videoCodec: 'h264', audioCodec: 'aac', format: 'mp4' });
    expect(metadata.duration).toBeCloseTo(2, 2);
  });

  it('without sound has no audioCodec', async () => {
    const t = await newLibraryTenant();
    const bytes = await fixtureBytes(videoFixtures.noAudio.path);
    const uploaded = await t.client.files.upload({ file: new File([bytes], 'mute.mp4'), fileName: 'mute.mp4' });
    expect(uploaded.videoCodec).toBe('h264');
    expect(uploaded.audioCodec).toBeUndefined();
  });

  it('truncated, or declaring a huge duration, is refused with 422 JSON and nothing is stored', async () => {
    const t = await newLibraryTenant();
    for (const fixture of [videoFixtures.truncated, videoFixtures.hugeDuration]) {
      const bytes = await fixtureBytes(fixture.path);
      const refused = await failure(t.client.files.upload({ file: new File([bytes], 'bad.mp4'), fileName: 'bad.mp4' }));
      expect(refused.status).toBe(422);
      expect(String(refused.body.message)).toMatch(fixture.refused.message);
    }
    expect(await t.client.assets.list({})).toEqual([]);
  });
});
