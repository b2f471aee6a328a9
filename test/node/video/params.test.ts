/** The video parameters: their grammars and canonical form, and which media URL takes which of them. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import { BadParam } from '../../../src/transform/errors';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { checkMedia } from '../../../src/video/rules';
import { mediaPath } from '../../../src/video/suffix';

const check = (tr: string, path: string) => {
  const media = mediaPath(path);
  checkMedia(parseTransformation(tr), media.kind, media.file);
};

function refusal(run: () => void): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('video grammars', () => {
  it('parses codecs, trims and renditions as output parameters', () => {
    expect(parseTransformation('w-640,vc-vp9,ac-opus,f-webm,so-1.5,eo-4,sr-720_240').output).toEqual({
      vc: 'vp9',
      ac: 'opus',
      f: 'webm',
      so: 1.5,
      eo: 4,
      sr: [240, 720],
    });
  });

  it('writes equivalent ladders and trims alike', () => {
    expect(canonicalize(parseTransformation('sr-720_240_360_240'))).toBe('sr-240_360_720');
    expect(canonicalize(parseTransformation('so-2.50,du-3'))).toBe(canonicalize(parseTransformation('du-3.0,so-2.5')));
    expect(canonicalize(parseTransformation('ac-none,vc-h264,w-300'))).toBe('w-300:vc-h264,ac-none');
  });

  it.each([
    ['vc-hevc', 'vc'],
    ['ac-mp3', 'ac'],
    ['so-1.255', 'so'],
    ['so-N1', 'so'],
    ['du-86401', 'du'],
    ['eo-abc', 'eo'],
    ['sr-300', 'sr'],
    ['sr-240__360', 'sr'],
    ['sr', 'sr'],
    ['f-mkv', 'f'],
  ])('refuses %s naming %s', (tr, param) => {
    const error = refusal(() => parseTransformation(tr));
    expect(error).toBeInstanceOf(BadParam);
    expect((error as BadParam).param).toBe(param);
  });
});

describe('media paths', () => {
  it('strips a virtual file and names what it asks for', () => {
    expect(mediaPath('v/clip.mp4/ik-master.m3u8')).toEqual({ file: 'v/clip.mp4', suffix: 'ik-master.m3u8', kind: 'hls' });
    expect(mediaPath('v/clip.mp4/ik-master.mpd').kind).toBe('dash');
    expect(mediaPath('v/clip.mov/ik-thumbnail.jpg')).toMatchObject({ file: 'v/clip.mov', kind: 'thumbnail' });
    expect(mediaPath('a/anim.gif/ik-gif-video.mp4')).toMatchObject({ file: 'a/anim.gif', kind: 'video' });
    expect(mediaPath('v/Clip.WEBM').kind).toBe('video');
    expect(mediaPath('p/photo.jpg').kind).toBe('image');
    expect(mediaPath('ik-master.m3u8').kind).toBe('image');
  });
});

describe('which URL takes which parameter', () => {
  it('gives an image a 400 naming the video parameter', () => {
    for (const tr of ['vc-h264', 'so-2', 'sr-240_360', 'f-mp4', 'w-300,ac-none']) {
      const error = refusal(() => check(tr, 'photos/cat.jpg'));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/applies to videos, and "photos\/cat.jpg" is delivered as an image/);
    }
    expect(refusal(() => check('if-w_gt_100,w-3,if-end', 'v/c.mp4')).message).toMatch(/"if" does not apply to videos/);
  });

  it('lets a thumbnail take so- and image parameters, nothing else of video', () => {
    check('so-5,w-300,h-200,bg-red,e-grayscale', 'v/c.mp4/ik-thumbnail.jpg');
    expect(refusal(() => check('vc-h264', 'v/c.mp4/ik-thumbnail.jpg')).message).toMatch(/"vc".*ik-thumbnail/);
  });

  it('lets a video take ImageKit video grammar only', () => {
    check('w-640,h-360,c-at_max,cm-pad_resize,bg-blurred,rt-90,q-60,f-webm,vc-av1,ac-opus,so-1,du-2', 'v/c.mp4');
    expect(refusal(() => check('e-grayscale', 'v/c.mp4')).message).toMatch(/"e-grayscale" does not apply to videos/);
    expect(refusal(() => check('sr-240', 'v/c.mp4')).message).toMatch(/sr- only on ik-master/);
    expect(refusal(() => check('rt-45', 'v/c.mp4')).message).toMatch(/"rt" on a video: "45"/);
    expect(refusal(() => check('c-at_max_enlarge', 'v/c.mp4')).message).toMatch(/Accepted on videos: force/);
    expect(refusal(() => check('fo-auto', 'v/c.mp4')).status).toBe(400);
    expect(refusal(() => check('f-png', 'v/c.mp4')).message).toMatch(/auto, mp4, webm/);
    expect(refusal(() => check('w-300:h-200', 'v/c.mp4')).message).toMatch(/chained/);
  });

  it('checks ImageKit codec pairings and trims', () => {
    expect(refusal(() => check('f-mp4,vc-vp9', 'v/c.mp4')).message).toMatch(/needs f-webm/);
    expect(refusal(() => check('f-webm,ac-aac', 'v/c.mp4')).message).toMatch(/needs f-mp4/);
    expect(refusal(() => check('vc-av1,ac-aac', 'v/c.mp4')).message).toMatch(/no container in common/);
    expect(refusal(() => check('vc-none,ac-none', 'v/c.mp4')).message).toMatch(/nothing to deliver/);
    expect(refusal(() => check('so-5,eo-3', 'v/c.mp4')).message).toMatch(/after the start offset/);
    expect(refusal(() => check('eo-3,du-1', 'v/c.mp4')).message).toMatch(/not both/);
    check('f-mp4,vc-h264,ac-none', 'v/c.mp4');
  });

  it('keeps w h ar f vc ac q off manifests and asks them for renditions', () => {
    check('sr-240_360_720,so-1', 'v/c.mp4/ik-master.m3u8');
    for (const tr of ['sr-240,w-300', 'sr-240,q-50', 'sr-240,vc-h264', 'sr-240,f-mp4']) {
      expect(refusal(() => check(tr, 'v/c.mp4/ik-master.mpd')).message).toMatch(/cannot be used on a streaming manifest/);
    }
    expect(refusal(() => check('', 'v/c.mp4/ik-master.m3u8')).message).toMatch(/needs its renditions/);
  });
});
