/**
 * What ffmpeg may read: the one input file, as a container named here from its first bytes. The demuxer is
 * chosen by us (`-f`), never guessed by ffmpeg from the content, and only the `file` protocol is allowed, so a
 * playlist (HLS, DASH), an `ffconcat` list or a `concat:`/`http:` name inside a file cannot make ffmpeg open
 * anything else: those are refused here before ffmpeg runs.
 */
import { HttpError } from '../http/errors';
import { type Container, videoContainerOf } from './container';
import { INPUT } from './ffmpeg';

const SUPPORTED_HELP = 'Videos are read from MP4/MOV (ISO BMFF) and WebM/Matroska files.';

/** The container the bytes start as; a 422 for anything else (playlists, lists of files, other formats). */
export function containerOf(bytes: Uint8Array): Container {
  const container = videoContainerOf(bytes);
  if (container) return container;
  throw new HttpError(422, 'The file is not a video container edgepix reads', SUPPORTED_HELP);
}

/** ffmpeg's demuxer for each container: the only two it may use. */
const DEMUXER: Record<Container, string> = { mp4: 'mov', webm: 'matroska' };

/** Input options that pin the demuxer and the protocol, then the input itself. */
export const inputArgs = (container: Container): string[] => [
  '-protocol_whitelist', 'file',
  '-format_whitelist', DEMUXER[container],
  '-f', DEMUXER[container],
  '-i', `file:${INPUT}`,
];
