/**
 * Grammars of the video-only parameters (vc, ac, so, eo, du, sr). They are table entries of
 * src/transform/params.ts like every other parameter; their meaning on a file lives in src/video/rules.ts.
 */
import { fail, oneOf, required, type ValueGrammar } from '../transform/values';

export type VideoCodec = 'h264' | 'vp9' | 'av1' | 'none';
export type AudioCodec = 'aac' | 'opus' | 'none';

export const videoCodec = oneOf<VideoCodec>(['h264', 'vp9', 'av1', 'none']);
export const audioCodec = oneOf<AudioCodec>(['aac', 'opus', 'none']);

/** Longest offset or duration a URL may name: a day. The file's own duration bounds it further per request. */
export const MAX_SECONDS = 86_400;
const SECONDS = /^\d{1,5}(\.\d{1,2})?$/;
const SECONDS_ACCEPTS = `seconds from 0 to ${MAX_SECONDS}, up to 2 decimals (e.g. 5 or 12.25)`;

/** `so`, `eo`, `du`: seconds with at most two decimals, as ImageKit documents them. */
export const seconds: ValueGrammar<number> = {
  accepts: SECONDS_ACCEPTS,
  parse(raw, key) {
    const text = required(raw, key, SECONDS_ACCEPTS);
    if (!SECONDS.test(text)) fail(key, raw, SECONDS_ACCEPTS);
    const value = Number(text);
    if (value > MAX_SECONDS) fail(key, raw, SECONDS_ACCEPTS);
    return value;
  },
  format: (value) => String(value),
};

/** ImageKit's rendition table for adaptive streaming: every rendition is h264/aac, resized `at_max`. */
export const RENDITIONS = {
  240: { width: 426, height: 240, maxKbps: 200 },
  360: { width: 640, height: 360, maxKbps: 400 },
  480: { width: 854, height: 480, maxKbps: 800 },
  720: { width: 1280, height: 720, maxKbps: 3300 },
  1080: { width: 1920, height: 1080, maxKbps: 5500 },
  1440: { width: 2560, height: 1440, maxKbps: 12000 },
  2160: { width: 3840, height: 2160, maxKbps: 18000 },
} as const;
export type Rendition = keyof typeof RENDITIONS;
const RENDITION_NAMES = Object.keys(RENDITIONS).map(Number) as Rendition[];
const SR_ACCEPTS = `renditions joined by _ from ${RENDITION_NAMES.join(', ')} (e.g. 240_360_720)`;

/** `sr-240_360_720`: a set of renditions, written smallest first without repeats so equal ladders share a variant. */
export const renditions: ValueGrammar<Rendition[]> = {
  accepts: SR_ACCEPTS,
  parse(raw, key) {
    const parts = required(raw, key, SR_ACCEPTS).split('_');
    const chosen = new Set<Rendition>();
    for (const part of parts) {
      const value = Number(part) as Rendition;
      if (!/^\d+$/.test(part) || !Object.hasOwn(RENDITIONS, value)) fail(key, raw, SR_ACCEPTS);
      chosen.add(value);
    }
    return [...chosen].sort((a, b) => a - b);
  },
  format: (value) => value.join('_'),
};
