/**
 * What ffmpeg may open: only the input it was handed. Playlists (HLS, DASH) and ffconcat lists would make it
 * read other files or fetch URLs (the classic ffmpeg SSRF and local-file bugs); they are refused before ffmpeg
 * runs, and a file that starts like an MP4 is read by the MP4 demuxer only, never guessed from its content.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../src/tenants/config';
import { videoLimitsOf } from '../../../src/video-worker/client';
import { get, json, newTenant, putOriginal } from '../helpers';

const limits = videoLimitsOf(DEFAULT_LIMITS);
const text = (value: string) => new TextEncoder().encode(value);

// Every URL here would be fetched by an ffmpeg that followed it; a request reaching one fails the test.
const TRAP = 'http://127.0.0.1:9/secret';
const HLS = `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${TRAP}/segment.ts\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n`;
const DASH = `<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011"><Period><AdaptationSet><Representation id="1" bandwidth="1"><BaseURL>${TRAP}/</BaseURL><SegmentList><SegmentURL media="seg.m4s"/></SegmentList></Representation></AdaptationSet></Period></MPD>`;
const CONCAT = "ffconcat version 1.0\nfile 'concat:/etc/passwd|/etc/hosts'\nfile '/proc/self/environ'\n";

describe('ffmpeg reads only its input', () => {
  for (const [name, body] of [['an HLS playlist', HLS], ['a DASH manifest', DASH], ['an ffconcat list with concat:', CONCAT]] as const) {
    it(`refuses ${name} before ffmpeg runs`, async () => {
      for (const call of [env.VIDEO!.probe(text(body), limits), env.VIDEO!.frame(text(body), 0, limits), env.VIDEO!.cut(text(body), { start: 1 }, limits)]) {
        const answer = await call;
        expect('refused' in answer && answer.refused).toMatchObject({ status: 422, message: expect.stringMatching(/not a video container/) });
      }
    });
  }

  it('reads a playlist behind an MP4 box as MP4, which it is not: 422, nothing fetched', async () => {
    // An `ftyp` box then the playlist: a demuxer guessed from content could take it for HLS.
    const disguised = new Uint8Array([0, 0, 0, 16, ...text('ftypisom'), 0, 0, 0, 0, ...text(HLS)]);
    const answer = await env.VIDEO!.probe(disguised, limits);
    expect('refused' in answer && answer.refused.status).toBe(422);
  });

  it('answers a thumbnail of a stored playlist with 422 JSON, never a 500', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'evil.mp4', text(HLS), 'video/mp4');
    const response = await get(`/${tenant}/evil.mp4/ik-thumbnail.jpg`);
    expect(response.status).toBe(422);
    expect((await json(response)).message).toMatch(/not a video container/);
  });
});
