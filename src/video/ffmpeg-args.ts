/**
 * URL transformation → ffmpeg argument list: the one module the Worker plans a transcoding job with and the
 * transcoder service runs it with. It only ever hands ffmpeg the local file it was given (the `file` protocol
 * alone, container demuxers alone: no `concat:`, no HLS/DASH/playlist inputs that fetch URLs), builds every
 * filter from parsed, bounded values (never from URL text), and caps the output's size and duration.
 */
import { HttpError } from '../http/errors';
import type { Background } from '../transform/grammars';
import type { ParamValues } from '../transform/params';
import { canonicalize, parseTransformation, type Transformation } from '../transform/parse';
import type { Length } from '../transform/values';
import { RENDITIONS, type Rendition } from './grammars';
import type { MediaKind } from './suffix';

/** What a job makes; serialisable, carried in the queue message. */
export interface VideoJobPlan {
  kind: 'video' | 'hls' | 'dash';
  /** Canonical transformation text (the transcoder parses it again with the same table). */
  transformation: string;
  container: 'mp4' | 'webm' | 'hls' | 'dash';
  /** The file that answers the URL; other outputs (playlists, segments) sit beside it. */
  main: string;
  contentType: string;
}

/** What the transcoder learnt from ffprobe before building the command. */
export interface InputProbe {
  width: number;
  height: number;
  duration: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

export interface OutputLimits {
  /** Largest output width or height. */
  maxSide: number;
  /** Longest output, in seconds. */
  maxSeconds: number;
}

/** No video output is larger than 4K on its long side, whatever a tenant's image limits allow. */
export const MAX_VIDEO_SIDE = 3840;
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxSide: MAX_VIDEO_SIDE, maxSeconds: 3600 };

/** Demuxers an input may be read with: containers only, none that open other files or URLs. */
export const INPUT_FORMATS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,gif,avi,mpegts,flv,mpeg,ogg,asf';

const unsupported = (what: string) =>
  new HttpError(422, `${what} is not supported on video yet.`, 'See "Video" in the README for what video transformations edgepix runs.');

const CONTENT_TYPES = { mp4: 'video/mp4', webm: 'video/webm', hls: 'application/vnd.apple.mpegurl', dash: 'application/dash+xml' } as const;

/** The Worker's half: what the job will make, refusing (422) what the transcoder cannot do before queueing it. */
export function planVideoJob(t: Transformation, kind: MediaKind): VideoJobPlan {
  if (kind !== 'video' && kind !== 'hls' && kind !== 'dash') throw new Error(`no transcoding job for ${kind}`);
  const step = t.steps[0] ?? {};
  checkSupported(step);
  const transformation = canonicalize(t);
  if (kind === 'hls') return { kind, transformation, container: 'hls', main: 'ik-master.m3u8', contentType: CONTENT_TYPES.hls };
  if (kind === 'dash') return { kind, transformation, container: 'dash', main: 'ik-master.mpd', contentType: CONTENT_TYPES.dash };
  const container = containerOf(t.output);
  return { kind, transformation, container, main: `video.${container}`, contentType: CONTENT_TYPES[container] };
}

function checkSupported(step: ParamValues): void {
  if (step.r !== undefined) throw unsupported('Rounded corners (r-)');
  for (const key of ['w', 'h'] as const) if (step[key] && (step[key] as Length).kind === 'expr') throw unsupported(`An expression in ${key}-`);
  if (step.ar?.kind === 'expr') throw unsupported('An expression in ar-');
  if (typeof step.b?.width === 'object') throw unsupported('An expression in b-');
}

function containerOf({ f, vc, ac }: ParamValues): 'mp4' | 'webm' {
  if (f === 'mp4' || f === 'webm') return f;
  return vc === 'vp9' || vc === 'av1' || ac === 'opus' ? 'webm' : 'mp4';
}

/** ffprobe's arguments for `path`, under the same input restrictions. */
export function ffprobeArgs(path: string): string[] {
  return ['-v', 'error', ...inputGuards(), '-show_entries', 'format=duration:stream=codec_type,width,height', '-of', 'json', localInput(path)];
}

const inputGuards = () => ['-protocol_whitelist', 'file', '-format_whitelist', INPUT_FORMATS];

/** `file:` with an absolute path the service chose: a name that looks like a protocol or an option cannot sneak in. */
function localInput(path: string): string {
  if (!path.startsWith('/') || /[\n\r\0]/.test(path)) throw new Error(`input must be an absolute local path, not ${JSON.stringify(path)}`);
  return `file:${path}`;
}

/** The transcoder's half: the ffmpeg command for `plan` on the probed input, writing into `outDir`. */
export function ffmpegArgs(plan: VideoJobPlan, input: { path: string; probe: InputProbe }, outDir: string, limits = DEFAULT_OUTPUT_LIMITS): string[] {
  const t = parseTransformation(plan.transformation);
  const step = t.steps[0] ?? {};
  const { output } = t;
  const start = output.so ?? 0;
  const end = output.eo !== undefined ? output.eo - start : output.du;
  const seconds = Math.min(end ?? Number.POSITIVE_INFINITY, limits.maxSeconds, Math.max(0, input.probe.duration - start) || limits.maxSeconds);
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputGuards()];
  if (start > 0) args.push('-ss', String(start));
  args.push('-i', localInput(input.path), '-t', seconds.toFixed(2), '-map_metadata', '-1', '-sn', '-dn');
  if (plan.kind === 'video') return [...args, ...singleOutput(plan, step, output, input.probe, limits), `${outDir}/${plan.main}`];
  return [...args, ...ladder(plan, output.sr ?? [], step, input.probe, limits, outDir)];
}

function singleOutput(plan: VideoJobPlan, step: ParamValues, output: ParamValues, probe: InputProbe, limits: OutputLimits): string[] {
  const args: string[] = [];
  const video = output.vc !== 'none' && probe.hasVideo;
  const audio = output.ac !== 'none' && probe.hasAudio;
  if (!video && !audio) throw new HttpError(422, 'The transformation leaves neither video nor audio of this file.', 'Keep vc or ac, or use a file with that stream.');
  const quality = output.q ?? 50;
  if (video) {
    args.push('-map', '0:v:0', '-vf', videoFilters(step, limits));
    args.push(...videoCodecArgs(plan.container === 'webm' ? (output.vc === 'av1' ? 'av1' : 'vp9') : 'h264', quality));
  } else args.push('-vn');
  if (audio) args.push('-map', '0:a:0', ...(plan.container === 'webm' ? ['-c:a', 'libopus', '-b:a', '96k'] : ['-c:a', 'aac', '-b:a', '128k']));
  else args.push('-an');
  if (plan.container === 'mp4') args.push('-movflags', '+faststart');
  args.push('-f', plan.container);
  return args;
}

/** x264 CRF 38 (q 1) to 18 (q 100); VP9 and AV1 on their 0–63 scale. ImageKit's default q is 50. */
function videoCodecArgs(codec: 'h264' | 'vp9' | 'av1', q: number): string[] {
  if (codec === 'h264') return ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(Math.round(38 - q * 0.2)), '-pix_fmt', 'yuv420p'];
  const crf = String(Math.round(52 - q * 0.3));
  if (codec === 'vp9') return ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', crf, '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-pix_fmt', 'yuv420p'];
  return ['-c:v', 'libsvtav1', '-crf', crf, '-preset', '10', '-pix_fmt', 'yuv420p'];
}

/** Renditions of an adaptive stream: one decode split into each size, h264/aac, capped at ImageKit's bitrates. */
function ladder(plan: VideoJobPlan, sizes: Rendition[], step: ParamValues, probe: InputProbe, limits: OutputLimits, outDir: string): string[] {
  if (!probe.hasVideo) throw new HttpError(422, 'A streaming manifest needs a file with a video stream.', 'Use ik-master on a video.');
  const base = baseFilters(step);
  const labels = sizes.map((_, i) => `[v${i}]`);
  const fit = (r: Rendition) => `scale=w='min(${Math.min(RENDITIONS[r].width, limits.maxSide)},iw)':h='min(${Math.min(RENDITIONS[r].height, limits.maxSide)},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`;
  // Rounding to even sizes bends the aspect ratio a little (426×240 is not 16:9); DASH players switch only between
  // representations of one display aspect, so every rendition states the source's.
  const [darW, darH] = displayAspect(step, probe);
  const graph = `[0:v:0]${base ? `${base},` : ''}split=${sizes.length}${labels.join('')};${sizes.map((r, i) => `${labels[i]}${fit(r)},setdar=${darW}/${darH}[o${i}]`).join(';')}`;
  const args = ['-filter_complex', graph];
  // HLS pairs the audio with every rendition (var_stream_map); DASH keeps one audio representation beside them.
  const audioPerRendition = probe.hasAudio && plan.container === 'hls';
  sizes.forEach((r, i) => {
    const kbps = RENDITIONS[r].maxKbps;
    args.push('-map', `[o${i}]`, `-c:v:${i}`, 'libx264', `-preset:v:${i}`, 'veryfast', `-b:v:${i}`, `${Math.round(kbps * 0.8)}k`);
    args.push(`-maxrate:v:${i}`, `${kbps}k`, `-bufsize:v:${i}`, `${kbps * 2}k`);
    if (audioPerRendition) args.push('-map', '0:a:0');
  });
  if (probe.hasAudio && !audioPerRendition) args.push('-map', '0:a:0');
  // Keyframes every 2 s (fixed, not scene-cut) so every rendition's segments line up.
  args.push('-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*2)', '-sc_threshold', '0');
  if (probe.hasAudio) args.push('-c:a', 'aac', '-b:a', '128k', '-ac', '2');
  if (plan.container === 'hls') {
    const map = sizes.map((_, i) => (probe.hasAudio ? `v:${i},a:${i}` : `v:${i}`)).join(' ');
    args.push('-f', 'hls', '-hls_time', '4', '-hls_playlist_type', 'vod', '-hls_flags', 'independent_segments');
    args.push('-var_stream_map', map, '-master_pl_name', plan.main, '-hls_segment_filename', `${outDir}/stream_%v_%03d.ts`, `${outDir}/stream_%v.m3u8`);
    return args;
  }
  const sets = probe.hasAudio ? 'id=0,streams=v id=1,streams=a' : 'id=0,streams=v';
  args.push('-f', 'dash', '-seg_duration', '4', '-use_template', '1', '-use_timeline', '1', '-adaptation_sets', sets);
  args.push('-init_seg_name', 'init_$RepresentationID$.m4s', '-media_seg_name', 'chunk_$RepresentationID$_$Number%05d$.m4s', `${outDir}/${plan.main}`);
  return args;
}

/** The display aspect after a step's border and rotation (the only size changes a manifest's step may make). */
function displayAspect(step: ParamValues, probe: InputProbe): [number, number] {
  const border = typeof step.b?.width === 'number' ? 2 * step.b.width : 0;
  const turned = step.rt === 90 || step.rt === 270;
  const [w, h] = turned ? [probe.height, probe.width] : [probe.width, probe.height];
  return [w + border, h + border];
}

/** Filters of one step, then the output cap (which also rounds to the even sizes 4:2:0 video needs). */
export function videoFilters(step: ParamValues, limits: OutputLimits): string {
  const cap = `scale=w='min(${limits.maxSide},iw)':h='min(${limits.maxSide},ih)':force_original_aspect_ratio=decrease:force_divisible_by=2`;
  return [baseFilters(step), cap, 'setsar=1'].filter(Boolean).join(',');
}

function baseFilters(step: ParamValues): string {
  const filters: string[] = [];
  const size = targetSize(step);
  if (size) filters.push(...resize(step, size));
  if (step.b) {
    const width = step.b.width as number;
    filters.push(`pad=iw+${2 * width}:ih+${2 * width}:${width}:${width}:color=${hexColor(step.b.color)}`);
  }
  const turn = step.rt === 360 ? 0 : (step.rt as number | undefined) ?? 0;
  if (turn === 90) filters.push('transpose=clock');
  if (turn === 180) filters.push('hflip,vflip');
  if (turn === 270) filters.push('transpose=cclock');
  return filters.join(',');
}

type Size = { w?: string; h?: string };

/** Width and height as ffmpeg expressions of the input (`iw`, `ih`), from pixels, fractions and `ar`. */
function targetSize(step: ParamValues): Size | undefined {
  const side = (value: Length | 'auto' | undefined, of: 'iw' | 'ih') => {
    if (!value || value === 'auto') return undefined;
    if (value.kind === 'px') return String(value.value);
    if (value.kind === 'fraction') return `trunc(${of}*${value.value}/2)*2`;
    return undefined;
  };
  let w = side(step.w, 'iw');
  let h = side(step.h, 'ih');
  if (step.ar?.kind === 'ratio') {
    const { width, height } = step.ar;
    if (w && !h) h = `trunc(${w}*${height}/${width}/2)*2`;
    else if (h && !w) w = `trunc(${h}*${width}/${height}/2)*2`;
  }
  return w || h ? { w, h } : undefined;
}

const ANCHOR_X: Record<string, string> = { left: '0', top_left: '0', bottom_left: '0', right: '1', top_right: '1', bottom_right: '1' };
const ANCHOR_Y: Record<string, string> = { top: '0', top_left: '0', top_right: '0', bottom: '1', bottom_left: '1', bottom_right: '1' };

/** `x:y` of a `w`×`h` window inside `W`×`H` anchored at `fo` (centre by default). */
function anchored(fo: string | undefined, inner: [string, string], outer: [string, string]): string {
  const fx = ANCHOR_X[fo ?? ''] ?? '0.5';
  const fy = ANCHOR_Y[fo ?? ''] ?? '0.5';
  return `(${outer[0]}-${inner[0]})*${fx}:(${outer[1]}-${inner[1]})*${fy}`;
}

function resize(step: ParamValues, { w, h }: Size): string[] {
  if (!w || !h) return [`scale=${w ?? '-2'}:${h ?? '-2'}`];
  const fo = step.fo as string | undefined;
  if (step.cm === 'extract') return [`crop=w='min(${w},iw)':h='min(${h},ih)':x=${anchored(fo, ['ow', 'oh'], ['iw', 'ih']).replace(':', ':y=')}`];
  if (step.cm === 'pad_resize') return padResize(w, h, fo, step.bg);
  switch (step.c) {
    case 'force':
      return [`scale=${w}:${h}`];
    case 'at_max':
      return [`scale=w='min(${w},iw)':h='min(${h},ih)':force_original_aspect_ratio=decrease`];
    case 'at_least':
      return [`scale=${w}:${h}:force_original_aspect_ratio=increase`];
    default:
      return [`scale=${w}:${h}:force_original_aspect_ratio=increase`, `crop=${w}:${h}:${anchored(fo, ['ow', 'oh'], ['iw', 'ih'])}`];
  }
}

function padResize(w: string, h: string, fo: string | undefined, bg: Background | undefined): string[] {
  const fit = `scale=${w}:${h}:force_original_aspect_ratio=decrease:force_divisible_by=2`;
  if (bg?.kind === 'blurred') {
    const sigma = bg.amount === 'auto' ? 20 : Math.max(1, Math.round(bg.amount / 2));
    const light = bg.brightness / 255;
    const back = `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},gblur=sigma=${sigma},eq=brightness=${light.toFixed(3)}`;
    return [`split[edgepix_bg][edgepix_fg];[edgepix_bg]${back}[edgepix_b];[edgepix_fg]${fit}[edgepix_f];[edgepix_b][edgepix_f]overlay=${anchored(fo, ['w', 'h'], ['W', 'H'])}`];
  }
  const colour = bg?.kind === 'color' ? hexColor(bg.color) : '0x000000';
  return [fit, `pad=${w}:${h}:${anchored(fo, ['iw', 'ih'], ['ow', 'oh'])}:color=${colour}`];
}

function hexColor({ r, g, b }: { r: number; g: number; b: number }): string {
  return `0x${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
