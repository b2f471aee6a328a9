/**
 * Reads a video's properties with ffprobe (header and a few packets, no full decode): duration, codecs, bit
 * rate, upright size, frame rate and whether it has sound. A file ffprobe cannot open is a 422.
 */
import { HttpError } from '../http/errors';
import { discardInstance, run } from './ffmpeg';
import { containerOf, inputArgs } from './input';
import type { VideoInfo } from './types';

interface ProbeJson {
  format?: { duration?: string; bit_rate?: string };
  streams?: Array<{
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    avg_frame_rate?: string;
    r_frame_rate?: string;
    duration?: string;
    side_data_list?: Array<{ rotation?: number }>;
    tags?: { rotate?: string };
  }>;
}

const UNREADABLE_HELP = 'The file may be truncated or damaged; upload the whole file, as MP4 (H.264/AAC) or WebM (VP9/Opus).';

export async function probeVideo(bytes: Uint8Array): Promise<VideoInfo> {
  const container = containerOf(bytes);
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...inputArgs(container)];
  const result = await run('ffprobe', bytes, args);
  let json: ProbeJson;
  try {
    json = JSON.parse(result.stdout) as ProbeJson;
  } catch {
    json = {};
  }
  const video = json.streams?.find((stream) => stream.codec_type === 'video');
  // This build's ffprobe leaves no exit status: what it printed tells success.
  if (!video?.width || !video.height) {
    discardInstance();
    const reason = result.stderr.find((line) => line.trim() !== '')?.replace(/^\[[^\]]*\]\s*/, '').replace(/^file:\/work\/input: /, '');
    throw new HttpError(422, `The video cannot be read${reason ? `: ${reason}` : ''}`, UNREADABLE_HELP);
  }
  const audio = json.streams?.find((stream) => stream.codec_type === 'audio');
  const rotation = normaliseRotation(video.side_data_list?.find((side) => side.rotation !== undefined)?.rotation ?? Number(video.tags?.rotate ?? 0));
  const sideways = rotation === 90 || rotation === 270;
  const duration = Number(json.format?.duration ?? video.duration ?? 0);
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate);
  const declared = rate(video.r_frame_rate);
  return {
    container,
    duration: Number.isFinite(duration) ? duration : 0,
    bitRate: Number(json.format?.bit_rate ?? 0) || Math.round((bytes.byteLength * 8) / Math.max(duration, 0.001)),
    videoCodec: video.codec_name ?? 'unknown',
    ...(audio ? { audioCodec: audio.codec_name ?? 'unknown' } : {}),
    width: sideways ? video.height : video.width,
    height: sideways ? video.width : video.height,
    rotation,
    fps: Math.round(fps * 1000) / 1000,
    variableFrameRate: declared > 0 && Math.abs(declared - fps) > 0.01 * declared,
    hasAudio: audio !== undefined,
  };
}

/** The display matrix's angle as ffprobe prints it (counter-clockwise), as 0, 90, 180 or 270. */
function normaliseRotation(degrees: number): number {
  if (!Number.isFinite(degrees)) return 0;
  return ((Math.round(degrees / 90) * 90) % 360 + 360) % 360;
}

function rate(text: string | undefined): number {
  const [num, den] = (text ?? '0/0').split('/').map(Number);
  return den ? num / den : 0;
}
