/**
 * ImageKit's virtual files: a suffix after a file's real path that asks for something made from it
 * (`clip.mp4/ik-thumbnail.jpg`, `clip.mp4/ik-master.m3u8`, `anim.gif/ik-gif-video.mp4`). The suffix is removed
 * before the original is looked up; what the URL asks for decides which parameters it may carry (rules.ts).
 */
export const VIDEO_SUFFIXES = ['ik-thumbnail.jpg', 'ik-gif-video.mp4', 'ik-master.m3u8', 'ik-master.mpd', 'ik-video.mp4'] as const;
export type VideoSuffix = (typeof VIDEO_SUFFIXES)[number];

/** Containers delivered as video (by extension, as ImageKit decides before it reads a byte). */
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'ogv', 'avi', 'mpg', 'mpeg', '3gp', 'ts', 'flv', 'wmv'] as const;

/**
 * What a delivery URL asks for: an image (images and anything not a video), a video (a video file, `ik-video.mp4`
 * or `ik-gif-video.mp4`), a thumbnail of a video (`ik-thumbnail.jpg`, an image), an adaptive stream's manifest, or
 * a part of a stream.
 */
export type MediaKind = 'image' | 'video' | 'thumbnail' | 'hls' | 'dash' | 'part';

export interface MediaPath {
  /** The real file's path, suffix removed. */
  file: string;
  suffix?: VideoSuffix;
  kind: MediaKind;
  /** For a `part`: the job (variant key) and the file of it, e.g. a playlist or segment of a stream. */
  part?: { job: string; name: string };
}

/**
 * Playlists and segments of a stream: `<file>/ik-stream/<job id>/<name>`. A manifest's relative links resolve
 * there from `<file>/ik-master.m3u8`, so they pass the same tenant, access and signature checks as the file.
 */
export const STREAM_SEGMENT = 'ik-stream';
const PART = /^(.+)\/ik-stream\/([0-9a-f]{40})\/([A-Za-z0-9_-]{1,64}\.(?:m3u8|ts|m4s|mp4))$/;

const KIND_OF_SUFFIX: Record<VideoSuffix, MediaKind> = {
  'ik-thumbnail.jpg': 'thumbnail',
  'ik-gif-video.mp4': 'video',
  'ik-master.m3u8': 'hls',
  'ik-master.mpd': 'dash',
  'ik-video.mp4': 'video',
};

export function mediaPath(path: string): MediaPath {
  const part = PART.exec(path);
  if (part) return { file: part[1]!, kind: 'part', part: { job: part[2]!, name: part[3]! } };
  const cut = path.lastIndexOf('/');
  const last = path.slice(cut + 1);
  if (cut > 0 && (VIDEO_SUFFIXES as readonly string[]).includes(last)) {
    const suffix = last as VideoSuffix;
    return { file: path.slice(0, cut), suffix, kind: KIND_OF_SUFFIX[suffix] };
  }
  return { file: path, kind: isVideoFileName(path) ? 'video' : 'image' };
}

export function isVideoFileName(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return false;
  return (VIDEO_EXTENSIONS as readonly string[]).includes(path.slice(dot + 1).toLowerCase());
}
