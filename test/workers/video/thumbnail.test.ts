/**
 * `<video>/ik-thumbnail.jpg` end to end in workerd: the Worker reads the video from the library, the video Worker
 * (auxiliary worker bound as VIDEO, ffmpeg in WASM) takes the frame, the image pipeline transforms and encodes it.
 * Pixels are compared with native ffmpeg's own frame at the same offset (committed reference PNGs).
 */
import { env } from 'cloudflare:test';
import { ssim } from 'ssim.js';
import { describe, expect, it } from 'vitest';
import { variantPrefix } from '../../../src/cache/keys';
import { videoFixtures, type VideoFixtureName } from '../../fixtures/registry';
import { decodeImage, decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

async function withVideo(name: VideoFixtureName, file = 'clip'): Promise<string> {
  const fixture = videoFixtures[name];
  const tenant = await newTenant();
  const ext = fixture.container;
  await putOriginal(tenant, `${file}.${ext}`, await fixtureBytes(fixture.path), `video/${ext}`);
  return `/${tenant}/${file}.${ext}`;
}

const similarity = async (response: Response, reference: string) =>
  ssim(await decodeResponse(response), await decodeImage(await fixtureBytes(reference)), { downsample: false }).mssim;

describe('ik-thumbnail.jpg', () => {
  it('is the first frame as JPEG, as native ffmpeg decodes it', async () => {
    const url = await withVideo('h264Aac');
    const response = await get(`${url}/ik-thumbnail.jpg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/jpeg');
    const image = await decodeResponse(response.clone());
    expect([image.width, image.height]).toEqual([320, 180]);
    expect(await similarity(response, 'video/h264-aac.mp4.frame-0.png')).toBeGreaterThan(0.95);
  });

  it('is upright for a clip with a display matrix', async () => {
    const url = await withVideo('rotated');
    const response = await get(`${url}/ik-thumbnail.jpg`);
    expect(response.status).toBe(200);
    expect(await similarity(response, 'video/rotated.mp4.frame-0.png')).toBeGreaterThan(0.95);
  });

  it('takes the frame at so-, and that frame is not the first one', async () => {
    const url = await withVideo('h264Aac');
    const response = await get(`${url}/ik-thumbnail.jpg?tr=so-2.5`);
    expect(response.status).toBe(200);
    const later = await similarity(response.clone(), 'video/h264-aac.mp4.frame-2.5.png');
    expect(later).toBeGreaterThan(0.95);
    expect(await similarity(response, 'video/h264-aac.mp4.frame-0.png')).toBeLessThan(later - 0.05);
  });

  it('reads WebM (VP9) as well', async () => {
    const url = await withVideo('vp9Opus');
    const response = await get(`${url}/ik-thumbnail.jpg?tr=so-1`);
    expect(response.status).toBe(200);
    expect(await similarity(response, 'video/vp9-opus.webm.frame-1.png')).toBeGreaterThan(0.95);
  });

  it('refuses so- past the end of the video, and video parameters on a thumbnail, with 400', async () => {
    const url = await withVideo('noAudio');
    const late = await get(`${url}/ik-thumbnail.jpg?tr=so-30`);
    expect(late.status).toBe(400);
    expect((await json(late)).message).toMatch(/past the end/);
    const codec = await get(`${url}/ik-thumbnail.jpg?tr=vc-h264`);
    expect(codec.status).toBe(400);
  });

  it('applies the image transformation to the frame, path and query forms alike', async () => {
    const url = await withVideo('h264Aac');
    const tenantAndFile = url.split('/');
    const path = await get(`/${tenantAndFile[1]}/tr:w-160,h-160,c-force/${tenantAndFile[2]}/ik-thumbnail.jpg`);
    const query = await get(`${url}/ik-thumbnail.jpg?tr=w-160,h-160,c-force`);
    for (const response of [path, query]) {
      expect(response.status).toBe(200);
      const image = await decodeResponse(response);
      expect([image.width, image.height]).toEqual([160, 160]);
    }
  });

  it('negotiates the format like any image, and f-png gives PNG', async () => {
    const url = await withVideo('noAudio');
    const webp = await get(`${url}/ik-thumbnail.jpg`, { headers: { Accept: 'image/webp,*/*' } });
    expect(webp.headers.get('Content-Type')).toBe('image/webp');
    const png = await get(`${url}/ik-thumbnail.jpg?tr=f-png`);
    expect(png.headers.get('Content-Type')).toBe('image/png');
  });

  it('is cached as a variant: the second request is a hit with the same ETag', async () => {
    const url = await withVideo('h264Aac');
    const first = await get(`${url}/ik-thumbnail.jpg?tr=w-100`);
    await first.arrayBuffer();
    const second = await get(`${url}/ik-thumbnail.jpg?tr=w-100`);
    expect(second.status).toBe(200);
    expect(second.headers.get('Server-Timing')).toMatch(/cache;desc=hit/);
    expect(second.headers.get('ETag')).toBe(first.headers.get('ETag'));
  });

  it('keeps the frame in the R2 store, under the video\'s path, for other sizes of the same frame', async () => {
    const url = await withVideo('h264Aac');
    const [, tenant, file] = url.split('/');
    await (await get(`${url}/ik-thumbnail.jpg?tr=so-1,w-100`)).arrayBuffer();
    const prefix = await variantPrefix(tenant!, file!);
    // The response's stores run after it (waitUntil): wait for the frame to land.
    let frames: R2Object[] = [];
    for (let i = 0; i < 50 && frames.length === 0; i++) {
      const listed = await env.MEDIA.list({ prefix });
      const heads = await Promise.all(listed.objects.map((object) => env.MEDIA.head(object.key)));
      frames = heads.filter((object): object is R2Object => object?.httpMetadata?.contentType === 'image/png');
      if (frames.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(frames).toHaveLength(1);
    const frame = await decodeImage(new Uint8Array(await (await env.MEDIA.get(frames[0]!.key))!.arrayBuffer()));
    expect([frame.width, frame.height]).toEqual([320, 180]);
    const other = await get(`${url}/ik-thumbnail.jpg?tr=so-1,w-200`);
    expect(other.status).toBe(200);
    expect((await decodeResponse(other)).width).toBe(200);
  });

  it('leaves the video itself untouched without the suffix', async () => {
    const url = await withVideo('h264Aac');
    const response = await get(url);
    expect(response.headers.get('Content-Type')).toBe('video/mp4');
    expect((await response.arrayBuffer()).byteLength).toBe((await fixtureBytes(videoFixtures.h264Aac.path)).byteLength);
  });

  it('refuses a truncated file and a huge declared duration with 422 JSON', async () => {
    for (const name of ['truncated', 'hugeDuration'] as const) {
      const response = await get(`${await withVideo(name)}/ik-thumbnail.jpg`);
      expect(response.status).toBe(videoFixtures[name].refused.status);
      const body = await json(response);
      expect(body.message).toMatch(videoFixtures[name].refused.message);
      expect(body.help).not.toBe('');
    }
  });

  it('refuses a thumbnail of an image with 400', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'photo.jpg', await fixtureBytes('images/exif/Landscape_1.jpg'));
    const response = await get(`/${tenant}/photo.jpg/ik-thumbnail.jpg`);
    expect(response.status).toBe(400);
    expect((await json(response)).message).toMatch(/not a video/);
  });
});
