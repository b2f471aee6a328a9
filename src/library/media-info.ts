import { embeddedMetadata } from './file-metadata';
import { type Content, contentSize } from './ingest';
import type { MediaInfo } from './records';
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

/** What the library records about a file: the type sniffed from its bytes, dimensions and embedded metadata. */
export async function mediaInfo(content: Content, fileName: string): Promise<MediaInfo> {
  const head = headOf(content);
  const sniffed = await sniffFile(head, fileName);
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
