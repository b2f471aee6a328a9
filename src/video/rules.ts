/**
 * Which parameters each kind of media URL takes (suffix.ts), and the narrower values a video takes of the
 * parameters it shares with images (ImageKit's video grammar). Everything else is a 400 naming the parameter.
 */
import { HttpError } from '../http/errors';
import type { Background } from '../transform/grammars';
import { PARAMS, type ParamKey, type ParamValues } from '../transform/params';
import type { Transformation } from '../transform/parse';
import type { MediaKind } from './suffix';

const HELP = 'See "Video" in the README: which parameters videos, thumbnails and streaming manifests take.';

const bad = (message: string) => new HttpError(400, message, HELP);

/** Parameters a video output (a transcoding job) takes. */
const VIDEO_KEYS: readonly ParamKey[] = ['w', 'h', 'ar', 'c', 'cm', 'fo', 'bg', 'b', 'r', 'rt', 'q', 'f', 'vc', 'ac', 'so', 'eo', 'du'];
/** Parameters a manifest takes: ImageKit forbids `w h ar f vc ac q` beside `sr` (renditions fix them). */
const STREAM_KEYS: readonly ParamKey[] = ['sr', 'c', 'cm', 'fo', 'bg', 'b', 'r', 'rt', 'so', 'eo', 'du'];

/** The values a video takes of parameters shared with images. */
const VIDEO_VALUES: Partial<Record<ParamKey, { test: (value: never) => boolean; accepts: string }>> = {
  c: { test: (v: string) => ['force', 'at_max', 'at_least', 'maintain_ratio'].includes(v), accepts: 'force, at_max, at_least, maintain_ratio' },
  cm: { test: (v: string) => ['pad_resize', 'extract'].includes(v), accepts: 'pad_resize, extract' },
  fo: {
    test: (v: string) => v !== 'auto' && v !== 'custom',
    accepts: 'center, top, left, bottom, right, top_left, top_right, bottom_left, bottom_right',
  },
  bg: { test: (v: Background) => v.kind !== 'dominant', accepts: 'a colour, or blurred[_<amount>[_<brightness>]]' },
  rt: { test: (v: number | 'auto') => v === 0 || v === 90 || v === 180 || v === 270 || v === 360, accepts: '0, 90, 180, 270, 360' },
  f: { test: (v: string) => v === 'auto' || v === 'mp4' || v === 'webm', accepts: 'auto, mp4, webm' },
};

const isVideoOnly = (key: ParamKey) => (PARAMS[key] as { media?: 'video' }).media === 'video';
const isVideoFormat = (f: unknown) => f === 'mp4' || f === 'webm';

/** Every parameter a transformation sets, with its value, wherever it is (steps, `if` branches, output). */
function* entries(t: Transformation): Generator<[ParamKey, unknown]> {
  const walk = function* (values: ParamValues): Generator<[ParamKey, unknown]> {
    for (const [key, value] of Object.entries(values) as [ParamKey, unknown][]) {
      yield [key, value];
      if (key === 'if' && values.if) for (const s of [...values.if.then, ...values.if.else]) yield* walk(s);
    }
  };
  for (const s of t.steps) yield* walk(s);
  yield* walk(t.output);
}

/**
 * Throws a 400 when the transformation asks `kind` for something it cannot be: a video parameter on an image,
 * an image-only parameter on a video, `w` beside `sr`, an impossible codec pairing, an empty trim.
 */
export function checkMedia(t: Transformation, kind: MediaKind, file: string): void {
  if (kind === 'image' || kind === 'thumbnail') {
    for (const [key, value] of entries(t)) {
      if (kind === 'thumbnail' && key === 'so') continue;
      if (isVideoOnly(key) || (key === 'f' && isVideoFormat(value))) {
        const token = key === 'f' ? `f-${String(value)}` : key;
        throw bad(
          kind === 'image'
            ? `The transformation parameter "${token}" applies to videos, and "${file}" is delivered as an image.`
            : `The transformation parameter "${token}" does not apply to ik-thumbnail.jpg, a still image (it takes so- and the image parameters).`,
        );
      }
    }
    return;
  }
  if (kind === 'part') {
    if (t.steps.length || Object.keys(t.output).length) throw bad('A stream\'s playlists and segments take no transformation.');
    return;
  }
  const stream = kind === 'hls' || kind === 'dash';
  const allowed = stream ? STREAM_KEYS : VIDEO_KEYS;
  if (t.steps.length > 1) throw bad('A video transformation is one step: chained steps (":") are not supported on video.');
  for (const [key, value] of entries(t)) {
    if (!allowed.includes(key)) {
      throw bad(
        stream
          ? `The transformation parameter "${key}" cannot be used on a streaming manifest; it takes ${STREAM_KEYS.join(', ')}.`
          : `The transformation parameter "${key}" does not apply to videos; they take ${VIDEO_KEYS.join(', ')}${kind === 'video' ? ' (sr- only on ik-master.m3u8 / ik-master.mpd)' : ''}.`,
      );
    }
    const rule = VIDEO_VALUES[key];
    if (rule && !rule.test(value as never)) {
      throw bad(`Invalid transformation parameter "${key}" on a video: "${PARAMS[key].grammar.format(value as never)}". Accepted on videos: ${rule.accepts}.`);
    }
  }
  const { output } = t;
  if (stream && !output.sr) throw bad(`A streaming manifest needs its renditions: add ?tr=sr-240_360_720 (any of 240, 360, 480, 720, 1080, 1440, 2160).`);
  checkCodecs(output);
  checkTrim(output);
}

/** ImageKit's pairings: mp4 holds h264 and aac; webm holds vp9 or av1 and opus. */
function checkCodecs({ f, vc, ac }: ParamValues): void {
  if (vc === 'none' && ac === 'none') throw bad('vc-none and ac-none together leave nothing to deliver.');
  const container = f === 'mp4' || f === 'webm' ? f : undefined;
  if (container === 'mp4' && (vc === 'vp9' || vc === 'av1')) throw bad(`f-mp4 holds h264 video: vc-${vc} needs f-webm.`);
  if (container === 'mp4' && ac === 'opus') throw bad('f-mp4 holds aac audio: ac-opus needs f-webm.');
  if (container === 'webm' && vc === 'h264') throw bad('f-webm holds vp9 or av1 video: vc-h264 needs f-mp4.');
  if (container === 'webm' && ac === 'aac') throw bad('f-webm holds opus audio: ac-aac needs f-mp4.');
  if (!container && (vc === 'vp9' || vc === 'av1') && ac === 'aac') throw bad(`vc-${vc} (webm) and ac-aac (mp4) have no container in common.`);
  if (!container && vc === 'h264' && ac === 'opus') throw bad('vc-h264 (mp4) and ac-opus (webm) have no container in common.');
}

function checkTrim({ so, eo, du }: ParamValues): void {
  if (eo !== undefined && du !== undefined) throw bad('Give the end of a trim as eo- or as du-, not both.');
  if (eo !== undefined && eo <= (so ?? 0)) throw bad(`eo-${eo} must be after the start offset (so-${so ?? 0}).`);
  if (du !== undefined && du <= 0) throw bad('du- must be more than 0 seconds.');
}
