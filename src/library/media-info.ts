import { embeddedMetadata } from './file-metadata';
import { type Content, contentSize } from './ingest';
import type { MediaInfo, VideoProperties } from './records';
import { sniffFile } from './sniff';

/**
 * How much of a file's start is read to tell what it is: headers, EXIF, XMP and ICC profiles all come before
 * the image data in the formats the library recognises, and an 8 MiB start holds the largest of them.
 */
export const HEAD_BYTES = 8 * 1024 * 1024;

/** The start of a file's bytes, without reading the rest. */
export function headOf(content: Content): Uint8Array {
  return content instanceof Uint8Array ? content.subarray(0, HEAD_BYTES) : content.head.subarray(0, HEAD_BYTES);
}

/**
 * Reads a video's properties (the upload API hands in the video Worker); `whole` says whether `bytes` is the
 * whole file or only its start. Undefined when they cannot be read from what it was given.
 */
export type VideoProber = (bytes: Uint8Array, size: number, whole: boolean) => Promise<VideoProbe | undefined>;
export interface VideoProbe {
  video: VideoProperties;
  width: number;
  height: number;
}

/** What the library records about a file: the type sniffed from its bytes, dimensions and embedded metadata. */
export async function mediaInfo(content: Content, fileName: string, probeVideo?: VideoProber): Promise<MediaInfo> {
  const head = headOf(content);
  const sniffed = await sniffFile(head, fileName);
  const size = contentSize(content);
  const probed = sniffed.mime.startsWith('video/') && probeVideo ? await probeVideo(head, size, head.byteLength === size) : undefined;
  if (probed) {
    return {
      size,
      mime: sniffed.mime,
      format: sniffed.format,
      fileType: sniffed.fileType,
      width: probed.width,
      height: probed.height,
      hasAlpha: false,
      // Where the library's DURATION sort reads it (src/library/search/sort.ts).
      embeddedMetadata: { Duration: probed.video.duration },
      video: probed.video,
    };
  }
  return {
    size: contentSize(content),
    mime: sniffed.mime,
    format: sniffed.format,
    fileType: sniffed.fileType,
    width: sniffed.width ?? null,
    height: sniffed.height ?? null,
    hasAlpha: sniffed.hasAlpha ?? null,
    embeddedMetadata: sniffed.fileType === 'image' ? await embeddedMetadata(head) : {},
  };
}
