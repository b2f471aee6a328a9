/**
 * Storing a file in the library, in the order that never leaves a record without its bytes: reserve the
 * content hash, write the bytes to R2 under it, then commit the record. A failure after the R2 write leaves
 * only unreferenced bytes, which the library's sweep deletes once the reservation is given back or runs out.
 */
import { HttpError } from '../http/errors';
import { hex } from '../security/crypto';
import type { LibraryClient } from './client';
import type { UploadCommit } from './operations/upload';
import type { FileRecord } from './records';

/**
 * A file's bytes: already in memory, or still the uploaded form's part (a Blob), which is hashed and stored
 * as a stream so that a large upload is never held twice.
 */
export type Content = Uint8Array | Blob;

export const contentSize = (content: Content) => (content instanceof Blob ? content.size : content.length);

/** Where the bytes go; tests swap in one that fails. */
export interface BlobWriter {
  put(key: string, content: Content, contentType: string): Promise<void>;
}

export const r2Writer = (bucket: R2Bucket): BlobWriter => ({
  async put(key, content, contentType) {
    await bucket.put(key, content, { httpMetadata: { contentType } });
  },
});

export type IngestRequest = Omit<UploadCommit, 'blob'>;

/** A file stored under its own name, replacing what is there, with no tags or metadata (ImageKit's overwrite defaults). */
export const PLAIN_FILE: Omit<IngestRequest, 'folder' | 'name' | 'media'> = {
  useUniqueFileName: false,
  overwriteFile: true,
  overwriteTags: true,
  overwriteCustomMetadata: true,
  overwriteAITags: true,
  attributes: { tags: [], customCoordinates: null, customMetadata: {}, description: null, isPrivate: false, isPublished: true },
};

export async function ingest(
  library: Pick<LibraryClient, 'reserveBlob' | 'commitUpload' | 'releaseBlob'>,
  content: Content,
  request: IngestRequest,
  writer: BlobWriter,
): Promise<FileRecord> {
  const hash = await sha256(content);
  const { key, present } = await library.reserveBlob(hash, contentSize(content));
  try {
    if (!present) await writeBytes(writer, key, content, request.media.mime);
    return await library.commitUpload({ ...request, blob: hash });
  } catch (error) {
    await library.releaseBlob(hash).catch(() => undefined);
    throw error;
  }
}

async function sha256(content: Content): Promise<string> {
  if (!(content instanceof Blob)) return hex(await crypto.subtle.digest('SHA-256', content));
  const digest = new crypto.DigestStream('SHA-256');
  await content.stream().pipeTo(digest);
  return hex(await digest.digest);
}

async function writeBytes(writer: BlobWriter, key: string, content: Content, contentType: string): Promise<void> {
  try {
    await writer.put(key, content, contentType);
  } catch (error) {
    console.error('library: storing bytes failed', error);
    throw new HttpError(503, 'The file could not be stored; nothing was saved', 'Retry the upload.', { 'Retry-After': '1' });
  }
}

