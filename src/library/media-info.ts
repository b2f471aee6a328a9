import type { MediaInfo } from './records';
import { embeddedMetadata } from './file-metadata';
import { sniffFile } from './sniff';

/** What the library records about a file's bytes: the type sniffed from them, dimensions and embedded metadata. */
export async function mediaInfo(bytes: Uint8Array, fileName: string): Promise<MediaInfo> {
  const sniffed = await sniffFile(bytes, fileName);
  return {
    size: bytes.length,
    mime: sniffed.mime,
    format: sniffed.format,
    fileType: sniffed.fileType,
    width: sniffed.width ?? null,
    height: sniffed.height ?? null,
    hasAlpha: sniffed.hasAlpha ?? null,
    embeddedMetadata: sniffed.fileType === 'image' ? await embeddedMetadata(bytes) : {},
  };
}
