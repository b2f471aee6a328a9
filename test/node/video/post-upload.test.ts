/** The upload API's `transformation` field: which post-transformations queue jobs, and what is refused by name. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { checkPostTransformations, parseUploadTransformation } from '../../../src/video/jobs/post-upload';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) return error.message;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('transformation.post', () => {
  it('reads transformation, gif-to-video and abs entries as the URLs they make', () => {
    const posts = parseUploadTransformation(
      JSON.stringify({
        post: [
          { type: 'transformation', value: 'w-300,vc-vp9' },
          { type: 'gif-to-video' },
          { type: 'abs', value: '240_360', protocol: 'hls' },
          { type: 'abs', value: '720', protocol: 'dash' },
        ],
      }),
    );
    expect(posts).toEqual([
      { type: 'transformation', value: 'w-300,vc-vp9', kind: 'video' },
      { type: 'gif-to-video', value: '', kind: 'video', suffix: 'ik-gif-video.mp4' },
      { type: 'abs', value: 'sr-240_360', kind: 'hls', suffix: 'ik-master.m3u8' },
      { type: 'abs', value: 'sr-720', kind: 'dash', suffix: 'ik-master.mpd' },
    ]);
    expect(parseUploadTransformation(undefined)).toEqual([]);
    expect(parseUploadTransformation(JSON.stringify({ post: [] }))).toEqual([]);
  });

  it('refuses what it cannot do by name', () => {
    expect(refusal(() => parseUploadTransformation(JSON.stringify({ pre: 'w-100' })))).toMatch(/"transformation": pre-upload.*not supported/);
    expect(refusal(() => parseUploadTransformation(JSON.stringify({ post: [{ type: 'thumbnail' }] })))).toMatch(/thumbnail.*not supported/);
    expect(refusal(() => parseUploadTransformation(JSON.stringify({ post: [{ type: 'abs', value: '240', protocol: 'smooth' }] })))).toMatch(/protocol/);
    expect(refusal(() => parseUploadTransformation(JSON.stringify({ post: [{ type: 'resize' }] })))).toMatch(/type/);
    expect(refusal(() => parseUploadTransformation('{'))).toMatch(/transformation/);
    expect(refusal(() => parseUploadTransformation(JSON.stringify({ post: Array(11).fill({ type: 'gif-to-video' }) })))).toMatch(/at most 10/);
  });

  it('checks each against the file before anything is stored', () => {
    const posts = parseUploadTransformation(JSON.stringify({ post: [{ type: 'transformation', value: 'w-300' }] }));
    expect(() => checkPostTransformations(posts, 'clip.mp4')).not.toThrow();
    expect(refusal(() => checkPostTransformations(posts, 'photo.jpg'))).toMatch(/on a video file/);
    const gif = parseUploadTransformation(JSON.stringify({ post: [{ type: 'gif-to-video' }] }));
    expect(refusal(() => checkPostTransformations(gif, 'clip.mp4'))).toMatch(/on a GIF/);
    const bad = parseUploadTransformation(JSON.stringify({ post: [{ type: 'abs', value: '240', protocol: 'hls' }, { type: 'transformation', value: 'e-grayscale' }] }));
    expect(refusal(() => checkPostTransformations(bad, 'clip.mp4'))).toMatch(/"e-grayscale" does not apply to videos/);
  });
});
